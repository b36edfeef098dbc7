package org.neuralj.layers;

import java.util.Map;
import org.neuralj.core.AbstractLayer;
import org.neuralj.core.LayerConfig;
import org.neuralj.core.LayerType;
import org.neuralj.core.Shape;
import org.neuralj.core.Tensor;

/**
 * Inverted dropout: in training, each value is kept with probability {@code 1 − p} and scaled by {@code 1/(1 − p)},
 * else zeroed, so the expected output equals the input and inference is the identity.
 *
 * <pre>forward:  y = x ⊙ mask,   mask_i ∈ {0, 1/(1 − p)}        backward:  ∂L/∂x = ∂L/∂y ⊙ mask</pre>
 *
 * The mask is drawn from the generator the layer was built with (the network's), so runs are reproducible, and
 * {@link org.neuralj.core.GradientCheck} can replay it.
 */
public final class Dropout extends AbstractLayer {
    private final double rate;
    private Tensor mask;
    private Tensor output;
    private Tensor gradInput;
    private boolean maskValid;

    /** Drops each value with probability {@code rate} in [0, 1). */
    public Dropout(double rate) {
        if (!(rate >= 0 && rate < 1)) {
            throw new IllegalArgumentException("Dropout rate must be in [0, 1) but was " + rate);
        }
        this.rate = rate;
    }

    public double rate() {
        return rate;
    }

    /** Any input shape; the output has the same shape. */
    @Override
    protected Shape build(Shape inputShape) {
        return inputShape;
    }

    @Override
    public Tensor forward(Tensor x, boolean training) {
        checkInput(x);
        if (!training || rate == 0) {
            maskValid = false;
            return x;
        }
        mask = Tensor.reuse(mask, x.rows(), inputShape());
        output = Tensor.reuse(output, x.rows(), inputShape());
        float keep = (float) (1 / (1 - rate));
        float[] m = mask.data(), in = x.data(), out = output.data();
        for (int i = 0, n = x.size(); i < n; i++) {
            m[i] = rng().nextDouble() < rate ? 0f : keep;
            out[i] = in[i] * m[i];
        }
        maskValid = true;
        return output;
    }

    @Override
    public Tensor backward(Tensor gradOutput) {
        if (!maskValid) {
            return gradOutput; // identity: the last forward pass was inference or rate 0
        }
        checkGradient(gradOutput, mask);
        gradInput = Tensor.reuse(gradInput, gradOutput.rows(), inputShape());
        float[] g = gradOutput.data(), m = mask.data(), gi = gradInput.data();
        for (int i = 0, n = gradOutput.size(); i < n; i++) {
            gi[i] = g[i] * m[i];
        }
        return gradInput;
    }

    @Override
    public String name() {
        return "Dropout(" + rate + ")";
    }

    /** Saved as {@code "Dropout"} with its {@code rate}. */
    public static final class Type extends LayerType<Dropout> {
        public Type() {
            super("Dropout", Dropout.class);
        }

        @Override
        public Map<String, Object> config(Dropout layer) {
            return Map.of("rate", layer.rate);
        }

        @Override
        public Dropout create(LayerConfig config) {
            return new Dropout(config.getDouble("rate"));
        }
    }
}
