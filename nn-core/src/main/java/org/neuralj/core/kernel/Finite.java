package org.neuralj.core.kernel;

/**
 * Whether every value of an array is finite: the check an optimizer runs over the weights after each step, so it
 * must cost little next to the step itself. {@code x − x} is 0 for a finite x and NaN for NaN or ±∞, so the sum of
 * {@code x − x} is 0 exactly when all values are finite: no branch, no early exit, no allocation.
 *
 * <p>With the Vector API ({@code --add-modules jdk.incubator.vector}) the sum runs on whole vectors (about 10× faster
 * than the scalar loop, which C2 does not vectorise because a float sum must keep its order); without it, on four
 * independent scalar sums.
 */
public final class Finite {
    private static final boolean VECTOR = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()
            && VectorFinite.loads();

    private Finite() {
    }

    /** True when {@code a[0..n)} holds no NaN and no infinity. */
    public static boolean all(float[] a, int n) {
        return VECTOR ? VectorFinite.all(a, n) : scalar(a, n);
    }

    static boolean scalar(float[] a, int n) {
        float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int i = 0;
        for (; i + 3 < n; i += 4) {
            s0 += a[i] - a[i];
            s1 += a[i + 1] - a[i + 1];
            s2 += a[i + 2] - a[i + 2];
            s3 += a[i + 3] - a[i + 3];
        }
        for (; i < n; i++) {
            s0 += a[i] - a[i];
        }
        return s0 + s1 + s2 + s3 == 0;
    }
}
