package org.neuralj.core.metrics;

import org.neuralj.core.Tensor;

/**
 * Scores of predictions against true labels or targets, for {@code [N, classes]} probability (or score) rows.
 */
public final class Metrics {

    private Metrics() {
    }

    /** Share of rows whose argmax is the true label. */
    public static double accuracy(Tensor scores, int[] labels) {
        return topKAccuracy(scores, labels, 1);
    }

    /** Share of rows whose true label is among the {@code k} highest scores (ties counted against the label). */
    public static double topKAccuracy(Tensor scores, int[] labels, int k) {
        check(scores, labels);
        if (k <= 0 || k > scores.cols()) {
            throw new IllegalArgumentException("k must be in 1.." + scores.cols() + " but was " + k);
        }
        int n = scores.rows(), c = scores.cols(), hits = 0;
        float[] s = scores.data();
        for (int i = 0; i < n; i++) {
            float truth = s[i * c + labels[i]];
            int higher = 0;
            for (int j = 0; j < c; j++) {
                if (j != labels[i] && s[i * c + j] >= truth) {
                    higher++;
                }
            }
            hits += higher < k ? 1 : 0;
        }
        return (double) hits / n;
    }

    /** Mean negative log-likelihood of the true labels, {@code −(1/N) Σ log p_{i, y_i}}, with p clamped to 1e-15. */
    public static double logLoss(Tensor probabilities, int[] labels) {
        check(probabilities, labels);
        int n = probabilities.rows(), c = probabilities.cols();
        double s = 0;
        for (int i = 0; i < n; i++) {
            s -= Math.log(Math.max(probabilities.data()[i * c + labels[i]], 1e-15));
        }
        return s / n;
    }

    /** Mean of the squared differences over all values. */
    public static double meanSquaredError(Tensor predicted, Tensor target) {
        predicted.requireSameShape("meanSquaredError", target);
        double s = 0;
        for (int i = 0; i < predicted.size(); i++) {
            double d = predicted.data()[i] - target.data()[i];
            s += d * d;
        }
        return s / predicted.size();
    }

    private static void check(Tensor scores, int[] labels) {
        if (scores.rows() != labels.length) {
            throw new IllegalArgumentException("scores have " + scores.rows() + " rows but there are " + labels.length
                    + " labels");
        }
        if (labels.length == 0) {
            throw new IllegalArgumentException("no samples to score");
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= scores.cols()) {
                throw new IllegalArgumentException("label " + labels[i] + " of row " + i + " is outside 0.."
                        + (scores.cols() - 1));
            }
        }
    }
}
