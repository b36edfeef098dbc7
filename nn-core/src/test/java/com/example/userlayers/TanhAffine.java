package com.example.userlayers;

import java.util.Arrays;
import java.util.Map;
import org.neuralj.core.AbstractLayer;
import org.neuralj.core.LayerConfig;
import org.neuralj.core.LayerType;
import org.neuralj.core.Parameter;
import org.neuralj.core.Shape;
import org.neuralj.core.Tensor;

/**
 * {@code y = tanh(x·W + b)}, W of shape [in, out], with an optional deliberate mistake: the shared test layer for
 * proving that gradient checks catch a small error. Backward:
 * {@code ∂L/∂z = G ⊙ (1 − y²)}, {@code ∂L/∂W = xᵀ·∂L/∂z}, {@code ∂L/∂b = Σ_rows ∂L/∂z}, {@code ∂L/∂x = ∂L/∂z·Wᵀ};
 * the gradient at {@link #planted()} is multiplied by {@code 1 + error}.
 */
public final class TanhAffine extends AbstractLayer {
    /** Which gradient the layer gets wrong. */
    public enum Position { NONE, INPUT, WEIGHT, BIAS }

    private final int units;
    private final Position planted;
    private final double error;
    private Parameter weight;
    private Parameter bias;
    private Tensor input;
    private Tensor output;
    private Tensor gradInput;

    /** A layer whose gradient at {@code planted} is off by the factor {@code 1 + error}. */
    public TanhAffine(int units, Position planted, double error) {
        this.units = units;
        this.planted = planted;
        this.error = error;
    }

    /** A correct layer. */
    public TanhAffine(int units) {
        this(units, Position.NONE, 0);
    }

    public Position planted() {
        return planted;
    }

    @Override
    protected Shape build(Shape inputShape) {
        int in = inputShape.size();
        weight = addParameter("weight", in, units);
        bias = addParameter("bias", units);
        weight.value().copyFrom(Tensor.uniform(rng(), -0.8f, 0.8f, in, units));
        bias.value().copyFrom(Tensor.uniform(rng(), -0.5f, 0.5f, units));
        return Shape.of(units);
    }

    @Override
    public Tensor forward(Tensor x, boolean training) {
        checkInput(x);
        int in = x.cols();
        output = Tensor.reuse(output, x.rows(), units);
        float[] xd = x.data(), w = weight.value().data(), b = bias.value().data(), y = output.data();
        int wo = weight.value().offset(), bo = bias.value().offset(); // views of the network's buffer
        for (int r = 0; r < x.rows(); r++) {
            for (int o = 0; o < units; o++) {
                float z = b[bo + o];
                for (int i = 0; i < in; i++) {
                    z += xd[r * in + i] * w[wo + i * units + o];
                }
                y[r * units + o] = (float) Math.tanh(z);
            }
        }
        input = x;
        return output;
    }

    @Override
    public Tensor backward(Tensor g) {
        checkGradient(g, output);
        int rows = g.rows(), in = input.cols();
        gradInput = Tensor.reuse(gradInput, rows, in);
        float[] gd = g.data(), y = output.data(), xd = input.data(), w = weight.value().data();
        float[] gw = weight.grad().data(), gb = bias.grad().data(), gx = gradInput.data();
        int wo = weight.value().offset(), gwo = weight.grad().offset(), gbo = bias.grad().offset();
        float factor = (float) (1 + error);
        float fx = planted == Position.INPUT ? factor : 1;
        float fw = planted == Position.WEIGHT ? factor : 1;
        float fb = planted == Position.BIAS ? factor : 1;
        Arrays.fill(gx, 0);
        for (int r = 0; r < rows; r++) {
            for (int o = 0; o < units; o++) {
                float yo = y[r * units + o];
                float gz = gd[r * units + o] * (1 - yo * yo);
                gb[gbo + o] += fb * gz;
                for (int i = 0; i < in; i++) {
                    gw[gwo + i * units + o] += fw * xd[r * in + i] * gz;
                    gx[r * in + i] += fx * gz * w[wo + i * units + o];
                }
            }
        }
        return gradInput;
    }

    @Override
    public String name() {
        return "TanhAffine(" + units + ")";
    }

    /** Saved as {@code "com.example.TanhAffine"} with {@code units}, {@code planted} and {@code error}. */
    public static final class Type extends LayerType<TanhAffine> {
        public Type() {
            super("com.example.TanhAffine", TanhAffine.class);
        }

        @Override
        public Map<String, Object> config(TanhAffine layer) {
            return Map.of("units", layer.units, "planted", layer.planted.name(), "error", layer.error);
        }

        @Override
        public TanhAffine create(LayerConfig config) {
            return new TanhAffine(config.getInt("units"), Position.valueOf(config.getString("planted")),
                    config.getDouble("error"));
        }
    }
}
