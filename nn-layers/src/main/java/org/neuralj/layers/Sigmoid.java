package org.neuralj.layers;

import org.neuralj.core.Activation;
import org.neuralj.core.LayerConfig;
import org.neuralj.core.LayerType;
import org.neuralj.core.OnnxGraph;
import org.neuralj.core.OnnxMapping;

/** The logistic function {@code σ(x) = 1 / (1 + e^−x)}, with derivative {@code σ'(x) = σ(x)(1 − σ(x))}. */
public final class Sigmoid extends Activation {

    @Override
    protected float apply(float x) {
        return (float) (1.0 / (1.0 + Math.exp(-x)));
    }

    @Override
    protected float derivative(float x, float y) {
        return y * (1f - y);
    }

    /** Saved as {@code "Sigmoid"}, with no settings; ONNX {@code Sigmoid}. */
    public static final class Type extends LayerType<Sigmoid> implements OnnxMapping<Sigmoid> {
        public Type() {
            super("Sigmoid", Sigmoid.class);
        }

        @Override
        public Sigmoid create(LayerConfig config) {
            return new Sigmoid();
        }

        @Override
        public String toOnnx(Sigmoid layer, OnnxGraph graph, String input) {
            return graph.node("Sigmoid", input);
        }
    }
}
