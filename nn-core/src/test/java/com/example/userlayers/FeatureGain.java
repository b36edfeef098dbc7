package com.example.userlayers;

import org.neuralj.core.AbstractLayer;
import org.neuralj.core.LayerConfig;
import org.neuralj.core.LayerType;
import org.neuralj.core.Parameter;
import org.neuralj.core.Shape;
import org.neuralj.core.Tensor;

/**
 * A user's layer with a parameter, the shared test example of an {@link AbstractLayer}: a learnable per-feature gain
 * {@code y = x ⊙ g}, so {@code ∂L/∂g = Σ_rows G ⊙ x} and {@code ∂L/∂x = G ⊙ g}. Its gains start random in
 * [0.5, 1.5], so a loaded copy only predicts the same if they are restored.
 */
public final class FeatureGain extends AbstractLayer {
    private Parameter gain;
    private Tensor input;
    private Tensor output;
    private Tensor gradInput;

    @Override
    protected Shape build(Shape inputShape) {
        gain = addParameter("gain", inputShape.size());
        float[] g = gain.value().data();
        for (int i = 0; i < g.length; i++) {
            g[i] = 0.5f + rng().nextFloat();
        }
        return inputShape;
    }

    @Override
    public Tensor forward(Tensor x, boolean training) {
        checkInput(x);
        int w = gain.size();
        output = Tensor.reuse(output, x.rows(), w);
        float[] in = x.data(), out = output.data(), g = gain.value().data();
        int go = gain.value().offset(); // in a network, the gains are a view of its parameter buffer
        for (int i = 0; i < x.size(); i++) {
            out[i] = in[i] * g[go + i % w];
        }
        input = x;
        return output;
    }

    @Override
    public Tensor backward(Tensor grad) {
        checkGradient(grad, output);
        int w = gain.size();
        gradInput = Tensor.reuse(gradInput, grad.rows(), w);
        float[] gd = grad.data(), in = input.data(), g = gain.value().data(), gg = gain.grad().data();
        float[] gi = gradInput.data();
        int go = gain.value().offset(), ggo = gain.grad().offset();
        for (int i = 0; i < grad.size(); i++) {
            gg[ggo + i % w] += gd[i] * in[i];
            gi[i] = gd[i] * g[go + i % w];
        }
        return gradInput;
    }

    /** Saved as {@code "com.example.FeatureGain"}, with no settings (the gains are weights). */
    public static final class Type extends LayerType<FeatureGain> {
        public Type() {
            super("com.example.FeatureGain", FeatureGain.class);
        }

        @Override
        public FeatureGain create(LayerConfig config) {
            return new FeatureGain();
        }
    }
}
