package org.neuralj.layers;

import java.util.Map;
import org.neuralj.core.AbstractLayer;
import org.neuralj.core.LayerConfig;
import org.neuralj.core.LayerType;
import org.neuralj.core.OnnxGraph;
import org.neuralj.core.OnnxMapping;
import org.neuralj.core.Parameter;
import org.neuralj.core.Shape;
import org.neuralj.core.Tensor;

/**
 * Batch normalisation (Ioffe and Szegedy, 2015) per feature of {@code [B, F]}, or per channel of images
 * {@code [B, C, H, W]} (statistics over the batch and all positions, as PyTorch's {@code BatchNorm1d/2d}). For one
 * channel, over its {@code m} values in the batch ({@code m = B} or {@code B·H·W}):
 *
 * <pre>
 * training:   μ = (1/m) Σ x,   σ² = (1/m) Σ (x − μ)²,   x̂ = (x − μ) / √(σ² + ε),   y = γ x̂ + β
 *             running_mean ← (1 − momentum)·running_mean + momentum·μ
 *             running_var  ← (1 − momentum)·running_var  + momentum·σ²·m/(m − 1)      (unbiased, as PyTorch)
 * inference:  y = γ (x − running_mean) / √(running_var + ε) + β
 * backward:   ∂L/∂β = Σ G,   ∂L/∂γ = Σ G x̂,   ∂L/∂x = γ / (m √(σ² + ε)) · (m G − ∂L/∂β − x̂ ∂L/∂γ)
 * </pre>
 *
 * where {@code G = ∂L/∂y}; the input gradient accounts for μ and σ² depending on every x of the batch. After an
 * inference pass, backward is that of the fixed affine map ({@code ∂L/∂x = G γ / √(running_var + ε)}). γ starts at 1,
 * β at 0; the running statistics start at 0 and 1 and are {@link #buffers() buffers}: saved with the model, not
 * trained. Momentum 0.1 and ε = 1e-5 are PyTorch's defaults.
 */
public final class BatchNorm extends AbstractLayer {
    private final double momentum;
    private final double epsilon;
    private int channels;
    private int positions;
    private Parameter gamma;
    private Parameter beta;
    private Parameter runningMean;
    private Parameter runningVar;
    private final float[][] stats = new float[2][];
    private boolean lastWasTraining;
    private Tensor normalized;
    private Tensor output;
    private Tensor gradInput;

    /** Momentum 0.1 and ε = 1e-5. */
    public BatchNorm() {
        this(0.1, 1e-5);
    }

    /**
     * @param momentum the weight of each batch in the running statistics, in (0, 1]
     * @param epsilon  added to the variance before the square root, positive
     */
    public BatchNorm(double momentum, double epsilon) {
        if (!(momentum > 0 && momentum <= 1)) {
            throw new IllegalArgumentException("BatchNorm momentum must be in (0, 1] but was " + momentum);
        }
        if (!(epsilon > 0 && epsilon < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException("BatchNorm epsilon must be positive and finite but was " + epsilon);
        }
        this.momentum = momentum;
        this.epsilon = epsilon;
    }

    /** Features {@code [F]} or images {@code [C, H, W]}; the output has the input's shape. */
    @Override
    protected Shape build(Shape inputShape) {
        if (inputShape.rank() != 1 && inputShape.rank() != 3) {
            throw new IllegalArgumentException(name() + " expects features [F] or images [channels, height, width]"
                    + " but got shape " + inputShape + " (rank " + inputShape.rank() + ")");
        }
        channels = inputShape.dim(0);
        positions = inputShape.size() / channels;
        gamma = addParameter("gamma", channels);
        beta = addParameter("beta", channels);
        gamma.value().fill(1f);
        runningMean = addBuffer("running_mean", channels);
        runningVar = addBuffer("running_var", channels);
        runningVar.value().fill(1f);
        stats[0] = new float[channels];
        stats[1] = new float[channels];
        return inputShape;
    }

    @Override
    public Tensor forward(Tensor x, boolean training) {
        checkInput(x);
        int batch = x.rows(), m = batch * positions;
        if (training && m < 2) {
            throw new IllegalArgumentException(name() + " needs more than one value per channel in training but"
                    + " the batch " + java.util.Arrays.toString(x.shape()) + " has " + m + "; train with batches of"
                    + " 2 or more");
        }
        normalized = Tensor.reuse(normalized, batch, inputShape());
        output = Tensor.reuse(output, batch, inputShape());
        float[] in = x.data(), xh = normalized.data(), y = output.data();
        float[] mean = stats[0], invStd = stats[1];
        // parameters are views of the network's buffer: γ_c is g[go + c]
        float[] g = gamma.value().data(), b = beta.value().data();
        int go = gamma.value().offset(), bo = beta.value().offset();
        float[] rm = runningMean.value().data(), rv = runningVar.value().data();
        for (int c = 0; c < channels; c++) {
            if (training) {
                double sum = 0;
                for (int n = 0; n < batch; n++) {
                    for (int i = (n * channels + c) * positions, end = i + positions; i < end; i++) {
                        sum += in[i];
                    }
                }
                double mu = sum / m, squares = 0;
                for (int n = 0; n < batch; n++) {
                    for (int i = (n * channels + c) * positions, end = i + positions; i < end; i++) {
                        double d = in[i] - mu;
                        squares += d * d;
                    }
                }
                double variance = squares / m;
                mean[c] = (float) mu;
                invStd[c] = (float) (1 / Math.sqrt(variance + epsilon));
                rm[c] = (float) ((1 - momentum) * rm[c] + momentum * mu);
                rv[c] = (float) ((1 - momentum) * rv[c] + momentum * variance * m / (m - 1));
            } else {
                mean[c] = rm[c];
                invStd[c] = (float) (1 / Math.sqrt(rv[c] + epsilon));
            }
            float mu = mean[c], s = invStd[c], gc = g[go + c], bc = b[bo + c];
            for (int n = 0; n < batch; n++) {
                for (int i = (n * channels + c) * positions, end = i + positions; i < end; i++) {
                    xh[i] = (in[i] - mu) * s;
                    y[i] = gc * xh[i] + bc;
                }
            }
        }
        lastWasTraining = training;
        return output;
    }

    @Override
    public Tensor backward(Tensor gradOutput) {
        checkGradient(gradOutput, output);
        int batch = gradOutput.rows(), m = batch * positions;
        gradInput = Tensor.reuse(gradInput, batch, inputShape());
        float[] gy = gradOutput.data(), xh = normalized.data(), gi = gradInput.data();
        float[] g = gamma.value().data(), gg = gamma.grad().data(), gb = beta.grad().data(), invStd = stats[1];
        int go = gamma.value().offset(), ggo = gamma.grad().offset(), gbo = beta.grad().offset();
        for (int c = 0; c < channels; c++) {
            double sumG = 0, sumGx = 0;
            for (int n = 0; n < batch; n++) {
                for (int i = (n * channels + c) * positions, end = i + positions; i < end; i++) {
                    sumG += gy[i];
                    sumGx += gy[i] * xh[i];
                }
            }
            gb[gbo + c] += (float) sumG;
            gg[ggo + c] += (float) sumGx;
            float scale = g[go + c] * invStd[c];
            // in training the batch statistics depend on x: subtract the mean gradient and its x̂ component
            float meanG = lastWasTraining ? (float) (sumG / m) : 0f, meanGx = lastWasTraining ? (float) (sumGx / m) : 0f;
            for (int n = 0; n < batch; n++) {
                for (int i = (n * channels + c) * positions, end = i + positions; i < end; i++) {
                    gi[i] = scale * (gy[i] - meanG - xh[i] * meanGx);
                }
            }
        }
        return gradInput;
    }

    @Override
    public String name() {
        return "BatchNorm";
    }

    /**
     * Saved as {@code "BatchNorm"} with {@code momentum} and {@code epsilon}; the running statistics as buffers. ONNX,
     * the inference form: {@code BatchNormalization(x, gamma, beta, running_mean, running_var)} with
     * {@code epsilon} (as a float; {@code momentum} is not used at inference). ONNX normalises per index of axis 1,
     * the features of {@code [N, F]} or the channels of {@code [N, C, H, W]}, as here.
     */
    public static final class Type extends LayerType<BatchNorm> implements OnnxMapping<BatchNorm> {
        public Type() {
            super("BatchNorm", BatchNorm.class);
        }

        @Override
        public Map<String, Object> config(BatchNorm layer) {
            return Map.of("momentum", layer.momentum, "epsilon", layer.epsilon);
        }

        @Override
        public BatchNorm create(LayerConfig config) {
            return new BatchNorm(config.getDouble("momentum"), config.getDouble("epsilon"));
        }

        @Override
        public String toOnnx(BatchNorm layer, OnnxGraph graph, String input) {
            return graph.node("BatchNormalization", Map.of("epsilon", (float) layer.epsilon), input,
                    graph.constant("gamma", layer.gamma.value()), graph.constant("beta", layer.beta.value()),
                    graph.constant("running_mean", layer.runningMean.value()),
                    graph.constant("running_var", layer.runningVar.value()));
        }
    }
}
