package org.neuralj.optim;

import org.neuralj.core.TrainingContext;
import org.neuralj.core.TrainingListener;

/**
 * Drives the optimizer's learning rate from a {@link LearningRateSchedule}: before the first batch of each epoch and
 * after every batch, it sets the rate for the coming step. The step number is derived from the epoch and batch, so
 * a resumed run gets the same rates. When the schedule returns NaN, an infinity or a negative rate, training stops
 * with an {@link IllegalStateException} naming the value, the epoch and the step.
 */
public final class LearningRateScheduler implements TrainingListener {
    private final LearningRateSchedule schedule;

    public LearningRateScheduler(LearningRateSchedule schedule) {
        if (schedule == null) {
            throw new IllegalArgumentException("schedule must not be null");
        }
        this.schedule = schedule;
    }

    @Override
    public void onEpochBegin(int epoch, TrainingContext context) {
        apply(epoch, (long) (epoch - 1) * context.batchesPerEpoch(), context);
    }

    @Override
    public void onBatchEnd(int epoch, int batch, double loss, TrainingContext context) {
        if (batch + 1 < context.batchesPerEpoch()) {
            apply(epoch, (long) (epoch - 1) * context.batchesPerEpoch() + batch + 1, context);
        }
    }

    private void apply(int epoch, long step, TrainingContext context) {
        double rate = schedule.rate(epoch, step);
        if (!(rate >= 0) || Double.isInfinite(rate)) {
            throw new IllegalStateException("learning-rate schedule returned " + rate + " at epoch " + epoch
                    + ", step " + step + "; a rate must be finite and non-negative");
        }
        context.optimizer().setLearningRate(rate);
    }
}
