package org.neuralj.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

/** {@link WorkerPool}: every index once per run, on its own thread, failures rethrown in index order. */
class WorkerPoolTest {

    @Test
    void runsEveryIndexOncePerRunWithIndexZeroOnTheCaller() {
        try (WorkerPool pool = new WorkerPool(3, "test-pool")) {
            AtomicIntegerArray counts = new AtomicIntegerArray(3);
            Thread[] threads = new Thread[3];
            for (int run = 0; run < 1000; run++) {
                pool.run(i -> {
                    counts.incrementAndGet(i);
                    threads[i] = Thread.currentThread();
                });
            }
            assertThat(counts.toString()).isEqualTo("[1000, 1000, 1000]");
            assertThat(threads[0]).isSameAs(Thread.currentThread());
            assertThat(threads[1].getName()).isEqualTo("test-pool-1");
            assertThat(threads[2].getName()).isEqualTo("test-pool-2");
            assertThat(threads[1].isDaemon()).isTrue();
        }
    }

    @Test
    void rethrowsTheLowestFailingWorkersExceptionAfterAllFinishedAndStaysUsable() {
        try (WorkerPool pool = new WorkerPool(3, "test-pool")) {
            AtomicIntegerArray done = new AtomicIntegerArray(3);
            assertThatThrownBy(() -> pool.run(i -> {
                if (i > 0) {
                    throw new IllegalStateException("worker " + i);
                }
                done.incrementAndGet(0);
            })).isInstanceOf(IllegalStateException.class).hasMessage("worker 1");
            pool.run(done::incrementAndGet);
            assertThat(done.toString()).isEqualTo("[2, 1, 1]");
        }
    }

    @Test
    void closeEndsTheThreadsAndRefusesFurtherRuns() throws InterruptedException {
        WorkerPool pool = new WorkerPool(2, "closing-pool");
        Thread[] helper = new Thread[1];
        pool.run(i -> {
            if (i == 1) {
                helper[0] = Thread.currentThread();
            }
        });
        Thread.sleep(5); // long enough for the helper to stop spinning and park
        pool.close();
        assertThat(helper[0].isAlive()).isFalse();
        assertThatThrownBy(() -> pool.run(i -> { })).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> new WorkerPool(0, "none")).hasMessage("a worker pool needs at least 1 worker but got 0");
    }
}
