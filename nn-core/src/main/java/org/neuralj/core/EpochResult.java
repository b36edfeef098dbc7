package org.neuralj.core;

import java.util.Locale;

/**
 * What one epoch of training produced. {@code loss} and {@code trainAccuracy} are averaged over the epoch's
 * batches as they were trained (as Keras reports them); the validation values are NaN / 0 when there was no
 * validation data.
 *
 * @param epoch              1-based epoch number
 * @param learningRate       the optimizer's learning rate at the end of the epoch
 * @param millis             wall-clock duration of the epoch, validation included
 */
public record EpochResult(int epoch, double loss, double trainAccuracy, double validationLoss,
                          double validationAccuracy, int validationCorrect, int validationCount,
                          double learningRate, long millis) {

    public boolean hasValidation() {
        return validationCount > 0;
    }

    /**
     * The epoch in one line, as training reports it:
     * {@code Epoch 3: loss 0.0412, train 98.1%, test 1398 / 1437 (97.3%), 84 ms}.
     */
    public String summary() {
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "Epoch %d: loss %.4f, train %.1f%%",
                epoch, loss, 100 * trainAccuracy));
        if (hasValidation()) {
            line.append(String.format(Locale.ROOT, ", test %d / %d (%.1f%%)", validationCorrect, validationCount,
                    100 * validationAccuracy));
        }
        return line.append(", ").append(millis < 10_000 ? millis + " ms" : String.format(Locale.ROOT, "%.1f s",
                millis / 1000.0)).toString();
    }
}
