package org.neuralj.core;

import java.util.List;

/**
 * The listeners of one training run and what they share, the {@link TrainingContext} and the {@link History}, for a
 * training loop to drive: {@link Trainer#fit} drives them, and so can a loop of your own (a distributed trainer's,
 * say), as Keras's {@code CallbackList} serves custom loops. A loop calls, in this order:
 *
 * <pre>{@code
 * TrainingCallbacks callbacks = new TrainingCallbacks(model, options, batchesPerEpoch, options.listeners());
 * callbacks.trainBegin();
 * for (int epoch = 1; epoch <= options.epochs() && !callbacks.stopRequested(); epoch++) {
 *     callbacks.epochBegin(epoch);
 *     // for every batch b: train it, then callbacks.batchEnd(epoch, b, batchLoss);
 *     callbacks.epochEnd(new EpochResult(epoch, ...));
 * }
 * History history = callbacks.trainEnd();
 * }</pre>
 *
 * Each call reaches the listeners in their order; {@link #epochEnd} first records the result in the history, so the
 * listeners see it there.
 */
public final class TrainingCallbacks {
    private final List<TrainingListener> listeners;
    private final History history = new History();
    private final TrainingContext context;

    /**
     * The callbacks of a run of {@code model} with {@code options}, {@code batchesPerEpoch} batches an epoch, calling
     * {@code listeners} (for {@code fit}: an {@link EpochLogger} unless quiet, then the options' listeners).
     */
    public TrainingCallbacks(Sequential model, FitOptions options, int batchesPerEpoch,
                             List<TrainingListener> listeners) {
        this.listeners = List.copyOf(listeners);
        this.context = new TrainingContext(model, options, batchesPerEpoch, history);
    }

    /** What the listeners see: the model, the options, the history so far, and the stop request. */
    public TrainingContext context() {
        return context;
    }

    /** The epochs finished so far. */
    public History history() {
        return history;
    }

    /** True once a listener asked to stop ({@link TrainingContext#stop}): the loop starts no further epoch. */
    public boolean stopRequested() {
        return context.stopRequested();
    }

    /** Before the first epoch. */
    public void trainBegin() {
        for (TrainingListener l : listeners) {
            l.onTrainBegin(context);
        }
    }

    /** Before epoch {@code epoch} (1-based) trains. */
    public void epochBegin(int epoch) {
        for (TrainingListener l : listeners) {
            l.onEpochBegin(epoch, context);
        }
    }

    /** After batch {@code batch} (0-based) of {@code epoch} has been trained, with its mean loss. */
    public void batchEnd(int epoch, int batch, double loss) {
        for (TrainingListener l : listeners) {
            l.onBatchEnd(epoch, batch, loss, context);
        }
    }

    /** Records {@code result} in the history, then tells the listeners. */
    public void epochEnd(EpochResult result) {
        history.add(result);
        for (TrainingListener l : listeners) {
            l.onEpochEnd(result, context);
        }
    }

    /** Tells the listeners that training ended; returns the history. */
    public History trainEnd() {
        for (TrainingListener l : listeners) {
            l.onTrainEnd(history, context);
        }
        return history;
    }
}
