package org.neuralj.layers;

import org.neuralj.core.Loss;
import org.neuralj.core.Tensor;

/**
 * The tutorials' quadratic cost, with the ½ convention: {@code C = (1/B) Σ_b ½‖ŷ_b − y_b‖²}, summed over the outputs of
 * a sample and averaged over the batch. Its gradient is {@code ∂C/∂ŷ = (ŷ − y) / B}, so SGD with learning rate η
 * applies the tutorials' {@code w ← w − (η/m) Σ ∇C_x}. It equals {@code K/2} times {@link MeanSquaredError} for K outputs.
 */
public final class QuadraticCost implements Loss {

    @Override
    public double value(Tensor predicted, Tensor target) {
        predicted.requireSameShape("QuadraticCost", target);
        float[] p = predicted.data(), t = target.data();
        double s = 0;
        for (int i = 0, n = predicted.size(); i < n; i++) {
            double d = p[i] - t[i];
            s += d * d;
        }
        return 0.5 * s / predicted.rows();
    }

    @Override
    public void gradient(Tensor predicted, Tensor target, Tensor out) {
        predicted.requireSameShape("QuadraticCost", target);
        predicted.requireSameShape("QuadraticCost gradient output", out);
        float[] p = predicted.data(), t = target.data(), g = out.data();
        float scale = 1f / predicted.rows();
        for (int i = 0, n = predicted.size(); i < n; i++) {
            g[i] = scale * (p[i] - t[i]);
        }
    }

    @Override
    public String name() {
        return "quadratic";
    }
}
