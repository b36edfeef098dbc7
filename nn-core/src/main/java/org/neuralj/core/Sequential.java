package org.neuralj.core;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.WeakHashMap;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A network that is a stack of layers, each feeding the next: {@code ŷ = f_n(… f_2(f_1(x)))}.
 *
 * <pre>{@code
 * Sequential net = Sequential.builder()
 *     .input(64)
 *     .add(new Dense(30)).add(new Sigmoid())
 *     .add(new Dense(10)).add(new Softmax())
 *     .seed(42)
 *     .build();
 * }</pre>
 *
 * <p>Forward propagation runs the layers in order; backpropagation runs their {@code backward} in reverse, each
 * turning {@code ∂L/∂(output)} into {@code ∂L/∂(input)} by the chain rule.
 *
 * <p>The network is the model only: it knows its layers and how to propagate through them. Training and evaluation
 * ({@link Trainer}) drive it from outside, so calls go one way, from the loop to the model.
 *
 * <p><b>Threads.</b> Layers reuse buffers between calls, so the network guards them with its own fair {@link #lock()}:
 * {@link #predict} and {@link #predictClasses}, and {@link Trainer#fit} and {@link Trainer#evaluate} on it, may be
 * called from many threads at once and run one at a time. {@code fit} takes the lock for one batch at a time and,
 * the lock being fair, a {@code predict} that arrives during training waits for at most the batch in progress (it
 * then sees the weights between two steps). {@link #forward} and {@link #backward} take no lock (they are the
 * training loop's steps). For inference in parallel, give each thread its own {@link #copy()}.
 *
 * <p>A layer belongs to one network: it holds that network's weights and buffers. Building a second network with a
 * layer instance that is already part of one is refused; use {@link #copy()} or new instances.
 */
public final class Sequential {
    /**
     * Every layer instance built into a network, weakly held. {@link AbstractLayer} refuses a second build itself;
     * this catches layers that implement {@link Layer} directly. Identity matters, so equal layers are not confused
     * unless a layer class overrides {@code equals} (layers are mutable objects and should not).
     */
    private static final Map<Layer, Boolean> OWNED = Collections.synchronizedMap(new WeakHashMap<>());

    /** Rows per forward pass of {@link #predict}: large enough to keep the products efficient. */
    private static final int PREDICT_CHUNK = 1024;

    private final Lock lock = new ReentrantLock(true);
    /** {@link #predict}'s reused chunk of input rows; guarded by {@link #lock}. */
    private Tensor chunk;
    /** Held by {@link Trainer#fit} for a whole run, so two runs on one network do not interleave their batches. */
    final Lock trainingLock = new ReentrantLock(true);
    private final Shape inputShape;
    private final List<Layer> layers;
    private final List<Shape> outputShapes;
    private final ParameterBuffer parameters;
    private final long seed;
    private final Rng rng;

    private Sequential(Shape inputShape, List<Layer> layers, List<Shape> outputShapes, long seed, Rng rng) {
        this.inputShape = inputShape;
        this.layers = List.copyOf(layers);
        this.outputShapes = List.copyOf(outputShapes);
        this.seed = seed;
        this.rng = rng;
        List<Parameter> ps = new ArrayList<>();
        for (Layer l : layers) {
            ps.addAll(l.parameters());
        }
        this.parameters = new ParameterBuffer(ps);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Assembles a {@link Sequential}: input shape, layers, seed; {@link #build()} infers and checks every shape. */
    public static final class Builder {
        private Shape inputShape;
        private final List<Layer> layers = new ArrayList<>();
        private long seed = 42;

        private Builder() {
        }

        /** The shape of one input sample, e.g. {@code input(64)} for 64 features. */
        public Builder input(int... dims) {
            this.inputShape = Shape.of(Objects.requireNonNull(dims, "input dims must not be null"));
            return this;
        }

        public Builder input(Shape shape) {
            this.inputShape = Objects.requireNonNull(shape, "input shape must not be null");
            return this;
        }

        /** Appends a layer; any {@link Layer} implementation, including your own. */
        public Builder add(Layer layer) {
            if (layer == null) {
                throw new IllegalArgumentException("layer must not be null (adding layer " + layers.size() + ")");
            }
            if (layers.contains(layer)) {
                throw new IllegalArgumentException("layer " + layer.name() + " was already added; create a new"
                        + " instance for each position");
            }
            layers.add(layer);
            return this;
        }

        /** The seed of all randomness: initial weights, shuffling, dropout. Default 42. */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Builds every layer in order, passing each the previous output shape, and initialises the weights. */
        public Sequential build() {
            return build(null);
        }

        /**
         * {@link #build()}, allowing layer {@code i} at most {@code maxParameterValues[i]} parameter values: how a
         * model loader keeps a damaged file from making a layer allocate more than the file stores. A layer that
         * asks for more is refused (naming it) before the memory is taken.
         */
        public Sequential buildWithLimits(long... maxParameterValues) {
            if (maxParameterValues.length != layers.size()) {
                throw new IllegalArgumentException("buildWithLimits: " + maxParameterValues.length + " limits for "
                        + layers.size() + " layers");
            }
            return build(maxParameterValues);
        }

        private Sequential build(long[] limits) {
            if (inputShape == null) {
                throw new IllegalStateException("Sequential.builder(): call input(...) before build()");
            }
            if (layers.isEmpty()) {
                throw new IllegalStateException("Sequential.builder(): add at least one layer before build()");
            }
            for (int i = 0; i < layers.size(); i++) {
                if (OWNED.containsKey(layers.get(i))) {
                    throw new IllegalArgumentException("layer " + i + " (" + layers.get(i).name() + ") already belongs"
                            + " to another network, whose weights and buffers it holds; create a new instance (or"
                            + " use that network's copy())");
                }
            }
            Rng rng = new Rng(seed);
            List<Shape> shapes = new ArrayList<>();
            Shape shape = inputShape;
            for (int i = 0; i < layers.size(); i++) {
                Layer layer = layers.get(i);
                try {
                    shape = layer.build(shape, limits == null ? BuildContext.of(rng)
                            : BuildContext.limited(rng, limits[i], "the file stores"));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("layer " + i + " (" + layer.name() + "): " + e.getMessage(), e);
                }
                if (shape == null) {
                    throw new IllegalStateException("layer " + i + " (" + layer.name() + ").build returned no shape");
                }
                shapes.add(shape);
            }
            layers.forEach(l -> OWNED.put(l, Boolean.TRUE));
            return new Sequential(inputShape, layers, shapes, seed, rng);
        }
    }

    // ---------------------------------------------------------------- propagation

    /**
     * Forward propagation of a batch {@code [B, ...inputShape]} (or its flat form {@code [B, inputShape.size()]}). The result is the last layer's buffer, valid until the next
     * call; use {@link #predict} for a copy.
     */
    public Tensor forward(Tensor input, boolean training) {
        Objects.requireNonNull(input, "input must not be null");
        requireInput(input);
        Tensor x = input;
        for (Layer layer : layers) {
            x = layer.forward(x, training);
        }
        return x;
    }

    /** Backpropagation from {@code ∂L/∂ŷ} through every layer; returns {@code ∂L/∂x}. */
    public Tensor backward(Tensor gradOutput) {
        Tensor g = gradOutput;
        for (int i = layers.size() - 1; i >= 0; i--) {
            g = layers.get(i).backward(g);
        }
        return g;
    }

    /**
     * The training loop's backpropagation: from {@code ∂L/∂(output of layer last)} down to the first layer, adding
     * every parameter's gradient. {@code ∂L/∂x} is not computed (nobody reads it; see
     * {@link Layer#backwardParametersOnly}). Starting below the last layer is how a fused softmax + cross-entropy
     * gradient, taken with respect to the logits, skips the softmax.
     */
    public void backwardParameters(int last, Tensor gradOutput) {
        if (last < 0 || last >= layers.size()) {
            throw new IllegalArgumentException("backwardParameters: layer " + last + " is not in 0.." + (layers.size() - 1));
        }
        Tensor g = gradOutput;
        for (int i = last; i > 0; i--) {
            g = layers.get(i).backward(g);
        }
        layers.get(0).backwardParametersOnly(g);
    }

    /**
     * Inference on a batch: a new tensor {@code [B, ...outputShape]}. Thread-safe (serialised on this network). An
     * input of more than {@value #PREDICT_CHUNK} rows goes through in chunks of that many, so the layers' buffers stay
     * that size whatever the input; rows do not depend on each other at inference, so the result is the same.
     */
    public Tensor predict(Tensor input) {
        Objects.requireNonNull(input, "input must not be null");
        lock.lock();
        try {
            if (input.rows() <= PREDICT_CHUNK) {
                return forward(input, false).copy();
            }
            Tensor out = Tensor.zeros(input.rows(), outputShape());
            forEachChunk(input, (from, y) -> System.arraycopy(y.data(), 0, out.data(), from * y.cols(), y.size()));
            return out;
        } finally {
            lock.unlock();
        }
    }

    /** The predicted class of each row ({@link Classes}), in chunks as {@link #predict}. Thread-safe. */
    public int[] predictClasses(Tensor input) {
        Objects.requireNonNull(input, "input must not be null");
        lock.lock();
        try {
            if (input.rows() <= PREDICT_CHUNK) {
                return Classes.of(forward(input, false));
            }
            int[] classes = new int[input.rows()];
            forEachChunk(input, (from, y) -> System.arraycopy(Classes.of(y), 0, classes, from, y.rows()));
            return classes;
        } finally {
            lock.unlock();
        }
    }

    /** What {@link #forEachChunk} hands on: the first row of a chunk and the network's output for it. */
    @FunctionalInterface
    private interface ChunkOutput {
        void accept(int from, Tensor output);
    }

    /** Forward passes over rows {@code [from, from + PREDICT_CHUNK)} of {@code input}, copied into one buffer. */
    private void forEachChunk(Tensor input, ChunkOutput sink) {
        requireInput(input);
        int rows = input.rows(), cols = input.cols();
        for (int from = 0; from < rows; from += PREDICT_CHUNK) {
            int n = Math.min(PREDICT_CHUNK, rows - from);
            chunk = Tensor.reuse(chunk, n, cols);
            System.arraycopy(input.data(), input.offset() + from * cols, chunk.data(), 0, n * cols);
            sink.accept(from, forward(chunk, false));
        }
    }

    /**
     * The lock that serialises use of this network's layers: fair, so threads take turns in arrival order. Hold it
     * to read the weights consistently from another thread (a saver does), or to run {@link #forward} yourself.
     */
    public Lock lock() {
        return lock;
    }

    /**
     * A deep copy that shares nothing mutable with this network: every layer recreated from its {@link LayerType}'s
     * config through {@link LayerRegistry#shared()}, built for the same shapes, then given this network's weights,
     * buffers (e.g. running statistics) and random generator state. It costs one set of weights and no training;
     * predictions are bit-identical. This is the way to run inference on many threads in parallel: one copy per
     * thread.
     *
     * @throws IllegalArgumentException when a layer has no registered {@link LayerType}
     * @throws IllegalStateException when a recreated layer's parameters differ in shape from the original's, i.e.
     *                               its type's {@code config} does not describe it fully
     */
    public Sequential copy() {
        Builder b = builder().input(inputShape).seed(seed);
        for (Layer layer : layers) {
            b.add(LayerRegistry.shared().recreate(layer));
        }
        Sequential copy = b.build();
        lock.lock();
        try {
            for (int i = 0; i < parameters.size(); i++) {
                Parameter from = parameters.get(i);
                Parameter to = i < copy.parameters.size() ? copy.parameters.get(i) : null;
                if (to == null || !Arrays.equals(from.value().shape(), to.value().shape())
                        || copy.parameters.size() != parameters.size()) {
                    throw new IllegalStateException("copy(): the recreated network's parameters " + copy.parameters
                            + " differ from the original's " + parameters + "; a layer type's config does not"
                            + " describe it fully");
                }
            }
            // same parameters in the same order: the same layout, so the weights are one copy
            System.arraycopy(parameters.values(), 0, copy.parameters.values(), 0, parameters.length());
            for (int i = 0; i < layers.size(); i++) {
                List<Parameter> from = layers.get(i).buffers(), to = copy.layers.get(i).buffers();
                if (to.size() != from.size()) {
                    throw new IllegalStateException("copy(): layer " + i + " (" + layers.get(i).name() + ") was"
                            + " recreated with buffers " + to + " instead of " + from);
                }
                for (int j = 0; j < from.size(); j++) {
                    to.get(j).value().copyFrom(from.get(j).value());
                }
            }
            copy.rng.restore(rng.state());
        } finally {
            lock.unlock();
        }
        return copy;
    }

    // ---------------------------------------------------------------- description

    public List<Layer> layers() {
        return layers;
    }

    /** Every layer's parameters, in layer order: views of one {@link ParameterBuffer}. */
    public ParameterBuffer parameters() {
        return parameters;
    }

    public int parameterCount() {
        return parameters.length();
    }

    public Shape inputShape() {
        return inputShape;
    }

    public Shape outputShape() {
        return outputShapes.get(outputShapes.size() - 1);
    }

    /** The output shape of layer {@code i}. */
    public Shape outputShape(int i) {
        return outputShapes.get(i);
    }

    public long seed() {
        return seed;
    }

    /** The network's random generator (after weight initialisation it drives shuffles and dropout). */
    public Rng rng() {
        return rng;
    }

    /**
     * A Keras-style table: each layer, its output shape and parameter count, then the totals, and the values of the
     * layers' buffers when there are any.
     */
    public String summary() {
        String rule = "-".repeat(64);
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%-28s%-24s%12s%n", "Layer (type)", "Output Shape", "Param #"));
        sb.append("=".repeat(64)).append('\n');
        sb.append(String.format(Locale.ROOT, "%-28s%-24s%12s%n", "input", inputShape.toBatchString(), "0"));
        for (int i = 0; i < layers.size(); i++) {
            Layer l = layers.get(i);
            int count = l.parameters().stream().mapToInt(Parameter::size).sum();
            sb.append(rule).append('\n');
            sb.append(String.format(Locale.ROOT, "%-28s%-24s%12s%n", l.name(), outputShapes.get(i).toBatchString(),
                    String.format(Locale.ROOT, "%,d", count)));
        }
        sb.append("=".repeat(64)).append('\n');
        sb.append(String.format(Locale.ROOT, "Total params: %,d%n", parameterCount()));
        // buffers (e.g. batch normalisation's running statistics) are saved with the model but not trained
        long buffered = layers.stream().flatMap(l -> l.buffers().stream()).mapToLong(Parameter::size).sum();
        if (buffered > 0) {
            sb.append(String.format(Locale.ROOT, "Non-trainable buffers: %,d%n", buffered));
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return "Sequential" + layers.stream().map(Layer::name).toList();
    }

    void requireInput(Tensor input) {
        if (!inputShape.describesSamplesOf(input)) {
            throw new IllegalArgumentException("Sequential expects input width " + inputShape.size() + " (batches "
                    + inputShape.toBatchString() + " or flat rows of " + inputShape.size() + ") but got "
                    + input.cols() + " (tensor " + Arrays.toString(input.shape()) + ")");
        }
    }
}
