package org.neuralj.core;

/**
 * The class a row stands for, the one rule used wherever outputs or targets become class labels (predictions,
 * accuracy, a data set's labels): the index of the largest value (the first on ties), or, for a single column (a
 * sigmoid output or a 0/1 target), 1 when the value is at least 0.5 and 0 otherwise.
 */
public final class Classes {
    private Classes() {
    }

    /** The class of row {@code row} of {@code t} ({@code [rows, cols]}). */
    public static int ofRow(Tensor t, int row) {
        int cols = t.cols();
        float[] d = t.data();
        int base = row * cols;
        if (cols == 1) {
            return d[base] >= 0.5f ? 1 : 0;
        }
        int best = 0;
        for (int j = 1; j < cols; j++) {
            if (d[base + j] > d[base + best]) {
                best = j;
            }
        }
        return best;
    }

    /** The class of every row of {@code t}. */
    public static int[] of(Tensor t) {
        int[] c = new int[t.rows()];
        for (int i = 0; i < c.length; i++) {
            c[i] = ofRow(t, i);
        }
        return c;
    }

    /** How many rows of {@code predicted} have the class of the same row of {@code target}. */
    public static int countEqual(Tensor predicted, Tensor target) {
        int correct = 0;
        for (int i = 0, rows = predicted.rows(); i < rows; i++) {
            correct += ofRow(predicted, i) == ofRow(target, i) ? 1 : 0;
        }
        return correct;
    }
}
