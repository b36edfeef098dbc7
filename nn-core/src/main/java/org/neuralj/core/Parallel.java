package org.neuralj.core;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.function.IntConsumer;

/**
 * Runs independent blocks of a layer's work on the cores the matrix products may use ({@code neuralj.gemm.threads},
 * default: all): how {@code Conv2D} spreads the images of a batch, whose products are each too small for
 * {@link Gemm} to split.
 *
 * <p>The caller fixes the blocks; this class only decides which thread runs which. A block's result therefore does
 * not depend on the number of threads, and a caller that combines per-block results in block order (a weight
 * gradient summed over images) keeps every result bit-identical on any number of threads, as {@link Gemm} does.
 * The helper threads are daemons of a small pool of their own, started on first use; the calling thread runs the
 * first share of the blocks itself.
 */
public final class Parallel {
    private static final int THREADS = Math.max(1, Integer.getInteger("neuralj.gemm.threads",
            Runtime.getRuntime().availableProcessors()));
    private static volatile ForkJoinPool pool;
    /**
     * Per thread: whether it is computing one share of data-parallel work right now ({@link FitOptions#workers}),
     * when the other cores compute the other shares. Nested work then stays on the thread: splitting it again would
     * put more threads than cores to work.
     */
    private static final ThreadLocal<boolean[]> IN_SHARE = ThreadLocal.withInitial(() -> new boolean[1]);

    private Parallel() {
    }

    /**
     * Whether the calling thread computes one share of data-parallel work, so that {@link #forEach} and the matrix
     * products run its blocks on it alone.
     */
    public static boolean inShare() {
        return IN_SHARE.get()[0];
    }

    /** Marks the calling thread as computing a share of data-parallel work (see {@link #inShare()}), or not. */
    static void setInShare(boolean inShare) {
        IN_SHARE.get()[0] = inShare;
    }

    /** How many threads {@link #forEach} uses at most, the caller's included. */
    public static int threads() {
        return THREADS;
    }

    /**
     * Calls {@code block.accept(b)} once for every {@code b} in {@code 0..blocks−1}, spread over up to
     * {@link #threads()} threads in contiguous shares, and returns when all are done.
     *
     * @throws RuntimeException the exception of the first failing share (a share stops at its first failure), after
     *                          every share has finished
     */
    public static void forEach(int blocks, IntConsumer block) {
        int parts = Math.min(THREADS, blocks);
        if (parts < 2 || inShare()) {
            for (int b = 0; b < blocks; b++) {
                block.accept(b);
            }
            return;
        }
        // each share keeps its own failure, so the exception rethrown is the block's own, not a wrapper
        RuntimeException[] failures = new RuntimeException[parts];
        ForkJoinTask<?>[] forked = new ForkJoinTask<?>[parts - 1];
        for (int t = 1; t < parts; t++) {
            int share = t;
            forked[t - 1] = pool().submit(() -> runShare(blocks, parts, share, block, failures));
        }
        runShare(blocks, parts, 0, block, failures);
        for (ForkJoinTask<?> f : forked) {
            f.join();
        }
        for (RuntimeException failure : failures) {
            if (failure != null) {
                throw failure;
            }
        }
    }

    /** Blocks {@code [blocks·share/parts, blocks·(share+1)/parts)}, stopping at the first failure. */
    private static void runShare(int blocks, int parts, int share, IntConsumer block, RuntimeException[] failures) {
        try {
            for (int b = (int) ((long) blocks * share / parts), to = (int) ((long) blocks * (share + 1) / parts);
                 b < to; b++) {
                block.accept(b);
            }
        } catch (RuntimeException e) {
            failures[share] = e;
        }
    }

    private static ForkJoinPool pool() {
        ForkJoinPool p = pool;
        if (p == null) {
            synchronized (Parallel.class) {
                p = pool;
                if (p == null) {
                    pool = p = new ForkJoinPool(THREADS - 1, fj -> {
                        ForkJoinWorkerThread worker = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(fj);
                        worker.setName("neuralj-parallel-" + worker.getPoolIndex());
                        worker.setDaemon(true);
                        return worker;
                    }, null, false);
                }
            }
        }
        return p;
    }
}
