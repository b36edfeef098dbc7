package org.neuralj.core.kernel;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import org.neuralj.core.Parallel;

/**
 * Runs a large product on several cores by cutting C into {@code parts} blocks of whole rows or whole columns, each
 * an independent call of the wrapped single-threaded kernel; small products stay on the calling thread, where a
 * hand-off to another thread would cost more than it saves.
 *
 * <p>Rows or columns? Each block packs its own part of one operand and the whole of the other, so the cut goes
 * across the dimension whose shared operand is cheaper to pack twice: columns when {@code m < n} (A, m × k, is
 * shared), rows otherwise (B, k × n, is shared). Blocks are aligned to {@code align} so that they end on whole
 * register tiles.
 *
 * <p>The blocks but the first go to this kernel's own {@code parts − 1} daemon helper threads, started on first use
 * and then kept; the caller computes the first block, then each block a helper has not yet claimed, then waits for
 * the others. A helper that finished a block spins for 50 µs before it parks: products follow each other within
 * microseconds in training, and waking a parked thread costs tens of microseconds, as much as half of a
 * 256 × 256 × 256 product's time; a helper idle for 10 s ends its thread. Nothing is allocated per product. One
 * product at a time uses the helpers; a product that finds them busy (another thread's) runs on its caller alone.
 */
public final class ParallelGemm implements GemmKernel {
    /** How long an idle helper spins for the next block before it parks. */
    private static final long SPIN_NANOS = 50_000;
    /** A helper idle for this long ends its thread (the next large product starts a new one). */
    private static final long KEEP_ALIVE_NANOS = 10_000_000_000L;

    private final GemmKernel kernel;
    private final int parts;
    private final long minFlops;
    private final int align;
    private final ReentrantLock inUse = new ReentrantLock();
    private final Helper[] helpers;

    /**
     * @param kernel   the single-threaded kernel that computes each block
     * @param parts    how many blocks a large product is cut into (the cores to use); at least 1
     * @param minFlops products of fewer than this many floating-point operations ({@code 2·m·n·k}) are not split
     * @param align    block boundaries fall on multiples of this many rows or columns
     */
    public ParallelGemm(GemmKernel kernel, int parts, long minFlops, int align) {
        if (parts < 1 || align < 1 || minFlops < 0) {
            throw new IllegalArgumentException("ParallelGemm needs parts >= 1, align >= 1 and minFlops >= 0 but got "
                    + "parts " + parts + ", align " + align + ", minFlops " + minFlops);
        }
        this.kernel = kernel;
        this.parts = parts;
        this.minFlops = minFlops;
        this.align = align;
        this.helpers = new Helper[parts - 1];
    }

    @Override
    public String name() {
        return kernel.name() + (parts > 1 ? " x" + parts + " threads" : "");
    }

    /** The number of blocks a large product is cut into. */
    public int parts() {
        return parts;
    }

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k,
                     float[] a, int aOffset, int lda, float[] b, int bOffset, int ldb,
                     float[] c, int cOffset, int ldc, boolean accumulate) {
        boolean byColumns = m < n;
        int extent = byColumns ? n : m;
        int count = Math.min(parts, extent / align);
        // a thread computing one share of data-parallel training leaves the other cores to the other shares
        if (count < 2 || 2L * m * n * k < minFlops || Parallel.inShare() || !inUse.tryLock()) {
            kernel.gemm(transA, transB, m, n, k, a, aOffset, lda, b, bOffset, ldb, c, cOffset, ldc, accumulate);
            return;
        }
        try {
            int step = ((extent + count - 1) / count + align - 1) / align * align;
            int blocks = (extent + step - 1) / step;
            for (int t = 1; t < blocks; t++) {
                helper(t - 1).post(transA, transB, m, n, k, a, aOffset, lda, b, bOffset, ldb, c, cOffset, ldc,
                        accumulate, byColumns, t * step, Math.min(extent, (t + 1) * step));
            }
            block(kernel, transA, transB, m, n, k, a, aOffset, lda, b, bOffset, ldb, c, cOffset, ldc, accumulate,
                    byColumns, 0, Math.min(extent, step));
            for (int t = 1; t < blocks; t++) {
                helpers[t - 1].runIfUnclaimed();
            }
            for (int t = 1; t < blocks; t++) {
                helpers[t - 1].awaitDone();
            }
        } finally {
            inUse.unlock();
        }
    }

    private Helper helper(int index) {
        if (helpers[index] == null) {
            helpers[index] = new Helper(kernel, "neuralj-gemm-" + (index + 1));
        }
        return helpers[index];
    }

    /** Columns (or rows) {@code from..to} of C: one call of the single-threaded kernel. */
    private static void block(GemmKernel kernel, boolean transA, boolean transB, int m, int n, int k,
                              float[] a, int aOffset, int lda, float[] b, int bOffset, int ldb,
                              float[] c, int cOffset, int ldc, boolean accumulate, boolean byColumns,
                              int from, int to) {
        if (byColumns) {
            kernel.gemm(transA, transB, m, to - from, k, a, aOffset, lda,
                    b, bOffset + (transB ? from * ldb : from), ldb, c, cOffset + from, ldc, accumulate);
        } else {
            kernel.gemm(transA, transB, to - from, n, k, a, aOffset + (transA ? from : from * lda), lda,
                    b, bOffset, ldb, c, cOffset + from * ldc, ldc, accumulate);
        }
    }

    /**
     * A daemon thread and the one block it is given at a time. The block's fields are written by the posting thread
     * before the volatile write of {@code state} and read after its volatile read, which orders them.
     */
    private static final class Helper implements Runnable {
        private static final int IDLE = 0, POSTED = 1, RUNNING = 2, DONE = 3, ENDED = 4;

        private final GemmKernel kernel;
        private final String name;
        private Thread thread;
        private final AtomicInteger state = new AtomicInteger(IDLE);
        private boolean transA, transB, accumulate, byColumns;
        private int m, n, k, aOffset, lda, bOffset, ldb, cOffset, ldc, from, to;
        private float[] a, b, c;
        private Throwable failure;

        Helper(GemmKernel kernel, String name) {
            this.kernel = kernel;
            this.name = name;
            start();
        }

        private void start() {
            thread = new Thread(this, name);
            thread.setDaemon(true);
            thread.start();
        }

        void post(boolean transA, boolean transB, int m, int n, int k, float[] a, int aOffset, int lda,
                  float[] b, int bOffset, int ldb, float[] c, int cOffset, int ldc, boolean accumulate,
                  boolean byColumns, int from, int to) {
            this.transA = transA;
            this.transB = transB;
            this.m = m;
            this.n = n;
            this.k = k;
            this.a = a;
            this.aOffset = aOffset;
            this.lda = lda;
            this.b = b;
            this.bOffset = bOffset;
            this.ldb = ldb;
            this.c = c;
            this.cOffset = cOffset;
            this.ldc = ldc;
            this.accumulate = accumulate;
            this.byColumns = byColumns;
            this.from = from;
            this.to = to;
            if (state.compareAndSet(IDLE, POSTED)) {
                LockSupport.unpark(thread);
            } else {
                // The thread ended after a long idle time (ENDED): a new one takes the block.
                state.set(POSTED);
                start();
            }
        }

        /** Runs the posted block on the calling thread if the helper has not started it (it may be descheduled). */
        void runIfUnclaimed() {
            if (state.compareAndSet(POSTED, RUNNING)) {
                compute();
            }
        }

        /** Waits until the block is computed, then rethrows what it threw; the helper is idle after. */
        void awaitDone() {
            for (int spins = 0; state.get() != DONE; spins++) {
                if (spins < 10_000) {
                    Thread.onSpinWait();
                } else {
                    Thread.yield();
                }
            }
            Throwable thrown = failure;
            failure = null;
            a = b = c = null;
            state.set(IDLE);
            if (thrown instanceof RuntimeException e) {
                throw e;
            }
            if (thrown instanceof Error e) {
                throw e;
            }
        }

        private void compute() {
            try {
                block(kernel, transA, transB, m, n, k, a, aOffset, lda, b, bOffset, ldb, c, cOffset, ldc, accumulate,
                        byColumns, from, to);
            } catch (Throwable e) {
                failure = e;
            }
            state.set(DONE);
        }

        @Override
        public void run() {
            long idleSince = System.nanoTime();
            while (true) {
                if (state.get() == POSTED && state.compareAndSet(POSTED, RUNNING)) {
                    compute();
                    idleSince = System.nanoTime();
                } else if (System.nanoTime() - idleSince < SPIN_NANOS) {
                    Thread.onSpinWait();
                } else if (System.nanoTime() - idleSince < KEEP_ALIVE_NANOS) {
                    LockSupport.parkNanos(this, KEEP_ALIVE_NANOS);
                } else if (state.compareAndSet(IDLE, ENDED)) {
                    return;
                }
            }
        }
    }
}
