package org.neuralj.layers;

import java.util.Map;
import org.neuralj.core.AbstractLayer;
import org.neuralj.core.LayerConfig;
import org.neuralj.core.LayerType;
import org.neuralj.core.OnnxGraph;
import org.neuralj.core.OnnxMapping;
import org.neuralj.core.Parallel;
import org.neuralj.core.Shape;
import org.neuralj.core.Tensor;

/**
 * The largest value of each {@code size × size} window, per channel, windows {@code stride} apart (by default
 * {@code stride = size}, so they tile the image), without padding:
 *
 * <pre>
 * forward:   Y[n, c, i, j] = max_{u,v &lt; size} X[n, c, i·s + u, j·s + v]
 * backward:  ∂L/∂X[n, c, a] = Σ over the windows whose maximum is at a of ∂L/∂Y[n, c, i, j]
 * </pre>
 *
 * The gradient goes to the position of the maximum only (the first one, on a tie), which the forward pass records.
 * The output size follows the floor rule of {@link Padding}: a last, partial window is left out.
 */
public final class MaxPool2D extends AbstractLayer {
    /** Channel planes per block of parallel work. */
    private static final int PLANES_PER_BLOCK = 16;
    private final int size;
    private final int stride;
    private Window w;
    private int[] argmax = new int[0];
    private Tensor output;
    private Tensor gradInput;

    /** Windows of {@code size × size}, stride {@code size}. */
    public MaxPool2D(int size) {
        this(size, size);
    }

    public MaxPool2D(int size, int stride) {
        Window.requirePositive("MaxPool2D", "size", size);
        Window.requirePositive("MaxPool2D", "stride", stride);
        this.size = size;
        this.stride = stride;
    }

    @Override
    protected Shape build(Shape inputShape) {
        w = Window.of(name(), inputShape, size, stride, Padding.VALID);
        return Shape.of(w.channels(), w.outH(), w.outW());
    }

    @Override
    public Tensor forward(Tensor x, boolean training) {
        checkInput(x);
        int planes = x.rows() * w.channels(), outW = w.outW(), inW = w.inW();
        output = Tensor.reuse(output, x.rows(), outputShape());
        if (argmax.length < output.size()) {
            argmax = new int[output.size()];
        }
        float[] in = x.data(), y = output.data();
        int[] arg = argmax;
        // planes are independent: blocks of them run on the cores the matrix products use
        Parallel.forEach((planes + PLANES_PER_BLOCK - 1) / PLANES_PER_BLOCK, block -> {
            for (int plane = block * PLANES_PER_BLOCK, end = Math.min(planes, plane + PLANES_PER_BLOCK); plane < end;
                 plane++) {
                int base = plane * w.inPlane(), o = plane * w.outPlane();
                for (int i = 0; i < w.outH(); i++) {
                    for (int j = 0; j < outW; j++, o++) {
                        int top = base + i * stride * inW + j * stride;
                        int best = top;
                        for (int u = 0; u < size; u++) {
                            for (int v = 0, a = top + u * inW; v < size; v++, a++) {
                                if (in[a] > in[best]) {
                                    best = a;
                                }
                            }
                        }
                        arg[o] = best;
                        y[o] = in[best];
                    }
                }
            }
        });
        return output;
    }

    @Override
    public Tensor backward(Tensor gradOutput) {
        checkGradient(gradOutput, output);
        gradInput = Tensor.reuse(gradInput, gradOutput.rows(), inputShape());
        gradInput.fill(0f);
        float[] g = gradOutput.data(), gi = gradInput.data();
        for (int o = 0, n = gradOutput.size(); o < n; o++) {
            gi[argmax[o]] += g[o];
        }
        return gradInput;
    }

    @Override
    public String name() {
        return "MaxPool2D(" + size + (stride != size ? ", stride " + stride : "") + ")";
    }

    /**
     * Saved as {@code "MaxPool2D"} with {@code size} and {@code stride}. ONNX: {@code MaxPool(x)} with
     * {@code kernel_shape = [size, size]}, {@code strides = [stride, stride]}, no {@code pads} and {@code ceil_mode}
     * 0 (the floor rule, as here).
     */
    public static final class Type extends LayerType<MaxPool2D> implements OnnxMapping<MaxPool2D> {
        public Type() {
            super("MaxPool2D", MaxPool2D.class);
        }

        @Override
        public Map<String, Object> config(MaxPool2D layer) {
            return Map.of("size", layer.size, "stride", layer.stride);
        }

        @Override
        public MaxPool2D create(LayerConfig config) {
            return new MaxPool2D(config.getInt("size"), config.getInt("stride"));
        }

        @Override
        public String toOnnx(MaxPool2D layer, OnnxGraph graph, String input) {
            return graph.node("MaxPool", Map.of("kernel_shape", new int[] {layer.size, layer.size},
                    "strides", new int[] {layer.stride, layer.stride}), input);
        }
    }
}
