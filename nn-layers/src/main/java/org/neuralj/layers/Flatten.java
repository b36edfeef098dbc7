package org.neuralj.layers;

import java.util.Map;
import org.neuralj.core.AbstractLayer;
import org.neuralj.core.LayerConfig;
import org.neuralj.core.LayerType;
import org.neuralj.core.OnnxGraph;
import org.neuralj.core.OnnxMapping;
import org.neuralj.core.Shape;
import org.neuralj.core.Tensor;

/**
 * Turns each sample into a vector, e.g. {@code [B, 16, 5, 5]} into {@code [B, 400]}, so that a {@link Dense} layer
 * can follow convolutions. The values are not moved (samples are row-major, channels first), so
 *
 * <pre>forward:  y = x viewed as [B, C·H·W]        backward:  ∂L/∂x = ∂L/∂y viewed as [B, C, H, W]</pre>
 *
 * Both directions are views on the same array, without copying.
 */
public final class Flatten extends AbstractLayer {
    private final Reshaping view = new Reshaping();

    /** Any input of rank 2 or more; refuses an already flat input, which it would leave as it is. */
    @Override
    protected Shape build(Shape inputShape) {
        if (inputShape.rank() < 2) {
            throw new IllegalArgumentException(name() + " expects samples of rank 2 or more, e.g. (6, 14, 14), but got "
                    + inputShape + ", which is flat already: remove the Flatten");
        }
        return Shape.of(inputShape.size());
    }

    @Override
    public Tensor forward(Tensor x, boolean training) {
        checkInput(x);
        return view.forward(x, outputShape());
    }

    @Override
    public Tensor backward(Tensor gradOutput) {
        checkGradient(gradOutput, view.output());
        return view.backward(gradOutput, inputShape());
    }

    /**
     * Saved as {@code "Flatten"}, with no settings. ONNX: {@code Flatten(x, axis = 1)}, {@code [N, ...shape]} to
     * {@code [N, size]} in the same row-major order.
     */
    public static final class Type extends LayerType<Flatten> implements OnnxMapping<Flatten> {
        public Type() {
            super("Flatten", Flatten.class);
        }

        @Override
        public Flatten create(LayerConfig config) {
            return new Flatten();
        }

        @Override
        public String toOnnx(Flatten layer, OnnxGraph graph, String input) {
            return graph.node("Flatten", Map.of("axis", 1), input);
        }
    }
}
