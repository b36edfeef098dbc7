package org.neuralj.core;

/**
 * A metric of an epoch that a listener watches ({@link EarlyStopping}, a checkpoint that keeps the best epoch), and
 * the one rule for "has it improved?": losses must fall, accuracies rise, by more than a given margin.
 */
public enum Monitor {
    LOSS("loss", false), ACCURACY("accuracy", true), VAL_LOSS("val_loss", false), VAL_ACCURACY("val_accuracy", true);

    private final String key;
    private final boolean higherIsBetter;

    Monitor(String key, boolean higherIsBetter) {
        this.key = key;
        this.higherIsBetter = higherIsBetter;
    }

    /** The Keras name, e.g. {@code "val_loss"}. */
    public String key() {
        return key;
    }

    /** The metric's value in {@code r} (NaN for a validation metric of an epoch without validation data). */
    public double of(EpochResult r) {
        return switch (this) {
            case LOSS -> r.loss();
            case ACCURACY -> r.trainAccuracy();
            case VAL_LOSS -> r.validationLoss();
            case VAL_ACCURACY -> r.validationAccuracy();
        };
    }

    /** Whether the metric needs validation data. */
    public boolean needsValidation() {
        return this == VAL_LOSS || this == VAL_ACCURACY;
    }

    /**
     * Whether {@code value} beats {@code best} by more than {@code minDelta}: {@code value < best − minDelta} for a
     * loss, {@code value > best + minDelta} for an accuracy. Anything beats a NaN best (nothing seen yet); a NaN
     * value beats nothing.
     */
    public boolean improves(double value, double best, double minDelta) {
        if (Double.isNaN(best)) {
            return !Double.isNaN(value);
        }
        return higherIsBetter ? value > best + minDelta : value < best - minDelta;
    }

    /**
     * The monitor named {@code key} ({@code "loss"}, {@code "val_loss"}, {@code "accuracy"}, {@code "val_accuracy"}).
     *
     * @throws IllegalArgumentException naming the key and the choices
     */
    public static Monitor parse(String key) {
        for (Monitor m : values()) {
            if (m.key.equals(key)) {
                return m;
            }
        }
        throw new IllegalArgumentException("monitor must be one of loss, val_loss, accuracy, val_accuracy but was "
                + key);
    }

    @Override
    public String toString() {
        return key;
    }
}
