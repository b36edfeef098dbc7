package com.example.custom;

import java.util.List;
import org.neuralj.core.Layer;
import org.neuralj.core.Parameter;
import org.neuralj.core.Rng;
import org.neuralj.core.Shape;
import org.neuralj.core.Tensor;

/**
 * A user's own layer with a parameter: a learnable per-feature scale {@code y = x ⊙ s}, so
 * {@code ∂L/∂s = Σ_rows G ⊙ x} and {@code ∂L/∂x = G ⊙ s}.
 */
public final class FeatureScale implements Layer {
    private Parameter scale;
    private Tensor input;
    private Tensor output;
    private Tensor gradInput;

    @Override
    public Shape build(Shape inputShape, Rng rng) {
        scale = new Parameter("scale", Tensor.full(1f, inputShape.size()));
        return inputShape;
    }

    @Override
    public Tensor forward(Tensor x, boolean training) {
        int w = scale.size();
        if (x.cols() != w) {
            throw new IllegalArgumentException("FeatureScale expects input width " + w + " but got " + x.cols());
        }
        output = Tensor.reuse(output, x.rows(), w);
        float[] in = x.data(), out = output.data(), s = scale.value().data();
        for (int i = 0; i < x.size(); i++) {
            out[i] = in[i] * s[i % w];
        }
        input = x;
        return output;
    }

    @Override
    public Tensor backward(Tensor g) {
        int w = scale.size();
        gradInput = Tensor.reuse(gradInput, g.rows(), w);
        float[] gd = g.data(), in = input.data(), s = scale.value().data(), gs = scale.grad().data();
        for (int i = 0; i < g.size(); i++) {
            gs[i % w] += gd[i] * in[i];
            gradInput.data()[i] = gd[i] * s[i % w];
        }
        return gradInput;
    }

    @Override
    public List<Parameter> parameters() {
        return List.of(scale);
    }
}
