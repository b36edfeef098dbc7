package org.neuralj.optim;

import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.IntConsumer;
import org.neuralj.core.Optimizer;
import org.neuralj.core.Parallel;
import org.neuralj.core.Parameter;
import org.neuralj.core.ParameterBuffer;
import org.neuralj.core.Tensor;
import org.neuralj.core.kernel.Finite;

/**
 * The shared part of every optimizer: learning rate, L2 weight decay, gradient clipping, the step count and the
 * per-parameter state tensors. A subclass names its state (e.g. {@code m}, {@code v}) and states its update rule in
 * {@link #update}, applied to one parameter tensor at a time.
 *
 * <p>Before the update, each gradient is prepared in place, in this order:
 * <ol>
 *   <li>clipping by global norm c: {@code g ← g · min(1, c / ‖g‖₂)}, ‖g‖₂ over all parameters together;</li>
 *   <li>clipping by value c: {@code g ← clamp(g, −c, c)};</li>
 *   <li>coupled L2 weight decay λ: {@code g ← g + λθ} (the gradient of {@code (λ/2)‖θ‖²}, applied to every
 *       parameter, biases included, as PyTorch does).</li>
 * </ol>
 *
 * <p>Given a network's {@link ParameterBuffer} (what {@code Sequential.parameters()} returns), a step is one pass
 * over its arrays, the state kept in arrays of the same layout: in blocks of {@value #BLOCK} values, each prepared,
 * updated and checked for finiteness while in cache, the blocks of a large network spread over the cores
 * ({@link Parallel}); data-parallel training instead hands each of its threads the part whose gradients it summed
 * ({@link #stepInParts}). The update is element-wise, so the result does not depend on the number of threads or
 * parts.
 */
public abstract class GradientOptimizer implements Optimizer {
    private double learningRate;
    private double weightDecay;
    private double clipNorm;
    private double clipValue;
    private long steps;
    /** Values per block of a buffer step: large enough to amortise a hand-off, small enough to stay in L2. */
    static final int BLOCK = 16_384;
    /** Buffers of fewer values are stepped on the calling thread: a hand-off costs more than the work. */
    private static final int PARALLEL_MIN = 4 * BLOCK;

    private final Map<Parameter, State> states = new IdentityHashMap<>();
    /** The state of every parameter of a buffer, in the buffer's layout: {@code [state name][position]}. */
    private final Map<ParameterBuffer, float[][]> bufferStates = new IdentityHashMap<>();
    /** What the last step found: the parameters it updated and the first that became non-finite (-1: none). */
    private List<Parameter> lastStepped;
    private int firstNonFinite = -1;

    /** The buffer step in progress, read by {@link #stepPart} on every thread (set before the parts start). */
    private ParameterBuffer stepBuffer;
    private float[][] stepState;
    private int stepParts;
    private float stepRate;
    private float stepNormScale;
    /** Per part: the first position holding a non-finite value after the update, -1 for none, -2 before it ran. */
    private int[] partFirstNonFinite = new int[0];
    private final IntConsumer partStep = this::stepPart;
    private final Consumer<IntConsumer> onThisThread = task -> {
        for (int part = 0; part < stepParts; part++) {
            task.accept(part);
        }
    };
    private final Consumer<IntConsumer> onTheCores = task -> Parallel.forEach(stepParts, task);

    /**
     * A parameter's state tensors, and their arrays ready for {@link #update} (so a step allocates nothing): for a
     * parameter of a buffer, views of the buffer's state arrays, indexed like its values.
     */
    private record State(Tensor[] tensors, float[][] arrays) {
    }

    protected GradientOptimizer(double learningRate) {
        if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
            throw new IllegalArgumentException("learning rate must be positive and finite but was " + learningRate);
        }
        this.learningRate = learningRate;
    }

    /** The names of the state tensors each parameter gets, e.g. {@code {"m", "v"}}; empty for none. */
    protected abstract String[] stateNames();

    /**
     * Updates the values {@code w[from..to)} in place from the prepared gradient {@code g[from..to)}; the state
     * arrays are indexed the same way. Called on disjoint ranges, possibly from several threads at once, so an update
     * must be element-wise.
     *
     * @param state one array per {@link #stateNames()} entry
     * @param lr    the learning rate η
     * @param t     the 1-based step number
     */
    protected abstract void update(float[] w, float[] g, float[][] state, int from, int to, float lr, long t);

    @Override
    public final void step(List<Parameter> parameters) {
        if (parameters instanceof ParameterBuffer buffer) {
            int blocks = (buffer.length() + BLOCK - 1) / BLOCK;
            stepInParts(buffer, blocks, buffer.length() < PARALLEL_MIN ? onThisThread : onTheCores);
            return;
        }
        steps++;
        float lr = (float) learningRate;
        float normScale = clipNorm > 0 ? clipScale(parameters) : 1f;
        firstNonFinite = -1;
        for (int i = 0, size = parameters.size(); i < size; i++) {
            Parameter p = parameters.get(i);
            float[] w = p.value().data(), g = p.grad().data();
            int from = p.value().offset(), to = from + p.size();
            prepareGradient(w, g, from, to, normScale);
            update(w, g, stateOf(p).arrays(), from, to, lr, steps);
            // checked while the values just written are still in cache: one cheap pass, no allocation
            if (firstNonFinite < 0 && !Finite.all(w, from, to)) {
                firstNonFinite = i;
            }
        }
        lastStepped = parameters;
    }

    /**
     * One step over the buffer in {@code parts} parts, each prepared, updated and checked for finiteness in blocks of
     * at most {@value #BLOCK} values while in cache; see the class comment.
     *
     * @throws IllegalArgumentException when {@code parts} is less than 1
     * @throws IllegalStateException    when {@code runner} returned without running every part once
     */
    @Override
    public final void stepInParts(ParameterBuffer buffer, int parts, Consumer<IntConsumer> runner) {
        if (parts < 1) {
            throw new IllegalArgumentException("a step needs at least 1 part but got " + parts);
        }
        steps++;
        stepRate = (float) learningRate;
        // the global norm needs every gradient before any part is updated, so it is taken here, on one thread
        stepNormScale = clipNorm > 0 ? clipScale(buffer) : 1f;
        stepBuffer = buffer;
        stepState = bufferState(buffer);
        stepParts = parts;
        if (partFirstNonFinite.length < parts) {
            partFirstNonFinite = new int[parts];
        }
        java.util.Arrays.fill(partFirstNonFinite, 0, parts, -2);
        runner.accept(partStep);
        firstNonFinite = -1;
        for (int part = 0; part < parts; part++) {
            if (partFirstNonFinite[part] == -2) {
                throw new IllegalStateException("the runner of a step in " + parts + " parts did not run part "
                        + part + "; it must run every part once");
            }
            if (firstNonFinite < 0 && partFirstNonFinite[part] >= 0) {
                firstNonFinite = buffer.indexAt(partFirstNonFinite[part]);
            }
        }
        lastStepped = buffer;
    }

    private void stepPart(int part) {
        float[] w = stepBuffer.values(), g = stepBuffer.gradients();
        int first = -1;
        for (int from = stepBuffer.partStart(part, stepParts), end = stepBuffer.partStart(part + 1, stepParts);
             from < end; from += BLOCK) {
            int to = Math.min(end, from + BLOCK);
            prepareGradient(w, g, from, to, stepNormScale);
            update(w, g, stepState, from, to, stepRate, steps);
            if (first < 0) {
                first = Finite.first(w, from, to);
            }
        }
        partFirstNonFinite[part] = first;
    }

    /**
     * Answers from the check folded into {@link #step}; for another list than the one last stepped, scans it.
     */
    @Override
    public int firstNonFinite(List<Parameter> parameters) {
        return parameters == lastStepped ? firstNonFinite : Optimizer.super.firstNonFinite(parameters);
    }

    private void prepareGradient(float[] w, float[] g, int from, int to, float normScale) {
        float c = (float) clipValue, decay = (float) (decoupledWeightDecay() ? 0 : weightDecay);
        if (normScale == 1f && c == 0 && decay == 0) {
            return; // the default settings: nothing to prepare, so no pass over the gradient
        }
        for (int i = from; i < to; i++) {
            float gi = g[i] * normScale;
            if (c > 0) {
                gi = Math.max(-c, Math.min(c, gi));
            }
            // without decay the value must not enter: 0 · ∞ would turn an infinite weight's gradient into NaN
            g[i] = decay == 0 ? gi : gi + decay * w[i];
        }
    }

    private float clipScale(List<Parameter> parameters) {
        double sq = 0;
        for (Parameter p : parameters) {
            float[] g = p.grad().data();
            for (int i = p.grad().offset(), end = i + p.size(); i < end; i++) {
                sq += (double) g[i] * g[i];
            }
        }
        double norm = Math.sqrt(sq);
        return norm > clipNorm ? (float) (clipNorm / norm) : 1f;
    }

    /** True when the subclass applies weight decay itself, decoupled from the gradient (AdamW). */
    protected boolean decoupledWeightDecay() {
        return false;
    }

    private State stateOf(Parameter p) {
        State s = states.get(p);
        if (s == null) {
            String[] names = stateNames();
            Tensor[] tensors = new Tensor[names.length];
            float[][] arrays = new float[names.length][];
            ParameterBuffer buffer = p.buffer();
            for (int i = 0; i < names.length; i++) {
                if (buffer == null) {
                    tensors[i] = Tensor.zeros(p.value().shape());
                    arrays[i] = tensors[i].data();
                } else {
                    // the buffer's state array, seen through p's part of it: a step over the buffer updates it
                    arrays[i] = bufferState(buffer)[i];
                    tensors[i] = buffer.view(arrays[i], buffer.indexOf(p));
                }
            }
            s = new State(tensors, arrays);
            states.put(p, s);
        }
        return s;
    }

    private float[][] bufferState(ParameterBuffer buffer) {
        return bufferStates.computeIfAbsent(buffer, b -> new float[stateNames().length][b.length()]);
    }

    @Override
    public Map<String, Tensor> state(Parameter parameter) {
        Tensor[] s = stateOf(parameter).tensors();
        String[] names = stateNames();
        Map<String, Tensor> m = new LinkedHashMap<>();
        for (int i = 0; i < names.length; i++) {
            m.put(names[i], s[i]);
        }
        return m;
    }

    /**
     * The shared settings (weight decay, clipping) and the subclass's own ({@link #addSettings}), in a fixed order.
     */
    @Override
    public final Map<String, Object> settings() {
        Map<String, Object> m = new LinkedHashMap<>();
        addSettings(m);
        m.put("weight_decay", weightDecay);
        m.put("clip_norm", clipNorm);
        m.put("clip_value", clipValue);
        return java.util.Collections.unmodifiableMap(m);
    }

    /** Adds the subclass's settings (momentum, betas, ε, ...) to {@code settings}. */
    protected void addSettings(Map<String, Object> settings) {
    }

    @Override
    public long steps() {
        return steps;
    }

    @Override
    public void setSteps(long steps) {
        if (steps < 0) {
            throw new IllegalArgumentException("steps must be non-negative but was " + steps);
        }
        this.steps = steps;
    }

    @Override
    public double learningRate() {
        return learningRate;
    }

    @Override
    public void setLearningRate(double learningRate) {
        if (!(learningRate >= 0) || Double.isInfinite(learningRate)) {
            throw new IllegalArgumentException("learning rate must be finite and non-negative but was "
                    + learningRate);
        }
        this.learningRate = learningRate;
    }

    public double weightDecay() {
        return weightDecay;
    }

    /** L2 weight decay λ ≥ 0 (see the class comment); returns this optimizer. */
    public GradientOptimizer weightDecay(double lambda) {
        if (!(lambda >= 0) || Double.isInfinite(lambda)) {
            throw new IllegalArgumentException("weight decay must be finite and non-negative but was " + lambda);
        }
        this.weightDecay = lambda;
        return this;
    }

    /** Clips the gradient's global L2 norm to {@code maxNorm} > 0 before each step; returns this optimizer. */
    public GradientOptimizer clipNorm(double maxNorm) {
        if (!(maxNorm > 0) || Double.isInfinite(maxNorm)) {
            throw new IllegalArgumentException("clipNorm must be positive and finite but was " + maxNorm);
        }
        this.clipNorm = maxNorm;
        return this;
    }

    /** Clips every gradient value to {@code [−maxValue, maxValue]} before each step; returns this optimizer. */
    public GradientOptimizer clipValue(double maxValue) {
        if (!(maxValue > 0) || Double.isInfinite(maxValue)) {
            throw new IllegalArgumentException("clipValue must be positive and finite but was " + maxValue);
        }
        this.clipValue = maxValue;
        return this;
    }

    /** {@code (λ/2) Σ θ²} over all parameters when weight decay is on. */
    @Override
    public double penalty(List<Parameter> parameters) {
        if (weightDecay == 0) {
            return 0;
        }
        double sq = 0;
        for (Parameter p : parameters) {
            float[] w = p.value().data();
            for (int i = p.value().offset(), end = i + p.size(); i < end; i++) {
                sq += (double) w[i] * w[i];
            }
        }
        return 0.5 * weightDecay * sq;
    }

    static double requireInUnitInterval(String name, double v) {
        if (!(v >= 0 && v < 1)) {
            throw new IllegalArgumentException(name + " must be in [0, 1) but was " + v);
        }
        return v;
    }

    static double requirePositive(String name, double v) {
        if (!(v > 0) || Double.isInfinite(v)) {
            throw new IllegalArgumentException(name + " must be positive and finite but was " + v);
        }
        return v;
    }
}
