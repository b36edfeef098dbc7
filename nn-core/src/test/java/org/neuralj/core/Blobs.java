package org.neuralj.core;

/**
 * A test fixture shared through the test jar: {@code n} samples of 3 classes in 4 features, class {@code c}'s
 * Gaussian blob (standard deviation {@code spread}) shifted by 2 along feature {@code c}, labels cycling 0, 1, 2;
 * separable enough that a few epochs learn it, noisy enough that the gradients are not trivial.
 */
public final class Blobs {
    private Blobs() {
    }

    /** The {@code n} samples drawn from {@code new Rng(seed)}, spread 1. */
    public static Dataset of(int n, long seed) {
        return of(n, seed, 1);
    }

    /** The {@code n} samples drawn from {@code new Rng(seed)}, each feature's noise of standard deviation {@code spread}. */
    public static Dataset of(int n, long seed, double spread) {
        Rng rng = new Rng(seed);
        Tensor x = Tensor.zeros(n, 4);
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 3;
            for (int j = 0; j < 4; j++) {
                x.set(i, j, (float) (rng.nextGaussian() * spread + (j == labels[i] ? 2 : 0)));
            }
        }
        return Dataset.ofLabels(x, labels, 3);
    }
}
