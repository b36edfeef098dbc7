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

    /** A short display name, e.g. {@code cross-entropy}. */
    default String name() {
        return getClass().getSimpleName();
    }
}
