package org.neuralj.core;

import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops training when a monitored metric has not improved by more than {@code minDelta} for {@code patience}
 * epochs, and optionally puts back the weights of the best epoch when training ends (whether it stopped early or
 * ran out of epochs).
 *
 * <pre>{@code .listener(new EarlyStopping(Monitor.VAL_LOSS, 5, 1e-4, true))}</pre>
 */
public final class EarlyStopping implements TrainingListener {
    private static final Logger LOG = LoggerFactory.getLogger(EarlyStopping.class);

    private final Monitor monitor;
    private final int patience;
    private final double minDelta;
    private final boolean restoreBestWeights;
    private double best;
    private int bestEpoch;
    private int wait;
    private float[][] bestWeights;
    /** Set by {@link #restore}: the next {@link #onTrainBegin} continues from it instead of starting afresh. */
    private State restored;

    /**
     * Where early stopping stands after an epoch, for a checkpoint: the best monitored value so far (NaN before the
     * first epoch), its epoch, the epochs waited since, and the weights of the best epoch (one array per parameter;
     * null unless best weights are restored at the end).
     */
    public record State(double best, int bestEpoch, int waited, float[][] bestWeights) {
    }

    public EarlyStopping(Monitor monitor, int patience, double minDelta, boolean restoreBestWeights) {
        if (monitor == null) {
            throw new IllegalArgumentException("monitor must not be null");
        }
        if (patience < 0) {
            throw new IllegalArgumentException("patience must be non-negative but was " + patience);
        }
        if (!(minDelta >= 0) || Double.isInfinite(minDelta)) {
            throw new IllegalArgumentException("minDelta must be finite and non-negative but was " + minDelta);
        }
        this.monitor = monitor;
        this.patience = patience;
        this.minDelta = minDelta;
        this.restoreBestWeights = restoreBestWeights;
    }

    @Override
    public void onTrainBegin(TrainingContext context) {
        State from = restored == null ? new State(Double.NaN, 0, 0, null) : restored;
        restored = null;
        best = from.best();
        bestEpoch = from.bestEpoch();
        wait = from.waited();
        bestWeights = from.bestWeights() == null ? null : deepCopy(from.bestWeights());
    }

    /** The current state (copied), to store in a checkpoint. */
    public State state() {
        return new State(best, bestEpoch, wait, bestWeights == null ? null : deepCopy(bestWeights));
    }

    /**
     * Continues from {@code state} (taken from a checkpoint) in the next {@code fit}, so a resumed run stops, and
     * restores the best weights, exactly as the uninterrupted run would.
     */
    public void restore(State state) {
        if (state == null) {
            throw new IllegalArgumentException("state must not be null");
        }
        this.restored = new State(state.best(), state.bestEpoch(), state.waited(),
                state.bestWeights() == null ? null : deepCopy(state.bestWeights()));
    }

    /** The settings a checkpoint records, to refuse resuming with different ones. */
    public java.util.Map<String, Object> settings() {
        return java.util.Map.of("monitor", monitor.toString(), "patience", patience, "min_delta", minDelta,
                "restore_best_weights", restoreBestWeights);
    }

    private static float[][] deepCopy(float[][] a) {
        float[][] c = new float[a.length][];
        for (int i = 0; i < a.length; i++) {
            c[i] = a[i].clone();
        }
        return c;
    }

    @Override
    public void onEpochEnd(EpochResult result, TrainingContext context) {
        if (monitor.needsValidation() && !result.hasValidation()) {
            throw new IllegalStateException("EarlyStopping monitors " + monitor + " but fit has no validation data;"
                    + " give FitOptions.validation(...) or validationSplit(...)");
        }
        double value = monitor.of(result);
        if (monitor.improves(value, best, minDelta)) {
            best = value;
            bestEpoch = result.epoch();
            wait = 0;
            if (restoreBestWeights) {
                snapshot(context.model().parameters());
            }
        } else if (++wait > patience) {
            LOG.info("Early stopping at epoch {}: {} has not improved on {} (epoch {}) for {} epochs",
                    result.epoch(), monitor, best, bestEpoch, wait);
            context.stop();
        }
    }

    @Override
    public void onTrainEnd(History history, TrainingContext context) {
        if (restoreBestWeights && bestWeights != null && bestEpoch != history.last().epoch()) {
            ParameterBuffer ps = context.model().parameters();
            for (int i = 0; i < ps.size(); i++) {
                System.arraycopy(bestWeights[i], 0, ps.values(), ps.offset(i), bestWeights[i].length);
            }
            LOG.info("Restored the weights of epoch {} ({} {})", bestEpoch, monitor, best);
        }
    }

    /** The epoch with the best monitored value so far (0 before the first). */
    public int bestEpoch() {
        return bestEpoch;
    }

    private void snapshot(ParameterBuffer ps) {
        if (bestWeights == null) {
            bestWeights = new float[ps.size()][];
            for (int i = 0; i < ps.size(); i++) {
                bestWeights[i] = new float[ps.get(i).size()];
            }
        }
        for (int i = 0; i < ps.size(); i++) {
            System.arraycopy(ps.values(), ps.offset(i), bestWeights[i], 0, bestWeights[i].length);
        }
    }
}
