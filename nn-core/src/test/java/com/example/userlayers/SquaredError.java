package com.example.userlayers;

import org.neuralj.core.Loss;
import org.neuralj.core.Tensor;

/** A user's loss, the shared test example: {@code L = (1/B) Σ ½‖ŷ − y‖²}, so {@code ∂L/∂ŷ = (ŷ − y)/B}. */
public final class SquaredError implements Loss {
    @Override
    public double value(Tensor predicted, Tensor target) {
        predicted.requireSameShape("SquaredError", target);
        double s = 0;
        for (int i = 0; i < predicted.size(); i++) {
            double d = predicted.data()[i] - target.data()[i];
            s += 0.5 * d * d;
        }
        return s / predicted.rows();
    }

    @Override
    public void gradient(Tensor predicted, Tensor target, Tensor out) {
        predicted.requireSameShape("SquaredError", target);
        float inv = 1f / predicted.rows();
        for (int i = 0; i < predicted.size(); i++) {
            out.data()[i] = (predicted.data()[i] - target.data()[i]) * inv;
        }
    }
}
