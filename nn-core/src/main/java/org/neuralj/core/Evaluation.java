package org.neuralj.core;

/**
 * The result of {@link Trainer#evaluate}: mean loss (NaN when no loss was given), accuracy and the counts behind
 * it.
 */
public record Evaluation(double loss, double accuracy, int correct, int count) {

    @Override
    public String toString() {
        String text = String.format(java.util.Locale.ROOT, "accuracy %.2f%% (%d / %d)", 100 * accuracy, correct, count);
        return Double.isNaN(loss) ? text : text + String.format(java.util.Locale.ROOT, ", loss %.4f", loss);
    }
}
