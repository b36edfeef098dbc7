package com.example.onnx;

import java.util.Map;
import org.neuralj.core.Activation;
import org.neuralj.core.LayerConfig;
import org.neuralj.core.LayerType;
import org.neuralj.core.OnnxGraph;
import org.neuralj.core.OnnxMapping;
import org.neuralj.core.Tensor;

/** A user's layer with its own ONNX mapping, {@code y = a·tanh(x)}: {@code Mul(Tanh(x), a)}. */
public final class ScaledTanh extends Activation {
    private final float scale;

    public ScaledTanh(float scale) {
        this.scale = scale;
    }

    @Override
    protected float apply(float x) {
        return scale * (float) Math.tanh(x);
    }

    @Override
    protected float derivative(float x, float y) {
        float t = (float) Math.tanh(x);
        return scale * (1 - t * t);
    }

    @Override
    public String name() {
        return "ScaledTanh(" + scale + ")";
    }

    /** Saved as {@code "com.example.ScaledTanh"} with its {@code scale}; exported as {@code Mul(Tanh(x), scale)}. */
    public static final class Type extends LayerType<ScaledTanh> implements OnnxMapping<ScaledTanh> {
        public Type() {
            super("com.example.ScaledTanh", ScaledTanh.class);
        }

        @Override
        public Map<String, Object> config(ScaledTanh layer) {
            return Map.of("scale", layer.scale);
        }

        @Override
        public ScaledTanh create(LayerConfig config) {
            return new ScaledTanh(config.getFloat("scale"));
        }

        @Override
        public String toOnnx(ScaledTanh layer, OnnxGraph graph, String input) {
            return graph.node("Mul", graph.node("Tanh", input), graph.constant("scale", Tensor.row(layer.scale)));
        }
    }
}
