package org.neuralj.layers;

import org.neuralj.core.Parallel;
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
public final class MaxPool2D extends Pool2D {
    /** Channel planes per block of parallel work. */
    private static final int PLANES_PER_BLOCK = 16;
    private int[] argmax = new int[0];
    private Tensor output;
    private Tensor gradInput;

    /** Windows of {@code size × size}, stride {@code size}. */
    public MaxPool2D(int size) {
        this(size, size);
    }

    public MaxPool2D(int size, int stride) {
        super("MaxPool2D", size, stride);
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

    /** Saved as {@code "MaxPool2D"}; in ONNX, {@code MaxPool(x)} with {@code kernel_shape}, {@code strides}, no {@code pads}, {@code ceil_mode} 0. */
    public static final class Type extends PoolType<MaxPool2D> {
        public Type() {
            super("MaxPool2D", MaxPool2D.class, MaxPool2D::new, "MaxPool");
        }
    }
}
