package org.neuralj.core;

import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

/**
 * Updates parameter values from their gradients: one call of {@link #step} per mini-batch. The gradients hold the
 * batch-mean gradient {@code ∂L/∂θ} (the loss is a batch mean), so plain SGD is {@code θ ← θ − η ∂L/∂θ}, the tutorials'
 * {@code w ← w − (η/m) Σ ∇}.
 */
public interface Optimizer {

    /** Applies one update to every parameter from its current gradient. Does not zero the gradients. */
    void step(List<Parameter> parameters);

    /**
     * Applies one update to every parameter of {@code buffer}, as {@link #step} does, with the buffer cut into
     * {@code parts} parts ({@link ParameterBuffer#partStart}) and {@code runner} calling the task it is given once for
     * every part {@code 0..parts−1}, possibly on several threads at once. Data-parallel training steps each part on
     * the thread that has just summed that part's gradients, so the part's optimizer state stays in that core's cache
     * (what ZeRO calls sharding the optimizer state, inside one process). The result equals {@code step(buffer)} bit
     * for bit. This default ignores the parts and steps the whole buffer on the calling thread.
     */
    default void stepInParts(ParameterBuffer buffer, int parts, Consumer<IntConsumer> runner) {
        step(buffer);
    }

    /**
     * After {@link #step}: the position in {@code parameters} (the list just stepped) of the first parameter holding
     * a NaN or an infinity, or -1 when every value is finite. The training loop asks after every step, so a
     * divergence is caught at the step that caused it. This default scans every value once; an optimizer may answer
     * from a check folded into its update ({@code GradientOptimizer} does).
     */
    default int firstNonFinite(List<Parameter> parameters) {
        for (int i = 0; i < parameters.size(); i++) {
            if (!parameters.get(i).value().isFinite()) {
                return i;
            }
        }
        return -1;
    }

    /** The current learning rate η. */
    double learningRate();

    /** Sets η, e.g. from a schedule; must be finite and non-negative. */
    void setLearningRate(double learningRate);

    /**
     * The optimizer's state for {@code parameter} (e.g. Adam's moments {@code m} and {@code v}), as live tensors of
     * the parameter's shape, created on first use. A checkpoint copies them out, and into a fresh optimizer to
     * resume. Empty for a stateless optimizer.
     */
    default Map<String, Tensor> state(Parameter parameter) {
        return Map.of();
    }

    /**
     * Every setting that shapes the update besides the learning rate (which schedules change), by name, e.g.
     * {@code {"momentum": 0.9, "nesterov": true, "weight_decay": 0.0}}: numbers, booleans and strings. A checkpoint
     * stores them and refuses to resume with an optimizer whose settings differ. Empty by default.
     */
    default Map<String, Object> settings() {
        return Map.of();
    }

    /** Number of {@link #step} calls so far (bias corrections depend on it). */
    default long steps() {
        return 0;
    }

    /** Restores the step count, when resuming from a checkpoint. */
    default void setSteps(long steps) {
    }

    /**
     * The regularisation term this optimizer adds to the objective, reported with the loss: for L2 weight decay λ,
     * {@code (λ/2) Σ θ²}. Zero by default.
     */
    default double penalty(List<Parameter> parameters) {
        return 0;
    }
}
