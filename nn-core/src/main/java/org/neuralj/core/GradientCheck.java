package org.neuralj.core;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Numerical gradient checking: compares the gradients that backpropagation computes with central differences
 *
 * <pre>∂L/∂θᵢ ≈ (L(θᵢ + h) − L(θᵢ − h)) / 2h</pre>
 *
 * for every parameter and for the input. The loss is accumulated in double; {@code h = 1e-3} suits float32.
 * For each tensor the report gives the norm-wise relative error
 * {@code max_i |aᵢ − nᵢ| / max(max_i |aᵢ|, max_i |nᵢ|)}, where a is analytic and n numeric: a wrong derivative gives
 * errors near 1, float32 rounding around 1e-4..1e-3. Large tensors are checked on a seeded sample of entries.
 *
 * <p>Use it on your own layers: {@code GradientCheck.check(layer, Shape.of(5), 4, new Rng(1))}.
 */
public final class GradientCheck {
    /** The default finite-difference step. */
    public static final double STEP = 1e-3;
    private static final int MAX_ENTRIES = 300;

    private GradientCheck() {
    }

    /** Maximum relative error per checked tensor, keyed {@code "input"} or {@code "<layer index>:<name>.<param>"}. */
    public record Report(Map<String, Double> maxRelativeError) {

        /** The largest error over all tensors. */
        public double max() {
            return maxRelativeError.values().stream().mapToDouble(Double::doubleValue).max().orElse(0);
        }

        public boolean passes(double tolerance) {
            return max() <= tolerance;
        }

        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder("GradientCheck");
            maxRelativeError.forEach((k, v) -> sb.append(String.format(Locale.ROOT, "%n  %-32s %.3e", k, v)));
            return sb.toString();
        }
    }

    /**
     * Builds {@code layer} for {@code inputShape} and checks it on a random batch of {@code batch} inputs, using the
     * scalar loss {@code L = Σ R ⊙ f(x)} for a fixed random R (so {@code ∂L/∂y = R}). Inputs are uniform in
     * ±[0.1, 1], away from the kink of ReLU-like functions.
     */
    public static Report check(Layer layer, Shape inputShape, int batch, Rng rng) {
        Rng layerRng = rng.split();
        layer.build(inputShape, layerRng);
        Tensor x = Tensor.zeros(batch, inputShape.size());
        for (int i = 0; i < x.size(); i++) {
            float v = 0.1f + 0.9f * rng.nextFloat();
            x.data()[i] = rng.nextFloat() < 0.5f ? -v : v;
        }
        return check(layer, x, layerRng, rng);
    }

    /**
     * Checks an already built {@code layer} at the input batch {@code x}. A layer that draws random numbers in
     * training mode (dropout) must be checked with {@link #check(Layer, Shape, int, Rng)} instead, which replays its
     * random stream so that every perturbed pass sees the same mask.
     */
    public static Report check(Layer layer, Tensor x, Rng rng) {
        return check(layer, x, null, rng);
    }

    private static Report check(Layer layer, Tensor x, Rng layerRng, Rng rng) {
        long[] replay = layerRng == null ? null : layerRng.state();
        Tensor probe = layer.forward(x, true);
        Tensor r = Tensor.randn(rng, probe.rows(), probe.cols());
        LossFunction f = () -> {
            if (replay != null) {
                layerRng.restore(replay);
            }
            Tensor y = layer.forward(x, true);
            double s = 0;
            float[] yd = y.data(), rd = r.data();
            for (int i = 0; i < y.size(); i++) {
                s += (double) yd[i] * rd[i];
            }
            return s;
        };
        layer.parameters().forEach(Parameter::zeroGrad);
        f.value();
        Tensor gradInput = layer.backward(r.reshape(probe.shape())).copy();
        Map<String, Double> errors = new LinkedHashMap<>();
        for (Parameter p : layer.parameters()) {
            errors.put(layer.name() + "." + p.name(), compare(p.value(), p.grad().copy(), f, rng));
        }
        errors.put("input", compare(x, gradInput, f, rng));
        return new Report(errors);
    }

    /**
     * Checks a whole network with a loss: {@code L = loss(net(x), y)}, backpropagated through every layer's own
     * backward pass (the softmax + cross-entropy fusion is not used here, so each layer is checked).
     */
    public static Report check(Sequential net, Loss loss, Tensor x, Tensor y, Rng rng) {
        long[] replay = net.rng().state(); // dropout masks: every pass draws the same ones
        LossFunction f = () -> {
            net.rng().restore(replay);
            return loss.value(net.forward(x, true), y);
        };
        net.parameters().forEach(Parameter::zeroGrad);
        net.rng().restore(replay);
        Tensor out = net.forward(x, true);
        Tensor gradInput = net.backward(loss.gradient(out, y)).copy();
        Map<String, Double> errors = new LinkedHashMap<>();
        List<Layer> layers = net.layers();
        for (int i = 0; i < layers.size(); i++) {
            for (Parameter p : layers.get(i).parameters()) {
                errors.put(i + ":" + layers.get(i).name() + "." + p.name(), compare(p.value(), p.grad().copy(), f, rng));
            }
        }
        errors.put("input", compare(x, gradInput, f, rng));
        return new Report(errors);
    }

    /** Checks a loss alone: its {@code gradient} against central differences of its {@code value}. */
    public static Report check(Loss loss, Tensor predicted, Tensor target, Rng rng) {
        Tensor analytic = loss.gradient(predicted, target);
        double error = compare(predicted, analytic, () -> loss.value(predicted, target), rng);
        return new Report(Map.of(loss.name(), error));
    }

    @FunctionalInterface
    private interface LossFunction {
        double value();
    }

    /** Perturbs entries of {@code values} in place (restoring them) and compares with {@code analytic}. */
    private static double compare(Tensor values, Tensor analytic, LossFunction f, Rng rng) {
        float[] v = values.data();
        int n = values.size();
        int[] entries = sample(n, rng);
        double maxDiff = 0, maxA = 0, maxN = 0;
        for (int i : entries) {
            float original = v[i];
            v[i] = (float) (original + STEP);
            double plus = f.value();
            v[i] = (float) (original - STEP);
            double minus = f.value();
            v[i] = original;
            // divide by the step actually taken in float32, not the nominal one
            double h2 = (double) (float) (original + STEP) - (double) (float) (original - STEP);
            double numeric = (plus - minus) / h2;
            double a = analytic.data()[i];
            maxDiff = Math.max(maxDiff, Math.abs(a - numeric));
            maxA = Math.max(maxA, Math.abs(a));
            maxN = Math.max(maxN, Math.abs(numeric));
        }
        f.value(); // leave the layers' buffers as for the unperturbed input
        double scale = Math.max(maxA, maxN);
        return scale == 0 ? 0 : maxDiff / scale;
    }

    private static int[] sample(int n, Rng rng) {
        if (n <= MAX_ENTRIES) {
            int[] all = new int[n];
            for (int i = 0; i < n; i++) {
                all[i] = i;
            }
            return all;
        }
        int[] s = new int[MAX_ENTRIES];
        for (int i = 0; i < s.length; i++) {
            s[i] = rng.nextInt(n);
        }
        return s;
    }
}
