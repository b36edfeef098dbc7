package org.neuralj.core;

import java.util.Arrays;
import java.util.List;

/**
 * What a model does to a raw input before its first layer, and the names of its classes: the preprocessing a network
 * was trained with, kept with it so that a deployed model is fed what it was trained on ({@link Predictor}; nn-io's
 * {@code ModelFile.save(Predictor, Path)} stores it in the model file). Per feature {@code j}:
 *
 * <pre>
 * x'_j = (x_j · (1 / divisor) − mean_j) / std_j        the standardisation only when mean and std are given
 * </pre>
 *
 * These are the float operations of nn-datasets' {@code Scaling.divide} and {@code Scaling.Standardizer}, which apply
 * this class, so a raw input becomes bit for bit what training saw. {@link #NONE} changes nothing and names no class.
 *
 * @param divisor    every input is multiplied by {@code 1 / divisor} first: finite and non-zero, 1 for none
 * @param mean       the standardiser's per-feature means, or empty for none
 * @param std        the standardiser's per-feature standard deviations (positive), as long as {@code mean}
 * @param classNames the name of each class, by index, or empty for none
 */
public record Preprocessing(float divisor, float[] mean, float[] std, List<String> classNames) {
    /** No scaling, no class names. */
    public static final Preprocessing NONE = new Preprocessing(1f, new float[0], new float[0], List.of());

    public Preprocessing {
        if (!(divisor != 0) || !Float.isFinite(divisor)) {
            throw new IllegalArgumentException("divisor must be finite and non-zero but was " + divisor);
        }
        if (mean == null || std == null || mean.length != std.length) {
            throw new IllegalArgumentException("a standardiser needs as many means as standard deviations but got "
                    + (mean == null ? null : mean.length) + " and " + (std == null ? null : std.length));
        }
        for (int j = 0; j < mean.length; j++) {
            if (!Float.isFinite(mean[j]) || !(std[j] > 0) || !Float.isFinite(std[j])) {
                throw new IllegalArgumentException("feature " + j + ": mean " + mean[j] + " and std " + std[j]
                        + " must be finite, std positive");
            }
        }
        if (classNames == null || classNames.stream().anyMatch(n -> n == null || n.isBlank())) {
            throw new IllegalArgumentException("class names must not be blank but were " + classNames);
        }
        mean = mean.clone();
        std = std.clone();
        classNames = List.copyOf(classNames);
    }

    /** Division of every input by {@code divisor}, e.g. 255 for 8-bit pixels. */
    public static Preprocessing divide(float divisor) {
        return new Preprocessing(divisor, new float[0], new float[0], List.of());
    }

    /** This preprocessing followed by {@code (x − mean_j) / std_j}, a standardiser fitted after the division. */
    public Preprocessing standardize(float[] mean, float[] std) {
        return new Preprocessing(divisor, mean, std, classNames);
    }

    /** This preprocessing with the classes named {@code names}, by index. */
    public Preprocessing withClassNames(List<String> names) {
        return new Preprocessing(divisor, mean, std, names);
    }

    /** Whether a standardiser is part of it. */
    public boolean standardizes() {
        return mean.length > 0;
    }

    /**
     * A new tensor: {@code raw} ({@code [rows, features]}) preprocessed as the class comment says.
     *
     * @throws IllegalArgumentException when the standardiser was fitted on another number of features
     */
    public Tensor apply(Tensor raw) {
        int d = mean.length;
        if (d > 0 && raw.cols() != d) {
            throw new IllegalArgumentException("the standardiser was fitted on " + d + " features but the data has "
                    + raw.cols());
        }
        Tensor x = raw.scale(1f / divisor);
        float[] v = x.data();
        for (int i = 0; d > 0 && i < x.size(); i++) {
            int j = i % d;
            v[i] = (v[i] - mean[j]) / std[j];
        }
        return x;
    }

    /** The name of class {@code k}: its class name, or the number when there are none. */
    public String className(int k) {
        if (classNames.isEmpty()) {
            return Integer.toString(k);
        }
        if (k < 0 || k >= classNames.size()) {
            throw new IllegalArgumentException("class " + k + " is not one of the " + classNames.size()
                    + " named classes " + classNames);
        }
        return classNames.get(k);
    }

    @Override
    public float[] mean() {
        return mean.clone();
    }

    @Override
    public float[] std() {
        return std.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Preprocessing p && Float.compare(divisor, p.divisor) == 0 && Arrays.equals(mean, p.mean)
                && Arrays.equals(std, p.std) && classNames.equals(p.classNames);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * (31 * Float.hashCode(divisor) + Arrays.hashCode(mean)) + Arrays.hashCode(std))
                + classNames.hashCode();
    }

    @Override
    public String toString() {
        return "Preprocessing(divide by " + divisor + (standardizes() ? ", standardize " + mean.length + " features"
                : "") + (classNames.isEmpty() ? "" : ", classes " + classNames) + ")";
    }
}
