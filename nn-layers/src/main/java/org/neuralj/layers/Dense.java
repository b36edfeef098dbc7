package org.neuralj.layers;

import java.util.List;
import java.util.Map;
import org.neuralj.core.AbstractLayer;
import org.neuralj.core.LayerConfig;
import org.neuralj.core.LayerType;
import org.neuralj.core.OnnxGraph;
import org.neuralj.core.OnnxMapping;
import org.neuralj.core.Parameter;
import org.neuralj.core.Shape;
import org.neuralj.core.Tensor;
import org.neuralj.core.TorchMapping;

/**
 * A fully connected layer, on a batch {@code X [B, in]}:
 *
 * <pre>
 * forward:   Y = X·W + b                       W [in, units], b [units]
 * backward:  ∂L/∂W += Xᵀ·G,  ∂L/∂b += Σ_rows G,  ∂L/∂X = G·Wᵀ      where G = ∂L/∂Y
 * </pre>
 *
 * By default weights and biases are drawn from N(0, 1), as in Nielsen's {@code network.py}; pass an {@link Initializer} (e.g.
 * {@link Initializer#heNormal()}) for deeper or ReLU networks, which then start with zero biases.
 */
public final class Dense extends AbstractLayer {
    private final int units;
    private final Initializer weightInit;
    private final Initializer biasInit;
    private Parameter weights;
    private Parameter bias;
    private Tensor input;
    private Tensor output;
    private Tensor gradInput;

    /** {@code units} outputs, weights and biases from N(0, 1). */
    public Dense(int units) {
        this(units, Initializer.gaussian(), Initializer.gaussian());
    }

    /** {@code units} outputs, weights from {@code weightInit}, zero biases. */
    public Dense(int units, Initializer weightInit) {
        this(units, weightInit, Initializer.zeros());
    }

    public Dense(int units, Initializer weightInit, Initializer biasInit) {
        if (units <= 0) {
            throw new IllegalArgumentException("Dense units must be positive but was " + units);
        }
        if (weightInit == null || biasInit == null) {
            throw new IllegalArgumentException("Dense(" + units + ") needs weight and bias initializers");
        }
        this.units = units;
        this.weightInit = weightInit;
        this.biasInit = biasInit;
    }

    public int units() {
        return units;
    }

    @Override
    protected Shape build(Shape inputShape) {
        if (inputShape.rank() != 1) {
            throw new IllegalArgumentException(name() + " expects a flat input (one dimension) but got shape "
                    + inputShape + "; add a Flatten layer first");
        }
        int in = inputShape.dim(0);
        weights = addParameter("weights", in, units);
        bias = addParameter("bias", units);
        weightInit.initialize(weights.value(), in, units, rng());
        biasInit.initialize(bias.value(), in, units, rng());
        return Shape.of(units);
    }

    @Override
    public Tensor forward(Tensor x, boolean training) {
        checkInput(x);
        output = Tensor.reuse(output, x.rows(), units);
        // Y = b broadcast, then Y += X·W: the bias takes the place of the zeros the product would start from,
        // so adding it costs no extra pass over Y.
        float[] y = output.data(), b = bias.value().data();
        for (int row = 0, rows = x.rows(), from = bias.value().offset(); row < rows; row++) {
            System.arraycopy(b, from, y, row * units, units);
        }
        Tensor.multAdd(x, weights.value(), output);
        input = x;
        return output;
    }

    @Override
    public Tensor backward(Tensor gradOutput) {
        backwardParametersOnly(gradOutput);
        gradInput = Tensor.reuse(gradInput, gradOutput.rows(), input.cols());
        Tensor.multTransB(gradOutput, weights.value(), gradInput);
        return gradInput;
    }

    /** ∂L/∂W and ∂L/∂b only: as the first layer, ∂L/∂X = G·Wᵀ (often the largest product of a step) is not needed. */
    @Override
    public void backwardParametersOnly(Tensor gradOutput) {
        checkGradient(gradOutput, output);
        Tensor.multAddTransA(input, gradOutput, weights.grad());
        gradOutput.sumColumnsAdd(bias.grad());
    }

    @Override
    public String name() {
        return "Dense(" + units + ")";
    }

    /**
     * Saved as {@code "Dense"} with {@code units}, {@code weightInit} and {@code biasInit}. In ONNX it is
     * {@code Gemm(X, W, b)} with {@code W} as stored, {@code [in, units]}; PyTorch's {@code nn.Linear} stores
     * {@code weight} transposed, {@code [units, in]}, and {@code bias} as it is.
     */
    public static final class Type extends LayerType<Dense> implements OnnxMapping<Dense>, TorchMapping<Dense> {
        public Type() {
            super("Dense", Dense.class);
        }

        @Override
        public Map<String, Object> config(Dense layer) {
            return Map.of("units", layer.units, "weightInit", layer.weightInit.config(),
                    "biasInit", layer.biasInit.config());
        }

        @Override
        public Dense create(LayerConfig config) {
            return new Dense(config.getInt("units"), Initializer.fromConfig(config.getConfig("weightInit").asMap()),
                    Initializer.fromConfig(config.getConfig("biasInit").asMap()));
        }

        @Override
        public String toOnnx(Dense layer, OnnxGraph graph, String input) {
            return graph.node("Gemm", input, graph.constant("weights", layer.weights.value()),
                    graph.constant("bias", layer.bias.value()));
        }

        @Override
        public List<TorchParameter> torchParameters(Dense layer) {
            return List.of(new TorchParameter("weight", layer.weights, 1, 0),
                    new TorchParameter("bias", layer.bias, 0));
        }
    }
}
