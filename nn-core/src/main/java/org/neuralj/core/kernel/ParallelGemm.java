package org.neuralj.core.kernel;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.RecursiveAction;

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
    private final ThreadLocal<Block[]> blocks;
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
        this.blocks = ThreadLocal.withInitial(() -> {
            Block[] set = new Block[parts];
            for (int i = 0; i < parts; i++) {
                set[i] = new Block(kernel);
            }
            return set;
        });
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
        Block[] blocks = this.blocks.get();
        int used = 0;
        for (int from = 0; from < extent; from += step, used++) {
            Block block = blocks[used];
            block.reinitialize();
            block.set(transA, transB, m, n, k, a, aOffset, lda, b, bOffset, ldb, c, cOffset, ldc, accumulate,
                    byColumns, from, Math.min(extent, from + step));
            if (used > 0) {
                pool.execute(block);
            }
        }
        blocks[0].run();
        for (int t = 1; t < used; t++) {
            blocks[t].join();
        }
    }

    /**
     * Rows or columns {@code from..to} of one product: a reusable task (one set per calling thread, so that a
     * large product allocates nothing).
     */
    private static final class Block extends RecursiveAction {
        private final GemmKernel kernel;
        private boolean transA;
        private boolean transB;
        private int m;
        private int n;
        private int k;
        private float[] a;
        private int aOffset;
        private int lda;
        private float[] b;
        private int bOffset;
        private int ldb;
        private float[] c;
        private int cOffset;
        private int ldc;
        private boolean accumulate;
        private boolean byColumns;
        private int from;
        private int to;

        Block(GemmKernel kernel) {
            this.kernel = kernel;
        }

        void set(boolean transA, boolean transB, int m, int n, int k, float[] a, int aOffset, int lda,
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
        }

        @Override
        protected void compute() {
            run();
        }

        void run() {
            if (byColumns) {
                kernel.gemm(transA, transB, m, to - from, k, a, aOffset, lda,
                        b, bOffset + (transB ? from * ldb : from), ldb, c, cOffset + from, ldc, accumulate);
            } else {
                kernel.gemm(transA, transB, to - from, n, k, a, aOffset + (transA ? from : from * lda), lda,
                        b, bOffset, ldb, c, cOffset + from * ldc, ldc, accumulate);
            }
            // Drop the operands: a pooled task must not keep a caller's arrays alive.
            a = null;
            b = null;
            c = null;
        }
    }
}
