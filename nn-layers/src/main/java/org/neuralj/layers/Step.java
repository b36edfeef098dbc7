package org.neuralj.layers;

import java.util.Map;
import org.neuralj.core.Activation;
import org.neuralj.core.LayerConfig;
import org.neuralj.core.LayerType;
import org.neuralj.core.Tensor;
import org.neuralj.core.OnnxGraph;
import org.neuralj.core.OnnxMapping;
import org.neuralj.core.NonDifferentiable;

/**
 * The perceptron's threshold unit, the Heaviside step {@code step(x) = 1 if x > 0, else 0}. After a
 * {@link Dense} layer it decides "yes" when the weighted sum {@code w·x + b} is positive, that is when {@code w·x}
 * exceeds the threshold {@code −b}.
 *
 * <p><b>Its derivative is useless.</b> {@code step'(x) = 0} for every {@code x ≠ 0} and is undefined at 0, so
 * backpropagation through it passes only zeros ({@link #derivative} returns 0) and gradient descent cannot train
 * the layers beneath it. A perceptron learns by its own rule instead, {@code w ← w + η (t − y) x}. The layer is
 * therefore {@link NonDifferentiable}: {@code GradientCheck} refuses it with a message saying so.
 */
public final class Step extends Activation implements NonDifferentiable {

    @Override
    protected float apply(float x) {
        return x > 0 ? 1f : 0f;
    }

    /** 0: the step is flat on both sides of its jump (see the class comment). */
    @Override
    protected float derivative(float x, float y) {
        return 0f;
    }

    /**
     * Saved as {@code "Step"}, with no settings. In ONNX, {@code Cast(Greater(x, 0), to = FLOAT)}: 1 where
     * {@code x > 0}, else 0 (NaN too, as here).
     */
    public static final class Type extends LayerType<Step> implements OnnxMapping<Step> {
        /** ONNX's {@code TensorProto.DataType} code of float32, the {@code to} of a {@code Cast}. */
        private static final int ONNX_FLOAT = 1;

        public Type() {
            super("Step", Step.class);
        }

        @Override
        public Step create(LayerConfig config) {
            return new Step();
        }

        @Override
        public String toOnnx(Step layer, OnnxGraph graph, String input) {
            String positive = graph.node("Greater", input, graph.constant("zero", Tensor.zeros(1)));
            return graph.node("Cast", Map.of("to", ONNX_FLOAT), positive);
        }
    }
}
