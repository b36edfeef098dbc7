package org.neuralj.layers;

import org.neuralj.core.Activation;
import org.neuralj.core.LayerConfig;
import org.neuralj.core.LayerType;
import org.neuralj.core.OnnxGraph;
import org.neuralj.core.OnnxMapping;

/** The hyperbolic tangent {@code tanh(x)}, with derivative {@code 1 − tanh²(x)}. */
public final class Tanh extends Activation {

    @Override
    protected float apply(float x) {
        return (float) Math.tanh(x);
    }

    @Override
    protected float derivative(float x, float y) {
        return 1f - y * y;
    }

    /** Saved as {@code "Tanh"}, with no settings; ONNX {@code Tanh}. */
    public static final class Type extends LayerType<Tanh> implements OnnxMapping<Tanh> {
        public Type() {
            super("Tanh", Tanh.class);
        }

        @Override
        public Tanh create(LayerConfig config) {
            return new Tanh();
        }

        @Override
        public String toOnnx(Tanh layer, OnnxGraph graph, String input) {
            return graph.node("Tanh", input);
        }
    }
}
