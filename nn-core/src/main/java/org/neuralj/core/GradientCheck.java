package org.neuralj.core;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Numerical gradient checking: compares the gradients that backpropagation computes with the fourth-order (5-point)
 * central difference
 *
 * <pre>∂L/∂θᵢ ≈ (−L(θᵢ + 2h) + 8 L(θᵢ + h) − 8 L(θᵢ − h) + L(θᵢ − 2h)) / 12h,   h = {@link #STEP} = 2⁻⁶</pre>
 *
 * for every parameter and for the input. The loss is accumulated in double. The perturbed entries are float32, so the
 * estimate is the derivative at θᵢ of the quartic through the five points actually evaluated (each {@code θᵢ + jh}
 * rounded to float32, and L(θᵢ) itself): that is the formula above whenever the rounding is exact, as it is for most
 * entries with h a power of two. Its truncation error is {@code h⁴ L⁽⁵⁾/30}, which allows a step large enough that the
 * float32 rounding of the forward pass (about 1e-7 of L, divided by h) stays small: with the former
 * {@code (L(θ+h) − L(θ−h))/2h} at {@code h = 1e-3}, that noise alone reached 2e-3 of the gradient.
 *
 * <p><b>Kinks and strong curvature.</b> A perturbation can move a pre-activation across the kink of a ReLU further
 * down the network, or the stencil can be too wide for the function (cross-entropy near p = 0). Both show in the
 * third differences {@code Δ³L/h} of the five values (in units of a slope; for a smooth L they are about h²L‴). An
 * entry whose larger third difference exceeds 2e-3 of the tensor's gradient scale {@code max(max|a|, max|n|)} is
 * evaluated again with the step h/8; if it still exceeds it, the entry is skipped. For a single kink inside the
 * stencil, the error of the 5-point estimate is at most half of the larger third difference, so a kink that is not
 * flagged shifts the estimate by at most 1e-3 of the scale, well below {@link #TOLERANCE}. Skipping only removes
 * numeric samples; it cannot hide an analytic error in the entries that remain. A tensor whose sampled entries are all
 * skipped reports NaN, which fails. Inputs drawn by {@link #check(Layer, Shape, int, Rng)} lie in ±[0.1, 1], so their
 * perturbations (at most {@code 2h = 0.031}) never cross a kink at 0. (With the former method, a ReLU network's check
 * reached errors of 0.16 on some seeds for that reason.)
 *
 * <p><b>Error metric.</b> For each tensor (each parameter and the input separately, so that an error in a small bias
 * is not hidden by a large weight gradient) the report gives the norm-wise relative error
 * {@code max_i |aᵢ − nᵢ| / max(max_i |aᵢ|, max_i |nᵢ|)} over the checked entries, where a is analytic and n numeric.
 * A gradient off by a factor (1 + e) gives {@code |e| / max(1, 1 + e)}, about 0.0099 for e = ±1%; a wrong derivative
 * gives errors near 1. Large tensors are checked on a seeded sample of entries.
 *
 * <p>Use it on your own layers: {@code GradientCheck.check(layer, Shape.of(5), 4, new Rng(1)).passes()}. A
 * {@link NonDifferentiable} layer (the perceptron's step) is refused with an {@link IllegalArgumentException}: its
 * derivative is zero wherever it exists, so a check could only confirm that zeros equal zeros.
 */
public final class GradientCheck {
    /** The finite-difference step h of the 5-point stencil: 2⁻⁶, a power of two so that most steps are exact. */
    public static final double STEP = 0x1p-6;

    /**
     * The largest norm-wise relative error a correct gradient may show: {@value}. Measured with this method on 100
     * seeds each of every built-in layer's check, the three losses alone, a 3-layer sigmoid/tanh network with quadratic
     * cost and a 3-layer ReLU/softmax network with cross-entropy: correct gradients reach at most 8.9e-4 (the ReLU
     * network's input, where perturbations come near kinks; 5.1e-4 elsewhere), while a planted ±1% error in one tensor
     * (input gradient, weights or bias of a Dense layer alone or inside either network, or a loss gradient) gives at
     * least 9.7e-3. 3e-3 lies a factor of about 3 from both, and above the 1e-3 that an unflagged kink can add.
     */
    public static final double TOLERANCE = 3e-3;

    private static final int MAX_ENTRIES = 300;
    /** Third differences above this fraction of the tensor's gradient scale mark an entry as not resolved. */
    private static final double KINK = 2e-3;
    /** The step of the second attempt at an unresolved entry is {@code STEP / SHRINK}. */
    private static final double SHRINK = 8;

    private GradientCheck() {
    }

    /**
     * One tensor's check: the largest relative error over the entries compared, how many entries were sampled, and
     * how many of those were skipped because the difference stencil did not resolve the loss there (a kink of ReLU
     * or a max within a few steps h).
     */
    public record TensorCheck(double maxRelativeError, int entries, int skipped) {
        /**
         * False when every sampled entry was skipped: the error is then NaN and says nothing about the gradient (a
         * gradient that is itself NaN is resolved, with a NaN error: a failure).
         */
        public boolean resolved() {
            return entries == 0 || skipped < entries;
        }
    }

    /** The check of every tensor, keyed {@code "input"} or {@code "<layer index>:<name>.<param>"}, in order. */
    public record Report(Map<String, TensorCheck> tensors) {

        /** The largest relative error per tensor (NaN for a tensor not resolved or with a NaN gradient). */
        public Map<String, Double> maxRelativeError() {
            Map<String, Double> m = new LinkedHashMap<>();
            tensors.forEach((k, v) -> m.put(k, v.maxRelativeError()));
            return m;
        }

        /** The largest error over all tensors (NaN when any is NaN). */
        public double max() {
            return tensors.values().stream().mapToDouble(TensorCheck::maxRelativeError).max().orElse(0);
        }

        public boolean passes(double tolerance) {
            return max() <= tolerance;
        }

        /** Whether every tensor's error is at most {@link #TOLERANCE} (NaN, an unchecked tensor, fails). */
        public boolean passes() {
            return passes(TOLERANCE);
        }

        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder("GradientCheck");
            tensors.forEach((k, v) -> sb.append(String.format(Locale.ROOT, "%n  %-32s %.3e", k, v.maxRelativeError()))
                    .append(v.skipped() == 0 ? "" : v.resolved() ? String.format(Locale.ROOT,
                            "  (%d of %d entries skipped at kinks)", v.skipped(), v.entries())
                            : "  (unresolved: all " + v.entries() + " entries at kinks)"));
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
        layer.build(inputShape, BuildContext.of(layerRng));
        Tensor x = Tensor.zeros(batch, inputShape);
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
        refuseNonDifferentiable(layer);
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
        Map<String, TensorCheck> errors = new LinkedHashMap<>();
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
        net.layers().forEach(GradientCheck::refuseNonDifferentiable);
        long[] replay = net.rng().state(); // dropout masks: every pass draws the same ones
        LossFunction f = () -> {
            net.rng().restore(replay);
            return loss.value(net.forward(x, true), y);
        };
        net.parameters().forEach(Parameter::zeroGrad);
        net.rng().restore(replay);
        Tensor out = net.forward(x, true);
        Tensor gradInput = net.backward(loss.gradient(out, y)).copy();
        Map<String, TensorCheck> errors = new LinkedHashMap<>();
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
        TensorCheck check = compare(predicted, analytic, () -> loss.value(predicted, target), rng);
        return new Report(Map.of(loss.name(), check));
    }

    private static void refuseNonDifferentiable(Layer layer) {
        if (layer instanceof NonDifferentiable) {
            throw new IllegalArgumentException(layer.name() + " has no useful derivative (it is 0 wherever it exists"
                    + " and undefined at the jump), so there is no gradient to check: it is NonDifferentiable. Train"
                    + " it with a rule of its own (e.g. the perceptron rule), or use a smooth activation such as"
                    + " Sigmoid where gradients must flow.");
        }
    }

    @FunctionalInterface
    private interface LossFunction {
        double value();
    }

    /**
     * Perturbs entries of {@code values} in place (restoring them) and compares with {@code analytic}: the five-point
     * derivative at {@link #STEP}, at {@code STEP / SHRINK} where the third differences show that the stencil does not
     * resolve f (a kink or a strong curvature), and the entry is skipped when they still do (the tensor reports NaN,
     * a failure, and is not {@link TensorCheck#resolved()}, when every sampled entry is skipped).
     */
    private static TensorCheck compare(Tensor values, Tensor analytic, LossFunction f, Rng rng) {
        // a network's parameters are views of its buffer: index from their offsets
        float[] v = values.data();
        float[] a = analytic.data();
        int vo = values.offset(), ao = analytic.offset();
        int[] entries = sample(values.size(), rng);
        double f0 = f.value();
        double[][] d = new double[entries.length][];
        double scale = 0;
        for (int k = 0; k < entries.length; k++) {
            d[k] = derivative(v, vo + entries[k], STEP, f0, f);
            scale = Math.max(scale, Math.max(Math.abs(a[ao + entries[k]]), Math.abs(d[k][0])));
        }
        double maxDiff = 0, maxA = 0, maxN = 0;
        int kept = 0;
        for (int k = 0; k < entries.length; k++) {
            double[] dk = d[k];
            if (dk[1] > KINK * scale) {
                dk = derivative(v, vo + entries[k], STEP / SHRINK, f0, f);
                if (dk[1] > KINK * scale) {
                    continue;
                }
            }
            kept++;
            double ak = a[ao + entries[k]];
            maxDiff = Math.max(maxDiff, Math.abs(ak - dk[0]));
            maxA = Math.max(maxA, Math.abs(ak));
            maxN = Math.max(maxN, Math.abs(dk[0]));
        }
        f.value(); // leave the layers' buffers as for the unperturbed input
        int skipped = entries.length - kept;
        if (scale == 0) {
            return new TensorCheck(0, entries.length, skipped);
        }
        if (kept == 0) {
            return new TensorCheck(Double.NaN, entries.length, skipped);
        }
        double s = Math.max(maxA, maxN);
        return new TensorCheck(s == 0 ? 0 : maxDiff / s, entries.length, skipped);
    }

    /**
     * The derivative of f in entry {@code i} from the five points {@code x + j·h}, j = −2..2, each rounded to float32
     * as the layer sees it, and the larger third difference {@code max(|Δ³f₋₂|, |Δ³f₋₁|) / h} (in units of a slope).
     * Returns {@code {derivative, thirdDifference}}.
     */
    private static double[] derivative(float[] v, int i, double h, double f0, LossFunction f) {
        float original = v[i];
        double[] t = new double[5];
        double[] y = new double[5];
        for (int j = -2; j <= 2; j++) {
            if (j == 0) {
                y[2] = f0;
                continue;
            }
            v[i] = (float) (original + j * h);
            t[j + 2] = (double) v[i] - original; // the step actually taken in float32
            y[j + 2] = f.value();
        }
        v[i] = original;
        // derivative at 0 of the quartic through (t_j, y_j): Σ_j L_j'(0) y_j, Lagrange basis L_j
        double derivative = 0;
        for (int j = 0; j < 5; j++) {
            double w;
            if (j == 2) {
                w = 0;
                for (int m = 0; m < 5; m++) {
                    if (m != 2) {
                        w -= 1 / t[m];
                    }
                }
            } else {
                double num = 1, den = 1;
                for (int m = 0; m < 5; m++) {
                    if (m != j) {
                        den *= t[j] - t[m];
                        if (m != 2) {
                            num *= -t[m];
                        }
                    }
                }
                w = num / den;
            }
            derivative += w * y[j];
        }
        // third differences as 6h²·(third divided difference): Δ³f/h for equal steps, valid for the rounded ones
        double third = Math.max(Math.abs(dividedDifference(t, y, 0)), Math.abs(dividedDifference(t, y, 1))) * 6 * h * h;
        return new double[] {derivative, third};
    }

    /** The divided difference f[t_from, ..., t_from+3]. */
    private static double dividedDifference(double[] t, double[] y, int from) {
        double sum = 0;
        for (int j = from; j < from + 4; j++) {
            double den = 1;
            for (int m = from; m < from + 4; m++) {
                if (m != j) {
                    den *= t[j] - t[m];
                }
            }
            sum += y[j] / den;
        }
        return sum;
    }

    private static int[] sample(int n, Rng rng) {
        if (n <= MAX_ENTRIES) {
            return Rng.identity(n);
        }
        int[] s = new int[MAX_ENTRIES];
        for (int i = 0; i < s.length; i++) {
            s[i] = rng.nextInt(n);
        }
        return s;
    }
}
