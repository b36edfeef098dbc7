package org.neuralj.core;

/**
 * The result of {@link Sequential#evaluate}: mean loss (NaN when no loss was given), accuracy and the counts behind
 * it.
 */
public record Evaluation(double loss, double accuracy, int correct, int count) {

    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT, "accuracy %.2f%% (%d / %d), loss %.4f", 100 * accuracy, correct,
                count, loss);
    }
}
