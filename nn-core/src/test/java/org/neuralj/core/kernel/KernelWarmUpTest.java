package org.neuralj.core.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class KernelWarmUpTest {

    @Test
    void runsTheKernelInADaemonThreadAndThenReportsReady() throws InterruptedException {
        AtomicInteger products = new AtomicInteger();
        GemmKernel counting = new GemmKernel() {
            private final GemmKernel scalar = new ScalarGemm();

            @Override
            public void gemm(boolean transA, boolean transB, int m, int n, int k, float[] a, int aOffset, int lda,
                             float[] b, int bOffset, int ldb, float[] c, int cOffset, int ldc, boolean accumulate) {
                products.incrementAndGet();
                scalar.gemm(transA, transB, m, n, k, a, aOffset, lda, b, bOffset, ldb, c, cOffset, ldc, accumulate);
            }

            @Override
            public String name() {
                return "counting";
            }
        };
        CountDownLatch ready = new CountDownLatch(1);
        Thread[] caller = new Thread[1];
        KernelWarmUp.inBackground(counting, () -> {
            caller[0] = Thread.currentThread();
            ready.countDown();
        });
        assertThat(ready.await(30, TimeUnit.SECONDS)).as("warm-up finished").isTrue();
        // At least the 50 fast rounds of 8 products each (all four transpositions, tile edges and a single row).
        assertThat(products.get()).isGreaterThanOrEqualTo(50 * 8);
        assertThat(caller[0].isDaemon()).isTrue();
        assertThat(caller[0].getName()).isEqualTo("neuralj-gemm-warm-up");
    }
}
