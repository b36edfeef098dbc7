package com.example.userlayers;

import java.util.List;
import org.neuralj.core.Layer;
import org.neuralj.core.Parameter;
import org.neuralj.core.Rng;
import org.neuralj.core.Shape;
import org.neuralj.core.Tensor;

/**
 * A user's layer with a parameter: a learnable per-feature gain {@code y = x ⊙ g}, so {@code ∂L/∂g = Σ_rows G ⊙ x}
 * and {@code ∂L/∂x = G ⊙ g}. Its gains start random, so a loaded copy only predicts the same if they are restored.
 */
public final class FeatureGain implements Layer {
    private Parameter gain;
    private Tensor input;
    private Tensor output;
    private Tensor gradInput;

    @Override
    public Shape build(Shape inputShape, Rng rng) {
        gain = new Parameter("gain", Tensor.uniform(rng, 0.5f, 1.5f, inputShape.size()));
        return inputShape;
    }

    @Override
    public Tensor forward(Tensor x, boolean training) {
        int w = gain.size();
        if (x.cols() != w) {
            throw new IllegalArgumentException("FeatureGain expects input width " + w + " but got " + x.cols());
        }
        output = Tensor.reuse(output, x.rows(), w);
        float[] in = x.data(), out = output.data(), g = gain.value().data();
        for (int i = 0; i < x.size(); i++) {
            out[i] = in[i] * g[i % w];
        }
        input = x;
        return output;
    }

    @Override
    public Tensor backward(Tensor grad) {
        int w = gain.size();
        gradInput = Tensor.reuse(gradInput, grad.rows(), w);
        float[] gd = grad.data(), in = input.data(), g = gain.value().data(), gg = gain.grad().data();
        for (int i = 0; i < grad.size(); i++) {
            gg[i % w] += gd[i] * in[i];
            gradInput.data()[i] = gd[i] * g[i % w];
        }
        return gradInput;
    }

    @Override
    public List<Parameter> parameters() {
        return List.of(gain);
    }
}
