package org.neuralj.core.kernel;

import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntConsumer;
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
 * <p>The blocks run on {@link Parallel}'s threads, whose helpers spin briefly between tasks: products follow each
 * other within microseconds in training, and waking a parked thread costs tens of microseconds, as much as half of a
 * 256 × 256 × 256 product's time. Nothing is allocated per product. One product at a time is split; a product that
 * finds this kernel busy (another thread's product), or that a thread computing a share of parallel work asks for,
 * runs on its caller alone.
 */
public final class ParallelGemm implements GemmKernel {
    private final GemmKernel kernel;
    private final int parts;
    private final long minFlops;
    private final int align;
    private final ReentrantLock inUse = new ReentrantLock();
    private final IntConsumer blockTask = this::block;
    // the product being split, set under inUse before Parallel's hand-off publishes it to the helpers
    private boolean transA, transB, accumulate, byColumns;
    private int m, n, k, aOffset, lda, bOffset, ldb, cOffset, ldc, extent, step;
    private float[] a, b, c;

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
        // a thread computing one share of parallel work leaves the other cores to the other shares
        if (count < 2 || 2L * m * n * k < minFlops || Parallel.inShare() || !inUse.tryLock()) {
            kernel.gemm(transA, transB, m, n, k, a, aOffset, lda, b, bOffset, ldb, c, cOffset, ldc, accumulate);
            return;
        }
        try {
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
            this.extent = extent;
            this.step = ((extent + count - 1) / count + align - 1) / align * align;
            Parallel.forEach((extent + step - 1) / step, blockTask);
        } finally {
            this.a = null; // the operands are the caller's: keep no reference to them
            this.b = null;
            this.c = null;
            inUse.unlock();
        }
    }

    /** Block {@code t} of the product in progress: columns (or rows) {@code [t·step, (t+1)·step)} of C. */
    private void block(int t) {
        int from = t * step, to = Math.min(extent, from + step);
        if (byColumns) {
            kernel.gemm(transA, transB, m, to - from, k, a, aOffset, lda,
                    b, bOffset + (transB ? from * ldb : from), ldb, c, cOffset + from, ldc, accumulate);
        } else {
            kernel.gemm(transA, transB, to - from, n, k, a, aOffset + (transA ? from : from * lda), lda,
                    b, bOffset, ldb, c, cOffset + from * ldc, ldc, accumulate);
        }
    }
}
