package org.neuralj.core;

/**
 * A loss that has a simple, numerically stable gradient through a softmax: for cross-entropy,
 * {@code ∂L/∂z = (p − y) / B} where {@code p = softmax(z)}. See {@link SoftmaxOutput}.
 */
public interface SoftmaxFusedLoss extends Loss {

    /** Writes {@code ∂L/∂z} into {@code out}, given the softmax probabilities {@code p} and targets {@code y}. */
    void gradientWrtLogits(Tensor probabilities, Tensor target, Tensor out);
}
