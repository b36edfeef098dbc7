package org.neuralj.layers;

import java.util.Map;
import org.neuralj.core.AbstractLayer;
import org.neuralj.core.LayerConfig;
import org.neuralj.core.LayerType;
import org.neuralj.core.OnnxGraph;
import org.neuralj.core.OnnxMapping;
import org.neuralj.core.Shape;
import org.neuralj.core.SoftmaxOutput;
import org.neuralj.core.Tensor;

/**
 * Softmax over each row: {@code pᵢ = e^(zᵢ − max z) / Σⱼ e^(zⱼ − max z)}; subtracting the row maximum changes nothing
 * mathematically and keeps {@code exp} from overflowing.
 *
 * <p>Backward, with {@code g = ∂L/∂p}: {@code ∂L/∂zᵢ = pᵢ (gᵢ − Σⱼ gⱼ pⱼ)}. When this is the last layer and the loss is
 * {@link CrossEntropy}, training skips this and uses the fused gradient {@code (p − y) / B} instead.
 */
public final class Softmax extends AbstractLayer implements SoftmaxOutput {
    private Tensor output;
    private Tensor gradInput;

    @Override
    protected Shape build(Shape inputShape) {
        if (inputShape.rank() != 1 || inputShape.size() < 2) {
            throw new IllegalArgumentException("Softmax expects a flat input of at least 2 classes but got shape "
                    + inputShape);
        }
        return inputShape;
    }

    @Override
    public Tensor forward(Tensor z, boolean training) {
        checkInput(z);
        int rows = z.rows(), cols = z.cols();
        output = Tensor.reuse(output, rows, cols);
        float[] in = z.data(), p = output.data();
        for (int i = 0; i < rows; i++) {
            int o = i * cols;
            float max = in[o];
            for (int j = 1; j < cols; j++) {
                max = Math.max(max, in[o + j]);
            }
            double sum = 0;
            for (int j = 0; j < cols; j++) {
                float e = (float) Math.exp(in[o + j] - max);
                p[o + j] = e;
                sum += e;
            }
            float inv = (float) (1.0 / sum);
            for (int j = 0; j < cols; j++) {
                p[o + j] *= inv;
            }
        }
        return output;
    }

    @Override
    public Tensor backward(Tensor gradOutput) {
        checkGradient(gradOutput, output);
        int rows = output.rows(), cols = output.cols();
        gradInput = Tensor.reuse(gradInput, rows, cols);
        float[] p = output.data(), g = gradOutput.data(), gi = gradInput.data();
        for (int i = 0; i < rows; i++) {
            int o = i * cols;
            double dot = 0;
            for (int j = 0; j < cols; j++) {
                dot += g[o + j] * p[o + j];
            }
            for (int j = 0; j < cols; j++) {
                gi[o + j] = (float) (p[o + j] * (g[o + j] - dot));
            }
        }
        return gradInput;
    }

    /** Saved as {@code "Softmax"}, with no settings; ONNX {@code Softmax} over the last axis (opset 13 and later). */
    public static final class Type extends LayerType<Softmax> implements OnnxMapping<Softmax> {
        public Type() {
            super("Softmax", Softmax.class);
        }

        @Override
        public Softmax create(LayerConfig config) {
            return new Softmax();
        }

        @Override
        public String toOnnx(Softmax layer, OnnxGraph graph, String input) {
            return graph.node("Softmax", Map.of("axis", -1), input);
        }
    }
}
