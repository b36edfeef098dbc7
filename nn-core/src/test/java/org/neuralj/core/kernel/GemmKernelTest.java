package org.neuralj.core.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every kernel against the textbook triple loop (in double) on random shapes: sizes 1, odd sizes, sizes that are not a
 * multiple of any block or register tile, sizes past one cache block, all four transposition combinations, with and
 * without accumulation, and on blocks inside larger arrays (offsets and row strides wider than the block).
 */
class GemmKernelTest {

    static Stream<Arguments> kernels() {
        return Stream.of("scalar", "vector", "parallel-scalar", "parallel-vector").map(Arguments::of);
    }

    /** Builds a kernel by name; the vector ones only when the JVM has the incubator module. */
    static GemmKernel kernel(String name) {
        boolean vector = name.endsWith("vector");
        if (vector) {
            Assumptions.assumeTrue(ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent(),
                    "the Vector API kernel needs --add-modules jdk.incubator.vector");
        }
        GemmKernel single = vector ? new VectorGemm() : new ScalarGemm();
        // minFlops 0 and a small alignment make even tiny products split, so the block arithmetic is exercised.
        return name.startsWith("parallel") ? new ParallelGemm(single, 3, 0, 2) : single;
    }

    /** Shapes (m, n, k): the corner cases by hand, then random ones. */
    static List<int[]> shapes() {
        List<int[]> shapes = new ArrayList<>(List.of(
                new int[] {1, 1, 1}, new int[] {1, 7, 3}, new int[] {5, 1, 9}, new int[] {3, 4, 1},
                new int[] {8, 32, 16}, new int[] {9, 33, 17}, new int[] {7, 31, 15}, new int[] {1, 256, 784},
                new int[] {2, 100, 50}, new int[] {3, 10, 64}, new int[] {10, 30, 64}, new int[] {128, 10, 128},
                new int[] {129, 65, 257}, new int[] {130, 1030, 40}, new int[] {17, 40, 520},
                // few rows by whole vectors of columns: the unpacked four-row path and its edges
                new int[] {16, 128, 64}, new int[] {32, 64, 300}, new int[] {13, 48, 20}, new int[] {4, 16, 5},
                new int[] {33, 128, 10}, new int[] {6, 80, 128}, new int[] {64, 128, 16},
                new int[] {65, 32, 8}, new int[] {40, 256, 200},
                // B narrower than a vector (a classifier's last layer): one vector per row of C
                new int[] {16, 10, 128}, new int[] {128, 10, 16}, new int[] {7, 15, 33}, new int[] {2, 3, 40}));
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 25; i++) {
            shapes.add(new int[] {1 + random.nextInt(70), 1 + random.nextInt(90), 1 + random.nextInt(300)});
        }
        return shapes;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kernels")
    void matchesTheTripleLoopOnEveryShapeAndTransposition(String name) {
        GemmKernel kernel = kernel(name);
        SplittableRandom random = new SplittableRandom(42);
        for (int[] s : shapes()) {
            for (int variant = 0; variant < 8; variant++) {
                boolean transA = (variant & 1) != 0, transB = (variant & 2) != 0, accumulate = (variant & 4) != 0;
                checkProduct(kernel, random, s[0], s[1], s[2], transA, transB, accumulate, 0);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kernels")
    void givesBitIdenticalResultsToTheScalarKernel(String name) {
        GemmKernel kernel = kernel(name), scalar = new ScalarGemm();
        SplittableRandom random = new SplittableRandom(9);
        for (int[] s : shapes()) {
            int m = s[0], n = s[1], k = s[2];
            for (int variant = 0; variant < 8; variant++) {
                boolean transA = (variant & 1) != 0, transB = (variant & 2) != 0, accumulate = (variant & 4) != 0;
                float[] a = randomArray(random, m * k), b = randomArray(random, k * n), c = randomArray(random, m * n);
                float[] expected = c.clone();
                scalar.gemm(transA, transB, m, n, k, a, 0, transA ? m : k, b, 0, transB ? k : n, expected, 0, n,
                        accumulate);
                kernel.gemm(transA, transB, m, n, k, a, 0, transA ? m : k, b, 0, transB ? k : n, c, 0, n, accumulate);
                assertThat(Arrays.equals(c, expected)).as("%s bit-identical to scalar at m=%d n=%d k=%d transA=%b "
                        + "transB=%b accumulate=%b", kernel.name(), m, n, k, transA, transB, accumulate).isTrue();
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kernels")
    void computesABlockInsideLargerArraysWithoutTouchingTheRest(String name) {
        GemmKernel kernel = kernel(name);
        SplittableRandom random = new SplittableRandom(3);
        for (int variant = 0; variant < 8; variant++) {
            boolean transA = (variant & 1) != 0, transB = (variant & 2) != 0, accumulate = (variant & 4) != 0;
            checkProduct(kernel, random, 37, 45, 70, transA, transB, accumulate, 5);
            checkProduct(kernel, random, 2, 70, 33, transA, transB, accumulate, 3);
        }
    }

    @Test
    @Timeout(60)
    void parallelKernelCompletesManyBackToBackProducts() {
        // Each product hands a block to the pool and joins it: a lost wake-up would hang here.
        GemmKernel parallel = new ParallelGemm(new ScalarGemm(), 2, 0, 8), scalar = new ScalarGemm();
        SplittableRandom random = new SplittableRandom(5);
        float[] a = randomArray(random, 16 * 8), b = randomArray(random, 8 * 64);
        float[] c = new float[16 * 64], expected = new float[16 * 64];
        scalar.gemm(false, false, 16, 64, 8, a, 0, 8, b, 0, 64, expected, 0, 64, false);
        for (int i = 0; i < 20_000; i++) {
            parallel.gemm(false, false, 16, 64, 8, a, 0, 8, b, 0, 64, c, 0, 64, false);
        }
        assertThat(c).containsExactly(expected);
    }

    @Test
    @Timeout(60)
    void parallelKernelGivesEachOfSeveralConcurrentCallersItsOwnExactProduct() throws InterruptedException {
        // One product at a time gets the helpers; the others run on their callers: all must be exact.
        GemmKernel parallel = new ParallelGemm(new ScalarGemm(), 2, 0, 8), scalar = new ScalarGemm();
        int callers = 4;
        Thread[] threads = new Thread[callers];
        boolean[] exact = new boolean[callers];
        for (int t = 0; t < callers; t++) {
            int id = t;
            threads[t] = new Thread(() -> {
                SplittableRandom random = new SplittableRandom(100 + id);
                float[] a = randomArray(random, 24 * 40), b = randomArray(random, 40 * 48);
                float[] c = new float[24 * 48], expected = new float[24 * 48];
                scalar.gemm(false, false, 24, 48, 40, a, 0, 40, b, 0, 48, expected, 0, 48, false);
                boolean same = true;
                for (int i = 0; i < 2_000; i++) {
                    parallel.gemm(false, false, 24, 48, 40, a, 0, 40, b, 0, 48, c, 0, 48, false);
                    same &= Arrays.equals(c, expected);
                }
                exact[id] = same;
            });
            threads[t].start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        assertThat(exact).containsOnly(true);
    }

    @Test
    @Timeout(60)
    void parallelKernelRethrowsWhatABlockOnAHelperThrew() {
        GemmKernel failing = new GemmKernel() {
            @Override
            public void gemm(boolean transA, boolean transB, int m, int n, int k, float[] a, int aOffset, int lda,
                             float[] b, int bOffset, int ldb, float[] c, int cOffset, int ldc, boolean accumulate) {
                if (cOffset > 0) {
                    throw new IllegalStateException("block at " + cOffset);
                }
            }

            @Override
            public String name() {
                return "failing";
            }
        };
        GemmKernel parallel = new ParallelGemm(failing, 2, 0, 8);
        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> parallel.gemm(false, false, 4, 32, 4, new float[16], 0, 4, new float[128], 0, 32,
                    new float[128], 0, 32, false)).isInstanceOf(IllegalStateException.class)
                    .hasMessage("block at 16");
        }
    }

    /**
     * One random product, with {@code pad} extra columns in every stored row and {@code pad} leading values before
     * every operand; the padding must come out unchanged.
     */
    private static void checkProduct(GemmKernel kernel, SplittableRandom random, int m, int n, int k,
                                     boolean transA, boolean transB, boolean accumulate, int pad) {
        int aRows = transA ? k : m, aCols = transA ? m : k, bRows = transB ? n : k, bCols = transB ? k : n;
        int lda = aCols + pad, ldb = bCols + pad, ldc = n + pad;
        float[] a = randomArray(random, pad + aRows * lda);
        float[] b = randomArray(random, pad + bRows * ldb);
        float[] c = randomArray(random, pad + m * ldc);
        float[] before = c.clone();
        kernel.gemm(transA, transB, m, n, k, a, pad, lda, b, pad, ldb, c, pad, ldc, accumulate);

        // Rounding error of a float dot product grows with its length k; the terms are at most 1 in magnitude.
        double tolerance = 1e-6 * (k + 4);
        String what = String.format("%s %s m=%d n=%d k=%d transA=%b transB=%b accumulate=%b pad=%d",
                kernel.name(), "C", m, n, k, transA, transB, accumulate, pad);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double expected = accumulate ? before[pad + i * ldc + j] : 0;
                for (int p = 0; p < k; p++) {
                    double x = transA ? a[pad + p * lda + i] : a[pad + i * lda + p];
                    double y = transB ? b[pad + j * ldb + p] : b[pad + p * ldb + j];
                    expected += x * y;
                }
                float actual = c[pad + i * ldc + j];
                if (Math.abs(actual - expected) > tolerance) {
                    assertThat((double) actual).as("%s at (%d, %d)", what, i, j).isEqualTo(expected);
                }
            }
        }
        for (int idx = 0; idx < c.length; idx++) {
            boolean inBlock = idx >= pad && (idx - pad) / ldc < m && (idx - pad) % ldc < n;
            if (!inBlock && c[idx] != before[idx]) {
                assertThat(c[idx]).as("%s: value %d outside the block was overwritten", what, idx)
                        .isEqualTo(before[idx]);
            }
        }
    }

    private static float[] randomArray(SplittableRandom random, int length) {
        float[] x = new float[length];
        for (int i = 0; i < length; i++) {
            x[i] = (float) (random.nextDouble() * 2 - 1);
        }
        return x;
    }
}
