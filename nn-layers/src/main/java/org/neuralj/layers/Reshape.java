package org.neuralj.layers;

import java.util.Arrays;
import java.util.Map;
import org.neuralj.core.AbstractLayer;
import org.neuralj.core.LayerConfig;
import org.neuralj.core.LayerType;
import org.neuralj.core.OnnxGraph;
import org.neuralj.core.OnnxMapping;
import org.neuralj.core.Shape;
import org.neuralj.core.Tensor;

/**
 * Gives each sample another shape with the same number of values, e.g. {@code Reshape(1, 8, 8)} turns flat 64-pixel
 * digits into images. Values keep their row-major order:
 *
 * <pre>forward:  y = x viewed as [B, ...target]        backward:  ∂L/∂x = ∂L/∂y viewed as [B, ...input shape]</pre>
 */
public final class Reshape extends AbstractLayer {
    private final Shape target;
    private final Reshaping view = new Reshaping();

    /** The shape of one output sample; every dimension positive. */
    public Reshape(int... target) {
        this.target = Shape.of(target);
    }

    public Shape target() {
        return target;
    }

    @Override
    protected Shape build(Shape inputShape) {
        if (inputShape.size() != target.size()) {
            throw new IllegalArgumentException(name() + " needs samples of " + target.size() + " values but the input"
                    + " shape " + inputShape + " has " + inputShape.size());
        }
        return target;
    }

    @Override
    public Tensor forward(Tensor x, boolean training) {
        checkInput(x);
        return view.forward(x, target);
    }

    @Override
    public Tensor backward(Tensor gradOutput) {
        checkGradient(gradOutput, view.output());
        return view.backward(gradOutput, inputShape());
    }

    @Override
    public String name() {
        return "Reshape" + Arrays.toString(target.dims()).replace('[', '(').replace(']', ')');
    }

    /**
     * Saved as {@code "Reshape"} with the {@code target} dimensions. ONNX: {@code Reshape(x, shape)} with the int64
     * constant {@code shape = [0, ...target]} (0 keeps the batch dimension N; {@code allowzero} is left at 0).
     */
    public static final class Type extends LayerType<Reshape> implements OnnxMapping<Reshape> {
        public Type() {
            super("Reshape", Reshape.class);
        }

        @Override
        public Map<String, Object> config(Reshape layer) {
            return Map.of("target", Arrays.stream(layer.target.dims()).boxed().toList());
        }

        @Override
        public Reshape create(LayerConfig config) {
            return new Reshape(config.getIntList("target"));
        }

        @Override
        public String toOnnx(Reshape layer, OnnxGraph graph, String input) {
            int[] target = layer.target.dims();
            long[] shape = new long[target.length + 1];
            for (int i = 0; i < target.length; i++) {
                shape[i + 1] = target[i];
            }
            return graph.node("Reshape", input, graph.longConstant("shape", shape));
        }
    }
}
