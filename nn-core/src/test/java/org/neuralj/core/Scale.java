package org.neuralj.core;

import java.util.List;
import java.util.Map;

/** A test layer with a learnable per-feature scale: {@code y = x ⊙ s}, {@code ∂L/∂s = Σ_rows G ⊙ x}, {@code ∂L/∂x = G ⊙ s}. */
final class Scale implements Layer {
    private Parameter scale;
    private Tensor input;
    private Tensor output;
    private Tensor gradInput;

    @Override
    public Shape build(Shape inputShape, Rng rng) {
        scale = new Parameter("scale", Tensor.uniform(rng, 0.5f, 1.5f, inputShape.size()));
        return inputShape;
    }

    @Override
    public Tensor forward(Tensor x, boolean training) {
        int w = scale.size();
        if (x.cols() != w) {
            throw new IllegalArgumentException("Scale expects input width " + w + " but got " + x.cols());
        }
        output = Tensor.reuse(output, x.rows(), w);
        for (int i = 0; i < x.size(); i++) {
            output.data()[i] = x.data()[i] * scale.value().data()[i % w];
        }
        input = x;
        return output;
    }

    @Override
    public Tensor backward(Tensor g) {
        int w = scale.size();
        gradInput = Tensor.reuse(gradInput, g.rows(), w);
        for (int i = 0; i < g.size(); i++) {
            scale.grad().data()[i % w] += g.data()[i] * input.data()[i];
            gradInput.data()[i] = g.data()[i] * scale.value().data()[i % w];
        }
        return gradInput;
    }

    @Override
    public List<Parameter> parameters() {
        return List.of(scale);
    }

    @Override
    public Map<String, Object> config() {
        return Map.of();
    }
}
