package org.neuralj.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

/** {@link WorkerPool}: every index once per run, spread over the threads, failures rethrown in index order. */
class WorkerPoolTest {

    @Test
    void runsEveryIndexOncePerRunOnTheCallerAndTheHelpers() {
        try (WorkerPool pool = new WorkerPool(3, "test-pool", WorkerPool.SHORT_SPIN_NANOS)) {
            AtomicIntegerArray counts = new AtomicIntegerArray(3);
            java.util.Set<Thread> threads = java.util.concurrent.ConcurrentHashMap.newKeySet();
            for (int run = 0; run < 1000; run++) {
                pool.run(i -> {
                    counts.incrementAndGet(i);
                    threads.add(Thread.currentThread());
                });
            }
            assertThat(counts.toString()).isEqualTo("[1000, 1000, 1000]");
            assertThat(threads).contains(Thread.currentThread());
            assertThat(threads).allMatch(t -> t == Thread.currentThread()
                    || t.isDaemon() && t.getName().matches("test-pool-[12]"));
            assertThat(pool.size()).isEqualTo(3);
        }
    }

    @Test
    void rethrowsTheLowestFailingWorkersExceptionAfterAllFinishedAndStaysUsable() {
        try (WorkerPool pool = new WorkerPool(3, "test-pool", WorkerPool.SHORT_SPIN_NANOS)) {
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
        WorkerPool pool = new WorkerPool(2, "closing-pool", WorkerPool.SHORT_SPIN_NANOS);
        pool.run(i -> { });
        Thread.sleep(5); // long enough for the helper to stop spinning and park
        pool.close();
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().equals("closing-pool-1"));
        assertThatThrownBy(() -> pool.run(i -> { })).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> new WorkerPool(0, "none", WorkerPool.SHORT_SPIN_NANOS))
                .hasMessage("a worker pool needs at least 1 worker but got 0");
    }

    @Test
    void workInsideAShareStaysOnItsThreadAndOutsideSpreadsAgain() {
        try (WorkerPool pool = new WorkerPool(2, "test-pool", WorkerPool.SHORT_SPIN_NANOS)) {
            boolean[] sameThread = new boolean[2];
            boolean[] marked = new boolean[2];
            pool.run(i -> {
                Thread share = Thread.currentThread();
                boolean[] onShare = {true};
                Parallel.forEach(8, b -> onShare[0] &= Thread.currentThread() == share);
                sameThread[i] = onShare[0];
                marked[i] = Parallel.inShare();
            });
            assertThat(sameThread).containsOnly(true);
            assertThat(marked).containsOnly(true);
        }
        assertThat(Parallel.inShare()).as("the caller is itself again after the run").isFalse();
    }
}
