package org.neuralj.core.kernel;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.ForkJoinTask;

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
 * <p>The blocks but the first go to this kernel's own small {@link ForkJoinPool} of {@code parts − 1} daemon threads,
 * started on first use and then kept; the caller computes the first block and then joins the others (running any
 * not yet started itself), so no thread is created per call and a busy pool cannot stall a product. (Not the common
 * pool: its threads drop their thread-locals after every task, and the kernels keep their packing buffers there.)
 */
public final class ParallelGemm implements GemmKernel {
    private final GemmKernel kernel;
    private final int parts;
    private final long minFlops;
    private final int align;
    private final ForkJoinPool pool;

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
        this.pool = new ForkJoinPool(Math.max(1, parts - 1), p -> {
            ForkJoinWorkerThread worker = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(p);
            worker.setName("neuralj-gemm-" + worker.getPoolIndex());
            worker.setDaemon(true);
            return worker;
        }, null, false);
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
        if (count < 2 || 2L * m * n * k < minFlops) {
            kernel.gemm(transA, transB, m, n, k, a, aOffset, lda, b, bOffset, ldb, c, cOffset, ldc, accumulate);
            return;
        }
        int step = ((extent + count - 1) / count + align - 1) / align * align;
        // A few small task objects per large product; reusing them is unsafe (ForkJoinTask.reinitialize can race
        // with the completing worker's wake-up of the joiner, which then waits forever).
        ForkJoinTask<?>[] forked = new ForkJoinTask<?>[(extent - 1) / step];
        for (int t = 0; t < forked.length; t++) {
            int from = (t + 1) * step, to = Math.min(extent, from + step);
            forked[t] = pool.submit(() -> block(transA, transB, m, n, k, a, aOffset, lda, b, bOffset, ldb,
                    c, cOffset, ldc, accumulate, byColumns, from, to));
        }
        block(transA, transB, m, n, k, a, aOffset, lda, b, bOffset, ldb, c, cOffset, ldc, accumulate,
                byColumns, 0, Math.min(extent, step));
        for (ForkJoinTask<?> task : forked) {
            task.join();
        }
    }

    /** Columns (or rows) {@code from..to} of C: one call of the single-threaded kernel. */
    private void block(boolean transA, boolean transB, int m, int n, int k,
                       float[] a, int aOffset, int lda, float[] b, int bOffset, int ldb,
                       float[] c, int cOffset, int ldc, boolean accumulate, boolean byColumns, int from, int to) {
        if (byColumns) {
            kernel.gemm(transA, transB, m, to - from, k, a, aOffset, lda,
                    b, bOffset + (transB ? from * ldb : from), ldb, c, cOffset + from, ldc, accumulate);
        } else {
            kernel.gemm(transA, transB, to - from, n, k, a, aOffset + (transA ? from : from * lda), lda,
                    b, bOffset, ldb, c, cOffset + from * ldc, ldc, accumulate);
        }
    }
}
