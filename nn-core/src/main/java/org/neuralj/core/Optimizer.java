package org.neuralj.core;

import java.util.List;

/**
 * Updates parameter values from their gradients: one call of {@link #step} per mini-batch. The gradients hold the
 * batch-mean gradient {@code ∂L/∂θ} (the loss is a batch mean), so plain SGD is {@code θ ← θ − η ∂L/∂θ}, the seeds'
 * {@code w ← w − (η/m) Σ ∇}.
 */
public interface Optimizer {

    /** Applies one update to every parameter from its current gradient. Does not zero the gradients. */
    void step(List<Parameter> parameters);

    /** The current learning rate η. */
    double learningRate();

    /** Sets η, e.g. from a schedule; must be finite and non-negative. */
    void setLearningRate(double learningRate);
}
