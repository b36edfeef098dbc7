package org.neuralj.core;

/**
 * A loss function averaged over a batch: {@code L = (1/B) Σ_b ℓ(ŷ_b, y_b)} for predictions and targets of shape
 * {@code [B, outputs]}.
 */
public interface Loss {

    /** The mean loss of the batch, accumulated in double. */
    double value(Tensor predicted, Tensor target);

    /** Writes {@code ∂L/∂ŷ} (already divided by the batch size B) into {@code out}, of the predictions' shape. */
    void gradient(Tensor predicted, Tensor target, Tensor out);

    /** {@code ∂L/∂ŷ} as a new tensor. */
    default Tensor gradient(Tensor predicted, Tensor target) {
        Tensor out = Tensor.zeros(predicted.shape());
        gradient(predicted, target, out);
        return out;
    }

    /**
     * The largest loss one sample can contribute when the loss clamps its input (cross-entropy clamps probabilities
     * at 1e-7, so a confidently wrong answer costs {@code −log 1e-7 ≈ 16.1} however wrong it is), or infinity for a
     * loss without a clamp. A clamp can hide divergence, so training reports an epoch whose mean loss sits at half
     * this ceiling or above as diverged.
     */
    default double ceiling() {
        return Double.POSITIVE_INFINITY;
    }

    /** A short display name, e.g. {@code cross-entropy}. */
    default String name() {
        return getClass().getSimpleName();
    }
}
