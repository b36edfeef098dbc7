package org.neuralj.core;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.ToDoubleFunction;

/** Per-epoch results of {@link Trainer#fit}, in order. */
public final class History {
    private final List<EpochResult> epochs = new ArrayList<>();

    void add(EpochResult result) {
        epochs.add(result);
    }

    /** Every epoch's result, in order. */
    public List<EpochResult> epochs() {
        return Collections.unmodifiableList(epochs);
    }

    public int size() {
        return epochs.size();
    }

    /** The last epoch's result. */
    public EpochResult last() {
        if (epochs.isEmpty()) {
            throw new IllegalStateException("History is empty: no epoch was trained");
        }
        return epochs.get(epochs.size() - 1);
    }

    public double[] loss() {
        return column(EpochResult::loss);
    }

    public double[] trainAccuracy() {
        return column(EpochResult::trainAccuracy);
    }

    public double[] validationLoss() {
        return column(EpochResult::validationLoss);
    }

    public double[] validationAccuracy() {
        return column(EpochResult::validationAccuracy);
    }

    public double[] learningRate() {
        return column(EpochResult::learningRate);
    }

    public double[] epochSeconds() {
        return column(r -> r.millis() / 1000.0);
    }

    private double[] column(ToDoubleFunction<EpochResult> f) {
        return epochs.stream().mapToDouble(f).toArray();
    }
}
