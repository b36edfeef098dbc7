package org.neuralj.core.kernel;

/**
 * Whether the values of an array are finite: the check an optimizer runs over the weights after each step and the
 * training loop over its data, so it must cost little next to the work itself. {@code x − x} is 0 for a finite x and
 * NaN for NaN or ±∞, so the sum of {@code x − x} is 0 exactly when all values are finite: no branch, no early exit, no
 * allocation.
 *
 * <p>With the Vector API ({@code --add-modules jdk.incubator.vector}) the sum runs on whole vectors (about 10× faster
 * than the scalar loop, which C2 does not vectorise because a float sum must keep its order); without it, on four
 * independent scalar sums.
 */
public final class Finite {
    private static final boolean VECTOR = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()
            && VectorFinite.loads();
    /** {@link #first} sums blocks of this many values and searches only a block whose sum is not 0. */
    private static final int BLOCK = 4096;

    private Finite() {
    }

    /** True when {@code a[from..to)} holds no NaN and no infinity. */
    public static boolean all(float[] a, int from, int to) {
        return VECTOR ? VectorFinite.all(a, from, to) : scalar(a, from, to);
    }

    /**
     * The index in {@code a} of the first NaN or infinity in {@code a[from..to)}, or -1: a block-wise {@link #all},
     * then a search of the first block that fails, so a clean array (the usual case) costs one vector pass.
     */
    public static int first(float[] a, int from, int to) {
        for (int block = from; block < to; block += BLOCK) {
            int end = Math.min(to, block + BLOCK);
            if (!all(a, block, end)) {
                for (int i = block; i < end; i++) {
                    if (!Float.isFinite(a[i])) {
                        return i;
                    }
                }
            }
        }
        return -1;
    }

    static boolean scalar(float[] a, int from, int to) {
        float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int i = from;
        for (; i + 3 < to; i += 4) {
            s0 += a[i] - a[i];
            s1 += a[i + 1] - a[i + 1];
            s2 += a[i + 2] - a[i + 2];
            s3 += a[i + 3] - a[i + 3];
        }
        for (; i < to; i++) {
            s0 += a[i] - a[i];
        }
        return s0 + s1 + s2 + s3 == 0;
    }
}
