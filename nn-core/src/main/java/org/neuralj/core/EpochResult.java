package org.neuralj.core;

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
}
