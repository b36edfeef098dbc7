package org.neuralj.layers;

import java.util.Arrays;
import java.util.Map;
import org.neuralj.core.AbstractLayer;
import org.neuralj.core.Gemm;
import org.neuralj.core.LayerConfig;
import org.neuralj.core.LayerType;
import org.neuralj.core.OnnxGraph;
import org.neuralj.core.OnnxMapping;
import org.neuralj.core.Parallel;
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
 * computed as matrix products on the GEMM kernels, one per image. {@code im2col} copies every window of image n into
 * a column of {@code X_col,n [C·k·k, OH·OW]}, so that
 *
 * <pre>
 * forward:   Y_n = W_mat · X_col,n + b           W_mat = W as [F, C·k·k],  Y_n = Y[n] as [F, OH·OW]
 * backward:  ∂L/∂W += Σ_n G_n · X_col,nᵀ,   ∂L/∂b += Σ G over n and positions,   ∂L/∂X[n] = col2im(W_matᵀ · G_n)
 * </pre>
 *
 * where {@code G = ∂L/∂Y} and {@code col2im} adds each column back onto the window it came from (windows overlap, so
 * an input value receives the sum of its windows' gradients). One image's columns stay in the cache while its
 * product runs, and each image's output and gradient are contiguous blocks of the batch, so nothing is transposed.
 * Blocks of 8 images run on the cores the products may use; results are bit-identical on any number of threads. All
 * buffers are kept between batches.
 *
 * <p>Weights are drawn by {@link Initializer#heNormal()} by default (fan-in {@code C·k·k}, for ReLU networks), biases
 * start at zero. The output size per dimension follows {@link Padding}'s floor rule.
 */
public final class Conv2D extends AbstractLayer {
    /**
     * Images per block of work: blocks run in parallel ({@link Parallel}), and the weight gradient is summed per
     * block, then over the blocks in order, so results do not depend on the number of threads.
     */
    private static final int IMAGES_PER_BLOCK = 8;
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
    private boolean colsKept;
    private Tensor output;
    private Tensor blockGrads;
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
        Window.requirePositive("Conv2D", "filters", filters);
        Window.requirePositive("Conv2D", "kernel", kernel);
        Window.requirePositive("Conv2D", "stride", stride);
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
        int batch = x.rows(), p = w.outPlane(), k = w.channels() * kernel * kernel, blocks = blocks(batch);
        // training keeps every image's columns for the weight gradient; inference needs one image's per block
        cols = Tensor.reuse(cols, (training ? batch : blocks) * k, p);
        output = Tensor.reuse(output, batch, outputShape());
        float[] in = x.data(), c = cols.data(), y = output.data(), wt = weights.value().data();
        float[] b = useBias ? bias.value().data() : null;
        // parameters are views of the network's buffer, from these offsets
        int wo = weights.value().offset(), bo = useBias ? bias.value().offset() : 0;
        Parallel.forEach(blocks, block -> {
            for (int n = block * IMAGES_PER_BLOCK, end = Math.min(batch, n + IMAGES_PER_BLOCK); n < end; n++) {
                int colsAt = (training ? n : block) * k * p, outAt = n * filters * p;
                im2col(in, n, c, colsAt);
                for (int f = 0; f < filters; f++) {
                    Arrays.fill(y, outAt + f * p, outAt + (f + 1) * p, b == null ? 0f : b[bo + f]);
                }
                // Y_n [F, P] = b + W_mat [F, K] · X_col,n [K, P]: one image's output is a contiguous block of Y
                Gemm.gemm(false, false, filters, p, k, wt, wo, k, c, colsAt, p, y, outAt, p, true);
            }
        });
        colsKept = training;
        return output;
    }

    @Override
    public Tensor backward(Tensor gradOutput) {
        backwardParametersOnly(gradOutput);
        int batch = gradOutput.rows(), p = w.outPlane(), k = w.channels() * kernel * kernel, blocks = blocks(batch);
        gradCols = Tensor.reuse(gradCols, blocks * k, p);
        gradInput = Tensor.reuse(gradInput, batch, inputShape());
        float[] g = gradOutput.data(), gc = gradCols.data(), wt = weights.value().data(), dx = gradInput.data();
        int wo = weights.value().offset();
        Parallel.forEach(blocks, block -> {
            int at = block * k * p;
            for (int n = block * IMAGES_PER_BLOCK, end = Math.min(batch, n + IMAGES_PER_BLOCK); n < end; n++) {
                // ∂L/∂X_col,n [K, P] = W_matᵀ · G_n, then added back onto the windows of image n
                Gemm.gemm(true, false, k, p, filters, wt, wo, k, g, n * filters * p, p, gc, at, p, false);
                col2im(gc, at, n, dx);
            }
        });
        return gradInput;
    }

    /**
     * ∂L/∂W and ∂L/∂b only: as the first layer, ∂L/∂X (a product and a col2im per image) is not needed. Each block of
     * images sums its {@code G_n · X_col,nᵀ} apart, and the blocks' sums are added in block order, so the gradient
     * is the same on any number of threads.
     */
    @Override
    public void backwardParametersOnly(Tensor gradOutput) {
        checkGradient(gradOutput, output);
        if (!colsKept) {
            throw new IllegalStateException(name() + ".backward needs a training forward pass first (the last one"
                    + " was inference)");
        }
        int batch = gradOutput.rows(), p = w.outPlane(), k = w.channels() * kernel * kernel, blocks = blocks(batch);
        int size = filters * k;
        blockGrads = Tensor.reuse(blockGrads, blocks, size);
        float[] g = gradOutput.data(), c = cols.data(), sums = blockGrads.data();
        Parallel.forEach(blocks, block -> {
            for (int n = block * IMAGES_PER_BLOCK, end = Math.min(batch, n + IMAGES_PER_BLOCK); n < end; n++) {
                // Σ_block G_n [F, P] · X_col,nᵀ, starting from zero at the block's first image
                Gemm.gemm(false, true, filters, k, p, g, n * filters * p, p, c, n * k * p, p, sums, block * size, k,
                        n > block * IMAGES_PER_BLOCK);
            }
        });
        float[] gw = weights.grad().data();
        int gwo = weights.grad().offset();
        for (int block = 0; block < blocks; block++) {
            for (int i = 0, at = block * size; i < size; i++) {
                gw[gwo + i] += sums[at + i];
            }
        }
        if (useBias) {
            float[] gb = bias.grad().data();
            int gbo = bias.grad().offset();
            for (int f = 0; f < filters; f++) {
                float s = 0;
                for (int n = 0; n < batch; n++) {
                    for (int j = (n * filters + f) * p, end = j + p; j < end; j++) {
                        s += g[j];
                    }
                }
                gb[gbo + f] += s;
            }
        }
    }

    /** The fixed blocks of {@link #IMAGES_PER_BLOCK} images a batch is split into, whatever the number of threads. */
    private static int blocks(int batch) {
        return (batch + IMAGES_PER_BLOCK - 1) / IMAGES_PER_BLOCK;
    }

    /**
     * Image {@code n}'s columns, from {@code at}: {@code cols[(c·k + u)·k + v, i·OW + j] = X̃[n, c, i·s + u, j·s + v]},
     * row by row of the kernel, so that for stride 1 each output row's values are one contiguous copy from the input.
     */
    private void im2col(float[] x, int n, float[] out, int at) {
        int p = w.outPlane(), outH = w.outH(), outW = w.outW(), inH = w.inH(), inW = w.inW();
        for (int c = 0; c < w.channels(); c++) {
            int plane = (n * w.channels() + c) * w.inPlane();
            for (int u = 0; u < kernel; u++) {
                for (int v = 0; v < kernel; v++) {
                    int row = at + ((c * kernel + u) * kernel + v) * p;
                    int jFrom = firstColumnInside(v), jTo = endColumnInside(v, jFrom);
                    for (int i = 0; i < outH; i++) {
                        int o = row + i * outW;
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

    /**
     * The adjoint of {@link #im2col} for image {@code n}, whose columns start at {@code at}: its part of {@code dx}
     * is cleared, then every column added back onto its window.
     */
    private void col2im(float[] cols, int at, int n, float[] dx) {
        int p = w.outPlane(), outH = w.outH(), outW = w.outW(), inH = w.inH(), inW = w.inW();
        int image = n * w.channels() * w.inPlane();
        Arrays.fill(dx, image, image + w.channels() * w.inPlane(), 0f);
        for (int c = 0; c < w.channels(); c++) {
            int plane = image + c * w.inPlane();
            for (int u = 0; u < kernel; u++) {
                for (int v = 0; v < kernel; v++) {
                    int row = at + ((c * kernel + u) * kernel + v) * p;
                    int jFrom = firstColumnInside(v), jTo = endColumnInside(v, jFrom);
                    for (int i = 0; i < outH; i++) {
                        int ih = i * stride + u - w.padTop();
                        if (ih < 0 || ih >= inH) {
                            continue;
                        }
                        int o = row + i * outW;
                        int in = plane + ih * inW + v - w.padLeft();
                        for (int j = jFrom; j < jTo; j++) {
                            dx[in + j * stride] += cols[o + j];
                        }
                    }
                }
            }
        }
    }

    /** The first output column j whose input column {@code j·s + v − padLeft} is inside the image (not padding). */
    private int firstColumnInside(int v) {
        return Math.min(w.outW(), ceilDiv(Math.max(0, w.padLeft() - v), stride));
    }

    /** One past the last output column j whose input column {@code j·s + v − padLeft} is inside the image. */
    private int endColumnInside(int v, int first) {
        return Math.max(first, Math.min(w.outW(), ceilDiv(w.inW() + w.padLeft() - v, stride)));
    }

    private static int ceilDiv(int a, int b) {
        return -Math.floorDiv(-a, b);
    }

    @Override
    public String name() {
        return "Conv2D(" + filters + ", " + kernel + "x" + kernel + (stride != 1 ? ", stride " + stride : "")
                + (!padding.equals(Padding.VALID) ? ", " + padding : "") + (useBias ? "" : ", no bias") + ")";
    }

    /**
     * Saved as {@code "Conv2D"} with filters, kernel, stride, padding, bias and the weight initializer. ONNX:
     * {@code Conv(x, W[, b])} with {@code W [F, C, k, k]} as stored (ONNX's layout), the bias input only when the
     * layer has one, {@code kernel_shape = [k, k]}, {@code strides = [s, s]} and {@code pads = [top, left, bottom,
     * right]} from {@link Padding} for this input size ({@code "same"}'s odd extra zero bottom and right); ONNX's
     * output size is the same floor rule. {@code dilations} and {@code group} stay at their default 1.
     */
    public static final class Type extends LayerType<Conv2D> implements OnnxMapping<Conv2D> {
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

        @Override
        public String toOnnx(Conv2D layer, OnnxGraph graph, String input) {
            Window w = layer.w;
            int[] ph = layer.padding.amounts(w.inH(), layer.kernel, layer.stride);
            int[] pw = layer.padding.amounts(w.inW(), layer.kernel, layer.stride);
            Map<String, Object> attributes = Map.of("kernel_shape", new int[] {layer.kernel, layer.kernel},
                    "strides", new int[] {layer.stride, layer.stride}, "pads", new int[] {ph[0], pw[0], ph[1], pw[1]});
            String weights = graph.constant("weights", layer.weights.value());
            return layer.useBias
                    ? graph.node("Conv", attributes, input, weights, graph.constant("bias", layer.bias.value()))
                    : graph.node("Conv", attributes, input, weights);
        }
    }
}
