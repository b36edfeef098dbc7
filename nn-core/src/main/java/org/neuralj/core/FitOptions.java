package org.neuralj.core;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * How {@link Trainer#fit} trains: loss, optimizer, epochs, batch size, validation data, listeners and the number of
 * data-parallel workers.
 *
 * <pre>{@code FitOptions.of(new CrossEntropy(), new SGD(0.1)).epochs(30).batchSize(10).validation(test)}</pre>
 *
 * Every setter checks its argument at once and throws {@link IllegalArgumentException} naming it.
 */
public final class FitOptions {
    private static final int MAX_WORKERS = 256;
    private final Loss loss;
    private final Optimizer optimizer;
    private int epochs = 10;
    private int initialEpoch;
    private int batchSize = 32;
    private boolean shuffle = true;
    private Dataset validation;
    private double validationSplit;
    private boolean logEpochs = true;
    private int workers = 1;
    private final List<TrainingListener> listeners = new ArrayList<>();

    private FitOptions(Loss loss, Optimizer optimizer) {
        if (loss == null || optimizer == null) {
            throw new IllegalArgumentException("FitOptions needs a loss and an optimizer, got loss=" + loss
                    + ", optimizer=" + optimizer);
        }
        this.loss = loss;
        this.optimizer = optimizer;
    }

    public static FitOptions of(Loss loss, Optimizer optimizer) {
        return new FitOptions(loss, optimizer);
    }

    /** Number of passes over the training data; default 10. */
    public FitOptions epochs(int epochs) {
        if (epochs <= 0) {
            throw new IllegalArgumentException("epochs must be positive but was " + epochs);
        }
        this.epochs = epochs;
        return this;
    }

    /**
     * The number of epochs already trained, when resuming from a checkpoint (Keras' {@code initial_epoch}): training
     * then runs epochs {@code initialEpoch + 1 .. epochs}, and the epoch numbers seen by listeners continue from
     * there. Default 0. Must be less than {@link #epochs(int)} when {@code fit} starts.
     */
    public FitOptions initialEpoch(int initialEpoch) {
        if (initialEpoch < 0) {
            throw new IllegalArgumentException("initialEpoch must be non-negative but was " + initialEpoch);
        }
        this.initialEpoch = initialEpoch;
        return this;
    }

    /** Samples per mini-batch (the last batch of an epoch may be smaller); default 32. */
    public FitOptions batchSize(int batchSize) {
        if (batchSize <= 0) {
            throw new IllegalArgumentException("batchSize must be positive but was " + batchSize);
        }
        this.batchSize = batchSize;
        return this;
    }

    /** Whether to reshuffle the training data each epoch (with the model's seeded generator); default true. */
    public FitOptions shuffle(boolean shuffle) {
        this.shuffle = shuffle;
        return this;
    }

    /** Held-out data evaluated after every epoch. */
    public FitOptions validation(Dataset validation) {
        this.validation = validation;
        return this;
    }

    /**
     * Without {@link #validation}, holds out the last {@code fraction} of the training rows (before shuffling, as
     * Keras does) and evaluates on them each epoch. Must be in [0, 1).
     */
    public FitOptions validationSplit(double fraction) {
        if (!(fraction >= 0 && fraction < 1)) {
            throw new IllegalArgumentException("validationSplit must be in [0, 1) but was " + fraction);
        }
        this.validationSplit = fraction;
        return this;
    }

    /**
     * Data-parallel training on {@code n} threads of this machine; default 1. {@code fit} keeps {@code n − 1} copies
     * of the network ({@link Sequential#copy()}; every layer needs a registered {@link LayerType}). Each mini-batch of
     * {@code B} rows is cut into {@code n} contiguous shares, share {@code i} being rows {@code [B·i/n, B·(i+1)/n)};
     * worker {@code i} computes its share's gradient weighted by {@code bᵢ/B} on its copy (worker 0 on the network
     * itself), the gradients are summed in worker order and the optimizer steps once:
     *
     * <pre>∂L/∂θ = Σᵢ (bᵢ/B)·∂Lᵢ/∂θ        loss = Σᵢ (bᵢ/B)·Lᵢ</pre>
     *
     * Results are bit-identical run to run for a given {@code n}, and equal to {@code workers(1)} up to float
     * rounding when no layer depends on the batch as a whole: {@code BatchNorm} normalises each share with its own
     * statistics (its running statistics come from worker 0's shares), and dropout masks differ because each worker
     * draws its own (reproducibly). A batch of fewer than {@code n} rows leaves some workers idle. The loss is called
     * from all workers at once, so it must keep no state between calls (the built-in ones keep none).
     *
     * @throws IllegalArgumentException when {@code n} is not in {@code 1..256}
     */
    public FitOptions workers(int n) {
        if (n < 1 || n > MAX_WORKERS) {
            throw new IllegalArgumentException("workers must be in 1.." + MAX_WORKERS + " (one thread and one network"
                    + " copy each) but was " + n);
        }
        this.workers = n;
        return this;
    }

    /** Adds a listener; listeners are called in the order added. */
    public FitOptions listener(TrainingListener listener) {
        if (listener == null) {
            throw new IllegalArgumentException("listener must not be null");
        }
        listeners.add(listener);
        return this;
    }

    /**
     * Prints one line per epoch to {@code out} ({@link ProgressPrinter}) instead of logging it: for a program with no
     * SLF4J provider, where log lines go nowhere.
     */
    public FitOptions printTo(java.io.PrintStream out) {
        listener(new ProgressPrinter(out));
        this.logEpochs = false;
        return this;
    }

    /** Turns off the default per-epoch log line ({@link EpochLogger}). */
    public FitOptions quiet() {
        this.logEpochs = false;
        return this;
    }

    public Loss loss() {
        return loss;
    }

    public Optimizer optimizer() {
        return optimizer;
    }

    public int epochs() {
        return epochs;
    }

    public int initialEpoch() {
        return initialEpoch;
    }

    public int batchSize() {
        return batchSize;
    }

    public boolean shuffle() {
        return shuffle;
    }

    /**
     * The order in which an epoch visits {@code n} training rows: a fresh permutation drawn from {@code rng} when
     * shuffling, else {@code 0..n−1}. Each epoch shuffles a fresh identity order, so the permutation depends on the
     * generator's state alone: a run resumed from a checkpoint (which restores that state), and a trainer elsewhere
     * that keeps the same generator (Spark's), see the same batches.
     */
    public int[] epochOrder(Rng rng, int n) {
        return shuffle ? rng.permutation(n) : Rng.identity(n);
    }

    public Dataset validation() {
        return validation;
    }

    public double validationSplit() {
        return validationSplit;
    }

    public boolean logEpochs() {
        return logEpochs;
    }

    /** The number of data-parallel workers; see {@link #workers(int)}. */
    public int workers() {
        return workers;
    }

    public List<TrainingListener> listeners() {
        return Collections.unmodifiableList(listeners);
    }
}
