package org.neuralj.spark;

import java.util.Locale;

/**
 * What one epoch of {@link SparkTrainer#fit} did and where its time went.
 *
 * @param epoch          1-based epoch number
 * @param loss           mean training loss over the epoch's batches as they were trained, weighted by batch rows
 * @param trainAccuracy  share of the epoch's rows whose predicted class was their target's, as they were trained
 * @param validationLoss     mean loss on the options' validation data after the epoch, NaN without it
 * @param validationAccuracy share of the validation rows classified right after the epoch, NaN without it
 * @param rounds         Spark rounds: one per global mini-batch when synchronous, one per {@code k} of them with
 *                       parameter averaging
 * @param millis         wall-clock time of the epoch, the per-epoch data arrangement included
 * @param computeMillis  the sum over rounds of the slowest partition's forward and backward time (with parameter
 *                       averaging: its local steps, optimizer included)
 * @param stepMillis     the driver's optimizer steps (with parameter averaging: applying the averages)
 * @param arrangeMillis  arranging each partition's rows in the epoch's order (once per epoch)
 * @param validateMillis evaluating the validation data on the driver (0 without it)
 */
public record SparkEpoch(int epoch, double loss, double trainAccuracy, double validationLoss,
                         double validationAccuracy, int rounds, long millis, long computeMillis, long stepMillis,
                         long arrangeMillis, long validateMillis) {

    /**
     * Everything else: broadcasting the weights, scheduling the tasks, sending and adding the gradients. The cost of
     * distributing, {@code millis − compute − step − arrange − validate}.
     */
    public long communicationMillis() {
        return millis - computeMillis - stepMillis - arrangeMillis - validateMillis;
    }

    /**
     * The epoch in one line, e.g.
     * {@code Epoch 3: loss 0.0412, train 98.1%, val loss 0.0733, val 97.2%, 45 rounds, 812 ms (compute 301, ...)}.
     */
    public String summary() {
        String validation = Double.isNaN(validationLoss) ? "" : String.format(Locale.ROOT,
                ", val loss %.4f, val %.1f%%", validationLoss, 100 * validationAccuracy);
        return String.format(Locale.ROOT, "Epoch %d: loss %.4f, train %.1f%%%s, %d rounds, %d ms (compute %d, step"
                + " %d, arrange %d, %scommunication %d)", epoch, loss, 100 * trainAccuracy, validation, rounds, millis,
                computeMillis, stepMillis, arrangeMillis, Double.isNaN(validationLoss) ? ""
                : "validate " + validateMillis + ", ", communicationMillis());
    }
}
