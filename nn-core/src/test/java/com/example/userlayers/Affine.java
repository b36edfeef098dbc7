package com.example.userlayers;

import org.neuralj.core.AbstractLayer;
import org.neuralj.core.LayerConfig;
import org.neuralj.core.LayerType;
import org.neuralj.core.Parameter;
import org.neuralj.core.Shape;
import org.neuralj.core.Tensor;
import java.util.Map;

/**
 * A fully connected layer written the plain way, with three nested loops per product and no kernels: the shared
 * test example of a layer with a weight and a bias, and an independent implementation to check {@code Dense} against.
 *
 * <pre>y = x·W + b      ∂L/∂W += xᵀ·G      ∂L/∂b += Σ_rows G      ∂L/∂x = G·Wᵀ</pre>
 *
 * Weights start uniform in ±1/√in (biases zero).
 */
public final class Affine extends AbstractLayer {
    private final int units;
    private Parameter weights;
    private Parameter bias;
    private Tensor input;
    private Tensor output;
    private Tensor gradInput;

    public Affine(int units) {
        if (units <= 0) {
            throw new IllegalArgumentException("Affine units must be positive but was " + units);
        }
        this.units = units;
    }

    @Override
    protected Shape build(Shape inputShape) {
        int in = inputShape.size();
        weights = addParameter("weights", in, units);
        bias = addParameter("bias", units);
        float limit = (float) (1 / Math.sqrt(in));
        float[] w = weights.value().data();
        for (int i = 0; i < w.length; i++) {
            w[i] = (2 * rng().nextFloat() - 1) * limit;
        }
        return Shape.of(units);
    }

    @Override
    public Tensor forward(Tensor x, boolean training) {
        checkInput(x);
        int rows = x.rows(), in = x.cols();
        output = Tensor.reuse(output, rows, units);
        for (int r = 0; r < rows; r++) {
            for (int o = 0; o < units; o++) {
                double s = bias.value().get(o);
                for (int i = 0; i < in; i++) {
                    s += (double) x.get(r, i) * weights.value().get(i, o);
                }
                output.set(r, o, (float) s);
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
        for (int r = 0; r < rows; r++) {
            for (int o = 0; o < units; o++) {
                float go = g.get(r, o);
                bias.grad().set(o, bias.grad().get(o) + go);
                for (int i = 0; i < in; i++) {
                    weights.grad().set(i, o, weights.grad().get(i, o) + input.get(r, i) * go);
                }
            }
            for (int i = 0; i < in; i++) {
                double s = 0;
                for (int o = 0; o < units; o++) {
                    s += (double) g.get(r, o) * weights.value().get(i, o);
                }
                gradInput.set(r, i, (float) s);
            }
        }
        return gradInput;
    }

    @Override
    public String name() {
        return "Affine(" + units + ")";
    }

    /** Saved as {@code "com.example.Affine"} with its {@code units}. */
    public static final class Type extends LayerType<Affine> {
        public Type() {
            super("com.example.Affine", Affine.class);
        }

        @Override
        public Map<String, Object> config(Affine layer) {
            return Map.of("units", layer.units);
        }

        @Override
        public Affine create(LayerConfig config) {
            return new Affine(config.getInt("units"));
        }
    }
}
