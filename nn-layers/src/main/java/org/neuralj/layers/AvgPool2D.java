package org.neuralj.layers;

import org.neuralj.core.Tensor;

/**
 * The mean of each {@code size × size} window, per channel, windows {@code stride} apart (by default
 * {@code stride = size}), without padding:
 *
 * <pre>
 * forward:   Y[n, c, i, j] = (1 / size²) Σ_{u,v &lt; size} X[n, c, i·s + u, j·s + v]
 * backward:  ∂L/∂X[n, c, a] = (1 / size²) Σ over the windows that contain a of ∂L/∂Y[n, c, i, j]
 * </pre>
 *
 * The output size follows the floor rule of {@link Padding}: a last, partial window is left out.
 */
public final class AvgPool2D extends Pool2D {
    private Tensor output;
    private Tensor gradInput;

    /** Windows of {@code size × size}, stride {@code size}. */
    public AvgPool2D(int size) {
        this(size, size);
    }

    public AvgPool2D(int size, int stride) {
        super("AvgPool2D", size, stride);
    }

    @Override
    public Tensor forward(Tensor x, boolean training) {
        checkInput(x);
        int planes = x.rows() * w.channels(), inW = w.inW();
        output = Tensor.reuse(output, x.rows(), outputShape());
        float[] in = x.data(), y = output.data();
        float scale = 1f / (size * size);
        int o = 0;
        for (int plane = 0; plane < planes; plane++) {
            int base = plane * w.inPlane();
            for (int i = 0; i < w.outH(); i++) {
                for (int j = 0; j < w.outW(); j++, o++) {
                    int top = base + i * stride * inW + j * stride;
                    float s = 0;
                    for (int u = 0; u < size; u++) {
                        for (int v = 0, a = top + u * inW; v < size; v++, a++) {
                            s += in[a];
                        }
                    }
                    y[o] = s * scale;
                }
            }
        }
        return output;
    }

    @Override
    public Tensor backward(Tensor gradOutput) {
        checkGradient(gradOutput, output);
        gradInput = Tensor.reuse(gradInput, gradOutput.rows(), inputShape());
        gradInput.fill(0f);
        int planes = gradOutput.rows() * w.channels(), inW = w.inW();
        float[] g = gradOutput.data(), gi = gradInput.data();
        float scale = 1f / (size * size);
        int o = 0;
        for (int plane = 0; plane < planes; plane++) {
            int base = plane * w.inPlane();
            for (int i = 0; i < w.outH(); i++) {
                for (int j = 0; j < w.outW(); j++, o++) {
                    int top = base + i * stride * inW + j * stride;
                    float share = g[o] * scale;
                    for (int u = 0; u < size; u++) {
                        for (int v = 0, a = top + u * inW; v < size; v++, a++) {
                            gi[a] += share;
                        }
                    }
                }
            }
        }
        return gradInput;
    }

    /**
     * Saved as {@code "AvgPool2D"}; in ONNX, {@code AveragePool(x)} with {@code kernel_shape}, {@code strides}, no
     * {@code pads}, {@code ceil_mode} 0. With no padding every window holds size² input values, so
     * {@code count_include_pad} (left at 0) does not matter.
     */
    public static final class Type extends PoolType<AvgPool2D> {
        public Type() {
            super("AvgPool2D", AvgPool2D.class, AvgPool2D::new, "AveragePool");
        }
    }
}
