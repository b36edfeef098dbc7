package org.neuralj.datasets;

import org.neuralj.core.Dataset;
import org.neuralj.core.Rng;
import org.neuralj.core.Tensor;

/**
 * Small 2-D classification problems for seeing what a network learns: two moons, circles, XOR, spirals and Gaussian
 * blobs. Each
 * returns features {@code [n, 2]} and one-hot targets; noise is Gaussian with the given standard deviation.
 */
public final class ToyData {

    private ToyData() {
    }

    /**
     * scikit-learn's {@code make_moons}: two interleaving half circles. Class 0 is the upper moon
     * {@code (cos t, sin t)}, class 1 the lower {@code (1 − cos t, ½ − sin t)}, t evenly spaced in [0, π];
     * {@code n/2} points go to class 0 and the rest to class 1. Rows come class by class (scikit-learn shuffles
     * by default); {@link Split} shuffles when it splits.
     */
    public static Dataset moons(int n, double noise, Rng rng) {
        check(n, noise);
        int outer = n / 2, inner = n - outer;
        Tensor x = Tensor.zeros(n, 2);
        int[] y = new int[n];
        for (int i = 0; i < outer; i++) {
            double t = outer == 1 ? 0 : Math.PI * i / (outer - 1);
            put(x, i, Math.cos(t), Math.sin(t), noise, rng);
        }
        for (int i = 0; i < inner; i++) {
            double t = inner == 1 ? 0 : Math.PI * i / (inner - 1);
            put(x, outer + i, 1 - Math.cos(t), 0.5 - Math.sin(t), noise, rng);
            y[outer + i] = 1;
        }
        return Dataset.ofLabels(x, y, 2);
    }

    /**
     * scikit-learn's {@code make_circles}: class 0 on the unit circle, class 1 on a circle of radius {@code factor}
     * (0 &lt; factor &lt; 1) inside it.
     */
    public static Dataset circles(int n, double noise, double factor, Rng rng) {
        check(n, noise);
        if (!(factor > 0 && factor < 1)) {
            throw new IllegalArgumentException("factor must be in (0, 1) but was " + factor);
        }
        int outer = n / 2, inner = n - outer;
        Tensor x = Tensor.zeros(n, 2);
        int[] y = new int[n];
        for (int i = 0; i < outer; i++) {
            double t = 2 * Math.PI * i / outer;
            put(x, i, Math.cos(t), Math.sin(t), noise, rng);
        }
        for (int i = 0; i < inner; i++) {
            double t = 2 * Math.PI * i / inner;
            put(x, outer + i, factor * Math.cos(t), factor * Math.sin(t), noise, rng);
            y[outer + i] = 1;
        }
        return Dataset.ofLabels(x, y, 2);
    }

    /** XOR: points uniform in [−1, 1]², class 1 where the coordinates have opposite signs (before noise). */
    public static Dataset xor(int n, double noise, Rng rng) {
        check(n, noise);
        Tensor x = Tensor.zeros(n, 2);
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            double a = 2 * rng.nextDouble() - 1, b = 2 * rng.nextDouble() - 1;
            y[i] = (a > 0) != (b > 0) ? 1 : 0;
            put(x, i, a, b, noise, rng);
        }
        return Dataset.ofLabels(x, y, 2);
    }

    /** {@code classes} interleaved spiral arms (as in CS231n), {@code n / classes} points each. */
    public static Dataset spiral(int n, int classes, double noise, Rng rng) {
        check(n, noise);
        if (classes < 2 || classes > n) {
            throw new IllegalArgumentException("classes must be in 2.." + n + " but was " + classes);
        }
        Tensor x = Tensor.zeros(n, 2);
        int[] y = new int[n];
        int per = n / classes;
        for (int i = 0; i < n; i++) {
            int k = Math.min(i / Math.max(per, 1), classes - 1);
            int j = i - k * per;
            double r = per <= 1 ? 1 : (double) j / (per - 1);
            double t = k * 2 * Math.PI / classes + 4 * r * Math.PI / 2;
            y[i] = k;
            put(x, i, r * Math.sin(t), r * Math.cos(t), noise, rng);
        }
        return Dataset.ofLabels(x, y, classes);
    }

    /**
     * Gaussian blobs (scikit-learn's {@code make_blobs}, with fixed centres): {@code classes} clusters whose centres lie
     * evenly on the unit circle, class {@code k} at angle {@code π/4 + 2πk/classes}, each point its centre plus
     * Gaussian noise of standard deviation {@code std}. Rows come class by class, {@code n / classes} per class (the
     * first {@code n % classes} classes get one more).
     */
    public static Dataset blobs(int n, int classes, double std, Rng rng) {
        check(n, std);
        if (classes < 2 || classes > n) {
            throw new IllegalArgumentException("classes must be in 2.." + n + " but was " + classes);
        }
        Tensor x = Tensor.zeros(n, 2);
        int[] y = new int[n];
        int row = 0;
        for (int k = 0; k < classes; k++) {
            int count = n / classes + (k < n % classes ? 1 : 0);
            double angle = Math.PI / 4 + 2 * Math.PI * k / classes;
            for (int i = 0; i < count; i++, row++) {
                y[row] = k;
                put(x, row, Math.cos(angle), Math.sin(angle), std, rng);
            }
        }
        return Dataset.ofLabels(x, y, classes);
    }

    private static void put(Tensor x, int row, double a, double b, double noise, Rng rng) {
        x.set(row, 0, (float) (a + noise * rng.nextGaussian()));
        x.set(row, 1, (float) (b + noise * rng.nextGaussian()));
    }

    private static void check(int n, double noise) {
        if (n <= 0) {
            throw new IllegalArgumentException("n must be positive but was " + n);
        }
        if (!(noise >= 0) || Double.isInfinite(noise)) {
            throw new IllegalArgumentException("noise must be a finite standard deviation >= 0 but was " + noise);
        }
    }
}
