package org.neuralj.core;

import java.util.Arrays;

/**
 * A supervised data set held in memory: features {@code [N, ...]} and targets {@code [N, outputs]}, row {@code i}
 * of one belonging to row {@code i} of the other. Classification targets are one-hot rows (see {@link #ofLabels}),
 * or a single 0/1 column for a binary problem with one sigmoid output.
 */
public record Dataset(Tensor features, Tensor targets) {

    public Dataset {
        if (features == null || targets == null) {
            throw new IllegalArgumentException("Dataset needs features and targets, got features=" + features
                    + ", targets=" + targets);
        }
        if (features.rows() != targets.rows()) {
            throw new IllegalArgumentException("Dataset: features have " + features.rows() + " rows "
                    + Arrays.toString(features.shape()) + " but targets have " + targets.rows() + " rows "
                    + Arrays.toString(targets.shape()));
        }
    }

    /** Features and one-hot targets from class labels in {@code 0..classes-1}. */
    public static Dataset ofLabels(Tensor features, int[] labels, int classes) {
        return new Dataset(features, oneHot(labels, classes));
    }

    /**
     * One-hot rows: row {@code i} is 1 in column {@code labels[i]} and 0 elsewhere.
     *
     * @throws IllegalArgumentException naming the row and label when a label is outside {@code 0..classes-1}
     */
    public static Tensor oneHot(int[] labels, int classes) {
        java.util.Objects.requireNonNull(labels, "labels must not be null");
        if (classes <= 0) {
            throw new IllegalArgumentException("classes must be positive but was " + classes);
        }
        Tensor t = Tensor.zeros(labels.length, classes);
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= classes) {
                throw new IllegalArgumentException("label at row " + i + " is " + labels[i] + " but must be in 0.."
                        + (classes - 1));
            }
            t.set(i, labels[i], 1f);
        }
        return t;
    }

    /** Number of samples. */
    public int size() {
        return features.rows();
    }

    /**
     * The class of each row's target ({@link Classes}: the argmax of a one-hot row, or {@code target >= 0.5} for a
     * single binary column).
     */
    public int[] labels() {
        return Classes.of(targets);
    }

    /** The rows at {@code indices}, copied, in that order. */
    public Dataset subset(int[] indices) {
        return new Dataset(gather(features, indices), gather(targets, indices));
    }

    /** Rows {@code from} (inclusive) to {@code to}, copied. */
    public Dataset slice(int from, int to) {
        return new Dataset(features.sliceRows(from, to), targets.sliceRows(from, to));
    }

    private static Tensor gather(Tensor t, int[] indices) {
        int[] shape = t.shape();
        shape[0] = indices.length;
        Tensor out = Tensor.zeros(shape);
        for (int i : indices) {
            if (i < 0 || i >= t.rows()) {
                throw new IllegalArgumentException("row index " + i + " is outside 0.." + (t.rows() - 1));
            }
        }
        t.gatherRows(indices, 0, indices.length, out.reshape(indices.length, t.cols()));
        return out;
    }
}
