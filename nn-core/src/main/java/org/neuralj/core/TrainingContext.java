package org.neuralj.core;

/** What a {@link TrainingListener} may see and steer during {@link Trainer#fit}. */
public final class TrainingContext {
    private final Sequential model;
    private final FitOptions options;
    private final int batchesPerEpoch;
    private final History history;
    private boolean stopRequested;

    TrainingContext(Sequential model, FitOptions options, int batchesPerEpoch, History history) {
        this.model = model;
        this.options = options;
        this.batchesPerEpoch = batchesPerEpoch;
        this.history = history;
    }

    public Sequential model() {
        return model;
    }

    public Optimizer optimizer() {
        return options.optimizer();
    }

    public Loss loss() {
        return options.loss();
    }

    public int epochs() {
        return options.epochs();
    }

    /** The listeners of this run, in order (a checkpoint stores the state of its {@link EarlyStopping}). */
    public java.util.List<TrainingListener> listeners() {
        return options.listeners();
    }

    public int batchesPerEpoch() {
        return batchesPerEpoch;
    }

    /** The epochs finished so far. */
    public History history() {
        return history;
    }

    /** Ends training once the current epoch is complete. */
    public void stop() {
        stopRequested = true;
    }

    public boolean stopRequested() {
        return stopRequested;
    }
}
