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
 * The mean of each channel over the whole image, {@code [B, C, H, W]} to {@code [B, C]}: how a convolutional
 * network ends without a large {@code Flatten + Dense}.
 *
 * <pre>forward:  Y[n, c] = (1 / HW) Σ_a X[n, c, a]        backward:  ∂L/∂X[n, c, a] = ∂L/∂Y[n, c] / HW</pre>
 */
public final class GlobalAvgPool2D extends AbstractLayer {
    private int plane;
    private Tensor output;
    private Tensor gradInput;

    @Override
    protected Shape build(Shape inputShape) {
        if (inputShape.rank() != 3) {
            throw new IllegalArgumentException(name() + " expects images [channels, height, width] but got shape "
                    + inputShape + " (rank " + inputShape.rank() + ")");
        }
        plane = inputShape.dim(1) * inputShape.dim(2);
        return Shape.of(inputShape.dim(0));
    }

    @Override
    public Tensor forward(Tensor x, boolean training) {
        checkInput(x);
        output = Tensor.reuse(output, x.rows(), outputShape());
        float[] in = x.data(), y = output.data();
        float scale = 1f / plane;
        for (int o = 0, n = output.size(); o < n; o++) {
            float s = 0;
            for (int a = o * plane, end = a + plane; a < end; a++) {
                s += in[a];
            }
            y[o] = s * scale;
        }
        return output;
    }

    @Override
    public Tensor backward(Tensor gradOutput) {
        checkGradient(gradOutput, output);
        gradInput = Tensor.reuse(gradInput, gradOutput.rows(), inputShape());
        float[] g = gradOutput.data(), gi = gradInput.data();
        float scale = 1f / plane;
        for (int o = 0, n = gradOutput.size(); o < n; o++) {
            Arrays.fill(gi, o * plane, (o + 1) * plane, g[o] * scale);
        }
        return gradInput;
    }

    /**
     * Saved as {@code "GlobalAvgPool2D"}, with no settings. ONNX: {@code Flatten(GlobalAveragePool(x), axis = 1)}:
     * ONNX's pooling gives {@code [N, C, 1, 1]}, flattened to this layer's {@code [N, C]}.
     */
    public static final class Type extends LayerType<GlobalAvgPool2D> implements OnnxMapping<GlobalAvgPool2D> {
        public Type() {
            super("GlobalAvgPool2D", GlobalAvgPool2D.class);
        }

        @Override
        public GlobalAvgPool2D create(LayerConfig config) {
            return new GlobalAvgPool2D();
        }

        @Override
        public String toOnnx(GlobalAvgPool2D layer, OnnxGraph graph, String input) {
            return graph.node("Flatten", Map.of("axis", 1), graph.node("GlobalAveragePool", input));
        }
    }
}
