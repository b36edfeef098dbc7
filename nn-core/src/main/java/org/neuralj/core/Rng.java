package org.neuralj.core;

/**
 * The framework's seeded random-number generator (xoshiro256**, seeded through SplitMix64).
 *
 * <p>All randomness — weight initialisation, shuffling, dropout masks — flows from one {@code Rng}, so the same
 * seed gives bit-identical results. Its complete state is exposed by {@link #state()} and {@link #restore(long[])}
 * so that checkpoints can resume a run exactly.
 */
public final class Rng {
    private long s0, s1, s2, s3;
    private boolean hasSpareGaussian;
    private double spareGaussian;

    public Rng(long seed) {
        long x = seed;
        s0 = splitMix(x += 0x9E3779B97F4A7C15L);
        s1 = splitMix(x += 0x9E3779B97F4A7C15L);
        s2 = splitMix(x += 0x9E3779B97F4A7C15L);
        s3 = splitMix(x + 0x9E3779B97F4A7C15L);
    }

    private static long splitMix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** A uniformly distributed 64-bit value. */
    public long nextLong() {
        long result = Long.rotateLeft(s1 * 5, 7) * 9;
        long t = s1 << 17;
        s2 ^= s0;
        s3 ^= s1;
        s1 ^= s2;
        s0 ^= s3;
        s2 ^= t;
        s3 = Long.rotateLeft(s3, 45);
        return result;
    }

    /** Uniform in [0, 1) with 53 random bits. */
    public double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /** Uniform in [0, 1) with 24 random bits. */
    public float nextFloat() {
        return (nextLong() >>> 40) * 0x1.0p-24f;
    }

    /** Uniform in [0, bound), without modulo bias (rejection as in {@code java.util.Random}). */
    public int nextInt(int bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound must be positive but was " + bound);
        }
        int r = (int) (nextLong() >>> 33);
        int m = bound - 1;
        if ((bound & m) == 0) {
            return (int) ((bound * (long) r) >> 31);
        }
        for (int u = r; u - (r = u % bound) + m < 0; u = (int) (nextLong() >>> 33)) {
            // reject the top, incomplete range of u
        }
        return r;
    }

    /** Standard normal N(0, 1), by Marsaglia's polar method. */
    public double nextGaussian() {
        if (hasSpareGaussian) {
            hasSpareGaussian = false;
            return spareGaussian;
        }
        double u, v, s;
        do {
            u = 2 * nextDouble() - 1;
            v = 2 * nextDouble() - 1;
            s = u * u + v * v;
        } while (s >= 1 || s == 0);
        double f = Math.sqrt(-2 * Math.log(s) / s);
        spareGaussian = v * f;
        hasSpareGaussian = true;
        return u * f;
    }

    /** Shuffles {@code a} in place (Fisher–Yates). */
    public void shuffle(int[] a) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    /** The identity permutation {@code 0, 1, …, n − 1}: samples in their stored order. */
    public static int[] identity(int n) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        return order;
    }

    /** A uniformly random permutation of {@code 0 … n − 1}: {@link #identity} shuffled with this generator. */
    public int[] permutation(int n) {
        int[] order = identity(n);
        shuffle(order);
        return order;
    }

    /** A new generator seeded from this one: an independent stream for a sub-task. */
    public Rng split() {
        return new Rng(nextLong());
    }

    /** The complete state: four xoshiro words, the spare-Gaussian flag and the spare's bits. */
    public long[] state() {
        return new long[] {s0, s1, s2, s3, hasSpareGaussian ? 1 : 0, Double.doubleToRawLongBits(spareGaussian)};
    }

    /** Restores a state from {@link #state()}. */
    public void restore(long[] state) {
        if (state == null || state.length != 6) {
            throw new IllegalArgumentException("Rng state must have 6 words but had "
                    + (state == null ? "null" : String.valueOf(state.length)));
        }
        if ((state[0] | state[1] | state[2] | state[3]) == 0) {
            throw new IllegalArgumentException("Rng state words must not all be zero");
        }
        s0 = state[0];
        s1 = state[1];
        s2 = state[2];
        s3 = state[3];
        hasSpareGaussian = state[4] != 0;
        spareGaussian = Double.longBitsToDouble(state[5]);
    }
}
