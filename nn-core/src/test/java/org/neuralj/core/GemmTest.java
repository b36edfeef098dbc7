package org.neuralj.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Test;

/**
 * Every matrix-product kernel against the textbook triple loop in double, on shapes that hit every edge: 1, odd
 * sizes, sizes that are not multiples of the register tile (6 × 32) or the cache block (256), both transposes and
 * accumulation, and products large enough to be split between threads.
 */
class GemmTest {
    private static final int[] SIZES = {1, 2, 5, 6, 7, 13, 31, 32, 33, 64, 100};

    private interface Kernel {
        void gemm(boolean ta, boolean tb, int m, int n, int k, float[] a, int lda, float[] b, int ldb, float[] c,
                  int ldc, boolean acc);
    }

    private static void checkAgainstReference(Kernel kernel, String name) {
        Rng rng = new Rng(17);
        int cases = 0;
        for (int trial = 0; trial < 120; trial++) {
            int m = SIZES[rng.nextInt(SIZES.length)], n = SIZES[rng.nextInt(SIZES.length)];
            int k = SIZES[rng.nextInt(SIZES.length)];
            boolean ta = rng.nextInt(2) == 1, tb = rng.nextInt(2) == 1, acc = rng.nextInt(2) == 1;
            check(kernel, name, rng, m, n, k, ta, tb, acc);
            cases++;
        }
        // more than one cache block of k; large enough for the two-thread split, by columns and by rows
        check(kernel, name, rng, 7, 33, 257, true, true, true);
        check(kernel, name, rng, 150, 300, 200, false, false, false);
        check(kernel, name, rng, 300, 40, 300, true, false, true);
        check(kernel, name, rng, 128, 784, 256, false, true, false);
        assertThat(cases).isEqualTo(120);
    }

    private static void check(Kernel kernel, String name, Rng rng, int m, int n, int k, boolean ta, boolean tb,
                              boolean acc) {
        float[] a = Tensor.randn(rng, m * k).data(), b = Tensor.randn(rng, k * n).data();
        float[] c = Tensor.randn(rng, m * n).data();
        int lda = ta ? m : k, ldb = tb ? k : n;
        double[] expected = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = acc ? c[i * n + j] : 0;
                for (int p = 0; p < k; p++) {
                    s += (double) (ta ? a[p * lda + i] : a[i * lda + p]) * (tb ? b[j * ldb + p] : b[p * ldb + j]);
                }
                expected[i * n + j] = s;
            }
        }
        kernel.gemm(ta, tb, m, n, k, a, lda, b, ldb, c, n, acc);
        double tolerance = 1e-5 * (k + 1) * 4; // float32 sums of k products of N(0,1) values
        for (int i = 0; i < m * n; i++) {
            assertThat((double) c[i]).as("%s m=%d n=%d k=%d ta=%b tb=%b acc=%b at %d", name, m, n, k, ta, tb, acc, i)
                    .isCloseTo(expected[i], org.assertj.core.api.Assertions.within(tolerance));
        }
    }

    @Test
    void scalarKernelMatchesTheDefinition() {
        checkAgainstReference(ScalarGemm::gemm, "scalar");
    }

    @Test
    void vectorKernelMatchesTheDefinition() {
        boolean present = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
        assumeTrue(present, "run without --add-modules jdk.incubator.vector: the vector kernel is not loadable");
        assertThat(Gemm.kernel()).isEqualTo(System.getProperty("neuralj.gemm", "vector"));
        checkAgainstReference(VectorGemm::gemm, "vector");
    }

    @Test
    void theEntryPointUsesTheScalarKernelWithoutTheVectorModule() {
        boolean present = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
        if (!present) {
            assertThat(Gemm.kernel()).isEqualTo("scalar");
        }
        checkAgainstReference(Gemm::gemm, Gemm.kernel());
    }
}
