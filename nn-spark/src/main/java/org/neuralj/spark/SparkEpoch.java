package org.neuralj.spark;

import java.util.Locale;

/**
 * What one epoch of {@link SparkTrainer#fit} did and where its time went.
 *
 * @param epoch          1-based epoch number
 * @param loss           mean training loss over the epoch's batches as they were trained, weighted by batch rows
 * @param trainAccuracy  share of the epoch's rows whose predicted class was their target's, as they were trained
 * @param rounds         Spark rounds: one per global mini-batch when synchronous, one per {@code k} of them with
 *                       parameter averaging
 * @param millis         wall-clock time of the epoch, the per-epoch data arrangement included
 * @param computeMillis  the sum over rounds of the slowest partition's forward and backward time (with parameter
 *                       averaging: its local steps, optimizer included)
 * @param stepMillis     the driver's optimizer steps (with parameter averaging: applying the averages)
 * @param arrangeMillis  arranging each partition's rows in the epoch's order (once per epoch)
 */
public record SparkEpoch(int epoch, double loss, double trainAccuracy, int rounds, long millis, long computeMillis, long stepMillis,
                         long arrangeMillis) {

    /**
     * Everything else: broadcasting the weights, scheduling the tasks, sending and adding the gradients. The cost of
     * distributing, {@code millis − compute − step − arrange}.
     */
    public long communicationMillis() {
        return millis - computeMillis - stepMillis - arrangeMillis;
    }

    /**
     * The epoch in one line, e.g.
     * {@code Epoch 3: loss 0.0412, train 98.1%, 45 rounds, 812 ms (compute 301, step 12, ...)}.
     */
    public String summary() {
        return String.format(Locale.ROOT, "Epoch %d: loss %.4f, train %.1f%%, %d rounds, %d ms (compute %d, step %d,"
                + " arrange %d, communication %d)", epoch, loss, 100 * trainAccuracy, rounds, millis, computeMillis,
                stepMillis, arrangeMillis, communicationMillis());
    }
}
