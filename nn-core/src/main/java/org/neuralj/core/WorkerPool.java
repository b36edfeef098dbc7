package org.neuralj.core;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;

/**
 * The caller and {@code size − 1} long-lived daemon threads that run one task on the indices {@code 0 .. size−1} at a
 * time: the threads of {@link Parallel} (one pool for the JVM) and of {@link FitOptions#workers(int) data-parallel
 * training} (one per run). Every thread marks itself {@link Parallel#inShare() in a share} while it runs an index, so
 * work nested in it stays on it.
 *
 * <p>Each index has a home thread: index 0 the caller, index {@code k} helper {@code k}. Every thread claims its home
 * index first, so from run to run an index's data stays in its thread's core cache (a network copy, a block of a
 * matrix: re-reading them from the other core costs as much as the small network's arithmetic). Then every thread
 * claims whatever indices are left, so a helper that the operating system has not scheduled yet (a busy machine)
 * does not hold the run up: the caller runs its index too. Which thread runs an index changes nothing in the result
 * as long as the task for an index only touches that index's data, which is how callers use it.
 *
 * <p>Why not a {@link java.util.concurrent.ForkJoinPool}: a small network's batch takes a few tens of microseconds,
 * and handing a task to a parked thread and back costs about as much. Here a waiting thread busy-waits on a volatile
 * counter for a while before it parks ({@link #SHORT_SPIN_NANOS} or {@link #LONG_SPIN_NANOS}, the pool's choice;
 * after the first {@value #SPIN_ONLY_NANOS} ns it yields its core at each turn, so that on a machine whose cores are
 * taken it does not crowd out the thread it waits for), so a hand-off between batches that follow each other closely
 * wakes no parked thread, while an idle pool (validation, a slow listener) gives its cores back.
 * {@link #run} allocates nothing.
 *
 * <p>Not thread-safe: one caller at a time. {@link #close()} stops the threads.
 */
final class WorkerPool implements AutoCloseable {
    /**
     * A spin before parking longer than the gap between two products or two batches of a small network: for the
     * JVM-wide pool, which must give its cores back soon when the work stops.
     */
    static final long SHORT_SPIN_NANOS = 50_000;
    /**
     * A spin before parking that outlasts an epoch's end and a collector's pause: for a pool that lives for one
     * training run, whose helpers have nothing else to do. Why: a parked thread is woken wherever the scheduler
     * guesses, often on its waker's core, where the two take turns until the load is balanced again; with the short
     * spin, workers(2) on the digits network ran at half speed in 1 process of 3 or 4, its helper parking 20-177
     * times per 300 epochs (2-29 in the fast ones); with this one, none of a series of 4 was slow.
     */
    static final long LONG_SPIN_NANOS = 1_000_000;
    /** How long of that a waiting thread spins without yielding its core. */
    private static final long SPIN_ONLY_NANOS = 5_000;

    private final long spinNanos;
    private final Thread[] helpers;
    private final Throwable[] failures;
    /** Per index: the last run that claimed it (runs are numbered by {@link #generation}, starting at 1). */
    private final AtomicIntegerArray claimedBy;
    private final AtomicInteger finished = new AtomicInteger();
    /** Bumped by the caller to start a run (or to stop); idle helpers wait for it to change. */
    private volatile int generation;
    private volatile IntConsumer task;
    private volatile Thread caller;
    private volatile boolean closed;

    /**
     * Starts {@code size − 1} daemon threads named {@code name-1 ..}, whose waits spin for {@code spinNanos} before
     * they park.
     *
     * @throws IllegalArgumentException when {@code size} is less than 1
     */
    WorkerPool(int size, String name, long spinNanos) {
        if (size < 1) {
            throw new IllegalArgumentException("a worker pool needs at least 1 worker but got " + size);
        }
        this.spinNanos = spinNanos;
        this.helpers = new Thread[size - 1];
        this.failures = new Throwable[size];
        this.claimedBy = new AtomicIntegerArray(size); // run 0 claimed everything: nothing to claim before run 1
        for (int k = 0; k < helpers.length; k++) {
            int home = k + 1;
            Thread t = new Thread(() -> helperLoop(home), name + "-" + home);
            t.setDaemon(true);
            helpers[k] = t;
        }
        for (Thread t : helpers) {
            t.start();
        }
    }

    /** The number of workers, the caller included. */
    int size() {
        return failures.length;
    }

    /**
     * Calls {@code task.accept(i)} once for every index {@code i} in {@code 0 .. size−1}, on this thread and the
     * helpers, and returns when all have finished.
     *
     * @throws RuntimeException (or {@link Error}) the failure of the lowest index that failed, after all have finished
     */
    void run(IntConsumer task) {
        if (closed) {
            throw new IllegalStateException("this worker pool is closed");
        }
        this.task = task;
        this.caller = Thread.currentThread();
        finished.set(0);
        int run = generation + 1;
        generation = run; // only the caller writes it; publishes the task (and the caller's fields) to the helpers
        for (Thread t : helpers) {
            LockSupport.unpark(t); // cheap when the helper is still spinning
        }
        Parallel.setInShare(true);
        try {
            claimAndRun(0, run);
        } finally {
            Parallel.setInShare(false);
        }
        for (long waited = 0, start = 0; finished.get() != failures.length; waited = System.nanoTime() - start) {
            start = start == 0 ? System.nanoTime() : start;
            pause(waited);
        }
        for (Throwable failure : failures) {
            if (failure != null) {
                java.util.Arrays.fill(failures, null);
                if (failure instanceof Error error) {
                    throw error;
                }
                throw (RuntimeException) failure;
            }
        }
    }

    /**
     * One wait step of a thread that has waited {@code waited} ns: a spin first (the cheapest hand-off when both
     * threads have a core), then yielding the core (when this machine's cores are shared, the thread being waited
     * for may be queued behind this one), then parking.
     */
    private void pause(long waited) {
        if (waited < SPIN_ONLY_NANOS) {
            Thread.onSpinWait();
        } else if (waited < spinNanos) {
            Thread.yield();
        } else {
            LockSupport.park(this);
        }
    }

    /** Runs index {@code home} of run {@code run} if no other thread has claimed it, then every unclaimed index. */
    private void claimAndRun(int home, int run) {
        runIfUnclaimed(home, run);
        for (int i = 0; i < failures.length; i++) {
            if (i != home) {
                runIfUnclaimed(i, run);
            }
        }
    }

    private void runIfUnclaimed(int i, int run) {
        // every index is claimed in every run, so an unclaimed one was last claimed by the run before; a helper that
        // slept through a whole run holds a stale run number and claims nothing
        if (claimedBy.get(i) != run - 1 || !claimedBy.compareAndSet(i, run - 1, run)) {
            return;
        }
        try {
            task.accept(i); // read after generation, which the caller wrote after the task
        } catch (RuntimeException | Error e) {
            failures[i] = e;
        }
        // the increment publishes this index's results (and failure) to the caller, who reads after seeing size
        if (finished.incrementAndGet() == failures.length && Thread.currentThread() != caller) {
            LockSupport.unpark(caller);
        }
    }

    private void helperLoop(int home) {
        Parallel.setInShare(true); // a helper only ever computes shares
        int seen = 0;
        while (true) {
            int now;
            for (long waited = 0, start = 0; (now = generation) == seen; waited = System.nanoTime() - start) {
                start = start == 0 ? System.nanoTime() : start;
                pause(waited);
            }
            seen = now;
            if (closed) {
                return;
            }
            claimAndRun(home, now);
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
