package org.neuralj.core;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;

/**
 * The caller and {@code size − 1} long-lived daemon threads that run one task on the indices {@code 0 .. size−1} at a
 * time, index 0 on the caller: the threads of {@link FitOptions#workers(int) data-parallel training}.
 *
 * <p>Why not a {@link java.util.concurrent.ForkJoinPool}: a small network's batch takes a few tens of microseconds,
 * and handing a task to a parked thread and back costs about as much. Here a waiting thread busy-waits on a volatile
 * counter for up to {@value #SPIN_NANOS} ns before it parks, so a hand-off between batches that follow each other
 * closely costs well under a microsecond, while an idle pool (validation, a slow listener) gives its cores back.
 * {@link #run} allocates nothing.
 *
 * <p>Not thread-safe: one caller at a time. {@link #close()} stops the threads.
 */
final class WorkerPool implements AutoCloseable {
    /** How long a waiting thread spins before it parks: longer than the gap between two batches of a small network. */
    static final long SPIN_NANOS = 50_000;

    private final Thread[] helpers;
    private final Throwable[] failures;
    private final AtomicInteger pending = new AtomicInteger();
    /** Bumped by the caller to start a task (or to stop); helpers wait for it to change. */
    private volatile long generation;
    private volatile IntConsumer task;
    private volatile Thread caller;
    private volatile boolean closed;

    /**
     * Starts {@code size − 1} daemon threads named {@code name-1 ..}.
     *
     * @throws IllegalArgumentException when {@code size} is less than 1
     */
    WorkerPool(int size, String name) {
        if (size < 1) {
            throw new IllegalArgumentException("a worker pool needs at least 1 worker but got " + size);
        }
        this.helpers = new Thread[size - 1];
        this.failures = new Throwable[size];
        for (int k = 0; k < helpers.length; k++) {
            int index = k + 1;
            Thread t = new Thread(() -> helperLoop(index), name + "-" + index);
            t.setDaemon(true);
            helpers[k] = t;
        }
        for (Thread t : helpers) {
            t.start();
        }
    }

    /** The number of workers, the caller included. */
    int size() {
        return helpers.length + 1;
    }

    /**
     * Calls {@code task.accept(i)} for every worker {@code i}, {@code i = 0} on the calling thread, and returns when
     * all have finished.
     *
     * @throws RuntimeException (or {@link Error}) the failure of the lowest-numbered worker that failed, after all have
     *                          finished
     */
    void run(IntConsumer task) {
        if (closed) {
            throw new IllegalStateException("this worker pool is closed");
        }
        this.task = task;
        this.caller = Thread.currentThread();
        pending.set(helpers.length);
        generation++; // only the caller writes it; the volatile write publishes the task to the helpers
        for (Thread t : helpers) {
            LockSupport.unpark(t); // cheap when the helper is still spinning
        }
        runTask(0, task);
        long start = 0;
        while (pending.get() != 0) {
            if (start == 0) {
                start = System.nanoTime();
            }
            if (System.nanoTime() - start < SPIN_NANOS) {
                Thread.onSpinWait();
            } else {
                LockSupport.park(this);
            }
        }
        for (int i = 0; i < failures.length; i++) {
            Throwable failure = failures[i];
            if (failure != null) {
                java.util.Arrays.fill(failures, null);
                if (failure instanceof Error error) {
                    throw error;
                }
                throw (RuntimeException) failure;
            }
        }
    }

    private void runTask(int index, IntConsumer task) {
        try {
            task.accept(index);
        } catch (RuntimeException | Error e) {
            failures[index] = e;
        }
    }

    private void helperLoop(int index) {
        long seen = 0;
        while (true) {
            long start = 0;
            long now;
            while ((now = generation) == seen) {
                if (start == 0) {
                    start = System.nanoTime();
                }
                if (System.nanoTime() - start < SPIN_NANOS) {
                    Thread.onSpinWait();
                } else {
                    LockSupport.park(this);
                }
            }
            seen = now;
            if (closed) {
                return;
            }
            runTask(index, task);
            // the decrement publishes this worker's results (and failure) to the caller, who reads after seeing 0
            if (pending.decrementAndGet() == 0) {
                LockSupport.unpark(caller);
            }
        }
    }

    /** Stops the threads and waits for them to end. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        generation++;
        for (Thread t : helpers) {
            LockSupport.unpark(t);
        }
        boolean interrupted = false;
        for (Thread t : helpers) {
            while (t.isAlive()) {
                try {
                    t.join();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
