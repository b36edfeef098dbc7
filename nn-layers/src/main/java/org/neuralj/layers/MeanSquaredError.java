package org.neuralj.layers;

import org.neuralj.core.Loss;
import org.neuralj.core.Tensor;

/**
 * Mean squared error over every value, as in Keras and PyTorch: {@code L = (1/(B·K)) Σ (ŷ − y)²} for
 * {@code [B, K]} predictions, with gradient {@code ∂L/∂ŷ = 2(ŷ − y) / (B·K)}. No ½ factor: the MSE of
 * {@code [1, 0, 0, 1]} against {@code [0, 0, 0, 0]} is 0.5. For the tutorials' ½-convention cost see
 * {@link QuadraticCost}.
 */
public final class MeanSquaredError implements Loss {

    @Override
    public double value(Tensor predicted, Tensor target) {
        predicted.requireSameShape("MeanSquaredError", target);
        float[] p = predicted.data(), t = target.data();
        double s = 0;
        for (int i = 0, n = predicted.size(); i < n; i++) {
            double d = p[i] - t[i];
            s += d * d;
        }
        return s / predicted.size();
    }

    @Override
    public void gradient(Tensor predicted, Tensor target, Tensor out) {
        predicted.requireSameShape("MeanSquaredError", target);
        predicted.requireSameShape("MeanSquaredError gradient output", out);
        float[] p = predicted.data(), t = target.data(), g = out.data();
        float scale = 2f / predicted.size();
        for (int i = 0, n = predicted.size(); i < n; i++) {
            g[i] = scale * (p[i] - t[i]);
        }
    }

    @Override
    public String name() {
        return "mse";
    }
}
