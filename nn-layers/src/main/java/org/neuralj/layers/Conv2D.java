package org.neuralj.layers;

import java.util.Arrays;
import java.util.Map;
import org.neuralj.core.AbstractLayer;
import org.neuralj.core.LayerConfig;
import org.neuralj.core.LayerType;
import org.neuralj.core.Parameter;
import org.neuralj.core.Shape;
import org.neuralj.core.Tensor;

/**
 * A 2-D convolution (strictly, a cross-correlation, as in every framework) of images {@code X [B, C, H, W]} with
 * {@code F} filters {@code W [F, C, k, k]} (PyTorch's layout) and a bias {@code b [F]}:
 *
 * <pre>
 * Y[n, f, i, j] = b[f] + Σ_c Σ_u Σ_v W[f, c, u, v] · X̃[n, c, i·s + u, j·s + v]        X̃: X with its zero padding
 * </pre>
 *
 * computed as one matrix product on the GEMM kernels. {@code im2col} copies every window into a column of
 * {@code X_col [C·k·k, B·OH·OW]}, so that
 *
 * <pre>
 * forward:   Y_mat = W_mat · X_col + b            W_mat = W as [F, C·k·k],  Y_mat [F, B·OH·OW], stored as Y [B, F, OH, OW]
 * backward:  ∂L/∂W += G_mat · X_colᵀ,   ∂L/∂b += Σ_columns G_mat,   ∂L/∂X = col2im(W_matᵀ · G_mat)
 * </pre>
 *
 * where {@code G = ∂L/∂Y} and {@code col2im} adds each column back onto the window it came from (windows overlap, so
 * an input value receives the sum of its windows' gradients). All buffers are kept between batches.
 *
 * <p>Weights are drawn by {@link Initializer#heNormal()} by default (fan-in {@code C·k·k}, for ReLU networks), biases
 * start at zero. The output size per dimension follows {@link Padding}'s floor rule.
 */
public final class Conv2D extends AbstractLayer {
    private final int filters;
    private final int kernel;
    private final int stride;
    private final Padding padding;
    private final boolean useBias;
    private final Initializer weightInit;
    private Window w;
    private Parameter weights;
    private Parameter bias;
    private Tensor cols;
    private Tensor product;
    private Tensor output;
    private Tensor gradMat;
    private Tensor gradCols;
    private Tensor gradInput;

    /** {@code filters} filters of {@code kernel × kernel}, stride 1, no padding, with bias, He-normal weights. */
    public Conv2D(int filters, int kernel) {
        this(filters, kernel, 1, Padding.VALID);
    }

    /** {@code filters} filters of {@code kernel × kernel}, stride 1, with bias, He-normal weights. */
    public Conv2D(int filters, int kernel, Padding padding) {
        this(filters, kernel, 1, padding);
    }

    /** With bias and He-normal weights. */
    public Conv2D(int filters, int kernel, int stride, Padding padding) {
        this(filters, kernel, stride, padding, true, Initializer.heNormal());
    }

    /**
     * @param filters    output channels F, positive
     * @param kernel     the side k of the square filters, positive
     * @param stride     the step s between windows, positive
     * @param padding    {@link Padding#VALID}, {@link Padding#SAME} or {@link Padding#explicit}
     * @param useBias    whether to add a learned bias per filter (leave it out before a batch normalisation)
     * @param weightInit how the weights start; fan-in is {@code C·k·k}, fan-out {@code F·k·k}
     */
    public Conv2D(int filters, int kernel, int stride, Padding padding, boolean useBias, Initializer weightInit) {
        requirePositive("filters", filters);
        requirePositive("kernel", kernel);
        requirePositive("stride", stride);
        if (padding == null || weightInit == null) {
            throw new IllegalArgumentException("Conv2D(" + filters + ") needs a padding and a weight initializer but"
                    + " got " + padding + ", " + weightInit);
        }
        this.filters = filters;
        this.kernel = kernel;
        this.stride = stride;
        this.padding = padding;
        this.useBias = useBias;
        this.weightInit = weightInit;
    }

    private static void requirePositive(String what, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException("Conv2D " + what + " must be positive but was " + value);
        }
    }

    public int filters() {
        return filters;
    }

    /** The weights {@code [F, C, k, k]}; the layer must be built. */
    public Parameter weights() {
        return weights;
    }

    @Override
    protected Shape build(Shape inputShape) {
        w = Window.of(name(), inputShape, kernel, stride, padding);
        int c = w.channels();
        weights = addParameter("weights", filters, c, kernel, kernel);
        weightInit.initialize(weights.value(), c * kernel * kernel, filters * kernel * kernel, rng());
        if (useBias) {
            bias = addParameter("bias", filters);
        }
        return Shape.of(filters, w.outH(), w.outW());
    }

    @Override
    public Tensor forward(Tensor x, boolean training) {
        checkInput(x);
        int batch = x.rows(), p = w.outPlane(), n = batch * p;
        cols = Tensor.reuse(cols, w.channels() * kernel * kernel, n);
        im2col(x.data(), batch, cols.data());
        product = Tensor.reuse(product, filters, n);
        Tensor.mult(weights.value(), cols, product);
        output = Tensor.reuse(output, batch, outputShape());
        // [F, B·P] to [B, F, P], adding the bias on the way
        float[] prod = product.data(), y = output.data(), b = useBias ? bias.value().data() : null;
        for (int f = 0; f < filters; f++) {
            float bf = useBias ? b[f] : 0f;
            for (int i = 0; i < batch; i++) {
                int from = f * n + i * p, to = (i * filters + f) * p;
                for (int j = 0; j < p; j++) {
                    y[to + j] = prod[from + j] + bf;
                }
            }
        }
        return output;
    }

    @Override
    public Tensor backward(Tensor gradOutput) {
        backwardParametersOnly(gradOutput);
        int batch = gradOutput.rows();
        gradCols = Tensor.reuse(gradCols, cols.rows(), cols.cols());
        Tensor.multTransA(weights.value(), gradMat, gradCols);
        gradInput = Tensor.reuse(gradInput, batch, inputShape());
        col2im(gradCols.data(), batch, gradInput.data());
        return gradInput;
    }

    /** ∂L/∂W and ∂L/∂b only: as the first layer, ∂L/∂X (a product and a col2im) is not needed. */
    @Override
    public void backwardParametersOnly(Tensor gradOutput) {
        checkGradient(gradOutput, output);
        int batch = gradOutput.rows(), p = w.outPlane(), n = batch * p;
        // [B, F, P] to [F, B·P], the layout of the product
        gradMat = Tensor.reuse(gradMat, filters, n);
        float[] g = gradOutput.data(), gm = gradMat.data();
        for (int i = 0; i < batch; i++) {
            for (int f = 0; f < filters; f++) {
                System.arraycopy(g, (i * filters + f) * p, gm, f * n + i * p, p);
            }
        }
        Tensor.multAddTransB(gradMat, cols, weights.grad());
        if (useBias) {
            float[] gb = bias.grad().data();
            for (int f = 0; f < filters; f++) {
                float s = 0;
                for (int j = f * n, end = j + n; j < end; j++) {
                    s += gm[j];
                }
                gb[f] += s;
            }
        }
    }

    /**
     * {@code cols[(c·k + u)·k + v, n·P + i·OW + j] = X̃[n, c, i·s + u, j·s + v]}: row by row of the kernel, so that for
     * stride 1 each output row's values are one contiguous copy from the input row.
     */
    private void im2col(float[] x, int batch, float[] out) {
        int n = batch * w.outPlane(), outH = w.outH(), outW = w.outW(), inH = w.inH(), inW = w.inW();
        for (int c = 0; c < w.channels(); c++) {
            for (int u = 0; u < kernel; u++) {
                for (int v = 0; v < kernel; v++) {
                    int row = ((c * kernel + u) * kernel + v) * n;
                    // the output columns j whose input column j·s + v − padLeft lies inside 0..inW−1
                    int jFrom = Math.min(outW, ceilDiv(Math.max(0, w.padLeft() - v), stride));
                    int jTo = Math.max(jFrom, Math.min(outW, ceilDiv(inW + w.padLeft() - v, stride)));
                    for (int b = 0; b < batch; b++) {
                        int plane = (b * w.channels() + c) * w.inPlane();
                        for (int i = 0; i < outH; i++) {
                            int o = row + b * w.outPlane() + i * outW;
                            int ih = i * stride + u - w.padTop();
                            if (ih < 0 || ih >= inH) {
                                Arrays.fill(out, o, o + outW, 0f);
                                continue;
                            }
                            Arrays.fill(out, o, o + jFrom, 0f);
                            Arrays.fill(out, o + jTo, o + outW, 0f);
                            int in = plane + ih * inW + v - w.padLeft();
                            if (stride == 1) {
                                System.arraycopy(x, in + jFrom, out, o + jFrom, jTo - jFrom);
                            } else {
                                for (int j = jFrom; j < jTo; j++) {
                                    out[o + j] = x[in + j * stride];
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /** The adjoint of {@link #im2col}: {@code dx} is cleared, then every column is added back onto its window. */
    private void col2im(float[] cols, int batch, float[] dx) {
        Arrays.fill(dx, 0, batch * w.channels() * w.inPlane(), 0f);
        int n = batch * w.outPlane(), outH = w.outH(), outW = w.outW(), inH = w.inH(), inW = w.inW();
        for (int c = 0; c < w.channels(); c++) {
            for (int u = 0; u < kernel; u++) {
                for (int v = 0; v < kernel; v++) {
                    int row = ((c * kernel + u) * kernel + v) * n;
                    int jFrom = Math.min(outW, ceilDiv(Math.max(0, w.padLeft() - v), stride));
                    int jTo = Math.max(jFrom, Math.min(outW, ceilDiv(inW + w.padLeft() - v, stride)));
                    for (int b = 0; b < batch; b++) {
                        int plane = (b * w.channels() + c) * w.inPlane();
                        for (int i = 0; i < outH; i++) {
                            int ih = i * stride + u - w.padTop();
                            if (ih < 0 || ih >= inH) {
                                continue;
                            }
                            int o = row + b * w.outPlane() + i * outW;
                            int in = plane + ih * inW + v - w.padLeft();
                            for (int j = jFrom; j < jTo; j++) {
                                dx[in + j * stride] += cols[o + j];
                            }
                        }
                    }
                }
            }
        }
    }

    private static int ceilDiv(int a, int b) {
        return -Math.floorDiv(-a, b);
    }

    @Override
    public String name() {
        return "Conv2D(" + filters + ", " + kernel + "x" + kernel + (stride != 1 ? ", stride " + stride : "")
                + (!padding.equals(Padding.VALID) ? ", " + padding : "") + (useBias ? "" : ", no bias") + ")";
    }

    /** Saved as {@code "Conv2D"} with filters, kernel, stride, padding, bias and the weight initializer. */
    public static final class Type extends LayerType<Conv2D> {
        public Type() {
            super("Conv2D", Conv2D.class);
        }

        @Override
        public Map<String, Object> config(Conv2D layer) {
            return Map.of("filters", layer.filters, "kernel", layer.kernel, "stride", layer.stride,
                    "padding", layer.padding.config(), "bias", layer.useBias, "weightInit", layer.weightInit.config());
        }

        @Override
        public Conv2D create(LayerConfig config) {
            return new Conv2D(config.getInt("filters"), config.getInt("kernel"), config.getInt("stride"),
                    Padding.of(config.asMap().get("padding")), config.getBoolean("bias"),
                    Initializer.fromConfig(config.getConfig("weightInit").asMap()));
        }
    }
}
