package org.neuralj.layers;

import org.neuralj.core.Activation;
import org.neuralj.core.LayerConfig;
import org.neuralj.core.LayerType;
import org.neuralj.core.OnnxGraph;
import org.neuralj.core.OnnxMapping;

/** The rectifier {@code relu(x) = max(0, x)}, with derivative 1 for {@code x > 0} and 0 otherwise. */
public final class ReLU extends Activation {

    @Override
    protected float apply(float x) {
        // Math.max compiles to one branch-free instruction; a branch on the sign of the input is mispredicted about
        // half the time. A NaN input stays NaN instead of being hidden as 0.
        return Math.max(x, 0f);
    }

    @Override
    protected float derivative(float x, float y) {
        // 1 where y = max(x, 0) > 0, else 0, without a branch: a positive float's bits are a positive int, so the
        // sign bit of their negation says "positive" (y is never negative, and y = +0 gives 0).
        return (float) (-Float.floatToRawIntBits(y) >>> 31);
    }

    /** Saved as {@code "ReLU"}, with no settings; ONNX {@code Relu}. */
    public static final class Type extends LayerType<ReLU> implements OnnxMapping<ReLU> {
        public Type() {
            super("ReLU", ReLU.class);
        }

        @Override
        public ReLU create(LayerConfig config) {
            return new ReLU();
        }

        @Override
        public String toOnnx(ReLU layer, OnnxGraph graph, String input) {
            return graph.node("Relu", input);
        }
    }
}
