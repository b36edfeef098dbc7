package org.neuralj.core.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class WarmingGemmTest {

    /** Counts the products it computes (with the scalar kernel). */
    private static final class Counting implements GemmKernel {
        private final GemmKernel scalar = new ScalarGemm();
        int products;

        @Override
        public void gemm(boolean transA, boolean transB, int m, int n, int k, float[] a, int aOffset, int lda,
                         float[] b, int bOffset, int ldb, float[] c, int cOffset, int ldc, boolean accumulate) {
            products++;
            scalar.gemm(transA, transB, m, n, k, a, aOffset, lda, b, bOffset, ldb, c, cOffset, ldc, accumulate);
        }

        @Override
        public String name() {
            return "target";
        }
    }

    private final Counting standIn = new Counting();
    private final Counting target = new Counting();
    /** The onReady callbacks of the warm-ups started; a test runs one to finish "compiling". */
    private final List<Runnable> warmUps = new ArrayList<>();

    /** A product of {@code 2·n·n·n} floating-point operations. */
    private static void product(GemmKernel kernel, int n) {
        kernel.gemm(false, false, n, n, n, new float[n * n], 0, n, new float[n * n], 0, n, new float[n * n], 0, n,
                false);
    }

    @Test
    void tinyProductsRunOnTheStandInAndNeverStartTheWarmUpBelowTheBudget() {
        WarmingGemm kernel = new WarmingGemm(standIn, target, 2 * 16 * 16 * 16, 1_000_000, warmUps::add);
        for (int i = 0; i < 100; i++) {
            product(kernel, 8); // 1024 flops each: 102,400 in all, under the budget
        }
        assertThat(standIn.products).isEqualTo(100);
        assertThat(target.products).isZero();
        assertThat(warmUps).isEmpty();
        assertThat(kernel.isWarmingUp()).isFalse();
    }

    @Test
    void aLargeProductStartsTheWarmUpOnceAndTheTargetTakesOverWhenReady() {
        WarmingGemm kernel = new WarmingGemm(standIn, target, 2 * 16 * 16 * 16, Long.MAX_VALUE, warmUps::add);
        product(kernel, 16);
        product(kernel, 20);
        assertThat(warmUps).hasSize(1);
        assertThat(kernel.isWarmingUp()).isTrue();
        assertThat(kernel.isReady()).isFalse();
        assertThat(standIn.products).as("products while compiling").isEqualTo(2);

        warmUps.get(0).run();
        product(kernel, 4);
        product(kernel, 16);
        assertThat(kernel.isReady()).isTrue();
        assertThat(target.products).isEqualTo(2);
        assertThat(standIn.products).isEqualTo(2);
        assertThat(warmUps).hasSize(1);
    }

    @Test
    void theStandInsAccumulatedWorkStartsTheWarmUpAtTheBudget() {
        WarmingGemm kernel = new WarmingGemm(standIn, target, Long.MAX_VALUE, 10 * 1024, warmUps::add);
        for (int i = 0; i < 9; i++) {
            product(kernel, 8);
        }
        assertThat(warmUps).isEmpty();
        product(kernel, 8);
        assertThat(warmUps).hasSize(1);
        assertThat(kernel.name()).isEqualTo("target");
    }

    @Test
    void resultsAreTheSameBeforeAndAfterTheSwitch() {
        WarmingGemm kernel = new WarmingGemm(new ScalarGemm(), new ParallelGemm(new ScalarGemm(), 2, 0, 2), 0,
                Long.MAX_VALUE, warmUps::add);
        float[] a = new float[12 * 7], b = new float[7 * 9];
        for (int i = 0; i < a.length; i++) {
            a[i] = (i % 11) * 0.37f - 1.3f;
        }
        for (int i = 0; i < b.length; i++) {
            b[i] = (i % 5) * 0.81f - 1.1f;
        }
        float[] before = new float[12 * 9], after = new float[12 * 9];
        kernel.gemm(false, false, 12, 9, 7, a, 0, 7, b, 0, 9, before, 0, 9, false);
        warmUps.get(0).run();
        kernel.gemm(false, false, 12, 9, 7, a, 0, 7, b, 0, 9, after, 0, 9, false);
        assertThat(after).containsExactly(before);
    }

    @Test
    void rejectsNegativeThresholdsNamingThem() {
        assertThatThrownBy(() -> new WarmingGemm(standIn, target, -1, 0, warmUps::add))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("largeFlops -1");
        assertThatThrownBy(() -> new WarmingGemm(standIn, target, 0, -5, warmUps::add))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("budgetFlops -5");
    }
}
