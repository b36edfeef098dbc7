package org.neuralj.core;

import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntConsumer;

/**
 * Runs independent blocks of work on the cores the matrix products may use ({@code neuralj.gemm.threads}, default:
 * all): how a large matrix product is split ({@code ParallelGemm}), how {@code Conv2D} spreads the images of a batch
 * and how an optimizer steps a large network.
 *
 * <p>The caller fixes the blocks; this class only decides which thread runs which. A block's result therefore does
 * not depend on the number of threads, and a caller that combines per-block results in block order (a weight
 * gradient summed over images) keeps every result bit-identical on any number of threads, as {@link Gemm} does.
 *
 * <p>The threads are one {@link WorkerPool} for the whole JVM, started on first use: the caller and
 * {@code threads − 1} daemon helpers that spin briefly between tasks (work arrives every few microseconds in
 * training, and waking a parked thread costs tens of them). One caller at a time uses it; a call that finds it busy
 * (another thread's work) or that comes from a thread already computing a share runs its blocks on its own thread,
 * with the same results.
 */
public final class Parallel {
    private static final int THREADS = threadsSetting();
    /**
     * Per thread: whether it is computing one share of parallel work right now (a block here, or a data-parallel
     * worker's share of a batch), when the other cores compute the others. Nested work then stays on the thread:
     * splitting it again would put more threads than cores to work.
     */
    private static final ThreadLocal<boolean[]> IN_SHARE = ThreadLocal.withInitial(() -> new boolean[1]);
    private static final ReentrantLock IN_USE = new ReentrantLock();
    private static WorkerPool pool;
    // the call in progress, set under IN_USE before the pool's volatile hand-off publishes it
    private static int currentBlocks;
    private static IntConsumer currentBlock;
    private static final IntConsumer SHARE = Parallel::runShare;

    private Parallel() {
    }

    /**
     * Whether the calling thread computes one share of parallel work, so that {@link #forEach} and the matrix
     * products run its blocks on it alone.
     */
    public static boolean inShare() {
        return IN_SHARE.get()[0];
    }

    /** Marks the calling thread as computing a share of parallel work (see {@link #inShare()}), or not. */
    static void setInShare(boolean inShare) {
        IN_SHARE.get()[0] = inShare;
    }

    /** {@code neuralj.gemm.threads}, default: every available processor; at least 1. */
    private static int threadsSetting() {
        int threads = Integer.getInteger("neuralj.gemm.threads", Runtime.getRuntime().availableProcessors());
        if (threads < 1) {
            throw new IllegalArgumentException("neuralj.gemm.threads must be at least 1 but was " + threads);
        }
        return threads;
    }

    /**
     * How many threads {@link #forEach} uses at most, the caller's included, and how many blocks {@link Gemm} cuts a
     * large product into: the setting {@code neuralj.gemm.threads} (default: every available processor).
     */
    public static int threads() {
        return THREADS;
    }

    /**
     * Calls {@code block.accept(b)} once for every {@code b} in {@code 0..blocks−1}, spread over up to
     * {@link #threads()} threads in contiguous shares, and returns when all are done. Allocates nothing.
     *
     * @throws RuntimeException the exception of the first failing share (a share stops at its first failure), after
     *                          every share has finished
     */
    public static void forEach(int blocks, IntConsumer block) {
        if (Math.min(THREADS, blocks) < 2 || inShare() || !IN_USE.tryLock()) {
            for (int b = 0; b < blocks; b++) {
                block.accept(b);
            }
            return;
        }
        try {
            currentBlocks = blocks;
            currentBlock = block;
            pool().run(SHARE);
        } finally {
            currentBlock = null;
            IN_USE.unlock();
        }
    }

    /** Blocks {@code [blocks·share/threads, blocks·(share+1)/threads)} of the call in progress. */
    private static void runShare(int share) {
        IntConsumer block = currentBlock;
        for (int b = (int) ((long) currentBlocks * share / THREADS),
             to = (int) ((long) currentBlocks * (share + 1) / THREADS); b < to; b++) {
            block.accept(b);
        }
    }

    /** The pool, started on first use; called under {@code IN_USE}. */
    private static WorkerPool pool() {
        if (pool == null) {
            pool = new WorkerPool(THREADS, "neuralj-parallel", WorkerPool.SHORT_SPIN_NANOS);
        }
        return pool;
    }
}
