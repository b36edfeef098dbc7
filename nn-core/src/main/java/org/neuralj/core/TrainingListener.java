package org.neuralj.core;

/**
 * Hooks into {@link Trainer#fit}: logging, progress bars, early stopping, learning-rate schedules and
 * checkpoints are all listeners. Every method has an empty default, so a listener overrides only what it needs.
 */
public interface TrainingListener {

    default void onTrainBegin(TrainingContext context) {
    }

    /** Before the first batch of {@code epoch} (1-based). */
    default void onEpochBegin(int epoch, TrainingContext context) {
    }

    /** After the optimizer step of batch {@code batch} (0-based) with that batch's mean loss. */
    default void onBatchEnd(int epoch, int batch, double loss, TrainingContext context) {
    }

    /** After the epoch's validation; {@link TrainingContext#stop()} here ends training after this epoch. */
    default void onEpochEnd(EpochResult result, TrainingContext context) {
    }

    default void onTrainEnd(History history, TrainingContext context) {
    }
}
