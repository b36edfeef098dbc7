package org.neuralj.core;

import org.neuralj.core.kernel.GemmKernel;
import org.neuralj.core.kernel.KernelWarmUp;
import org.neuralj.core.kernel.ParallelGemm;
import org.neuralj.core.kernel.ScalarGemm;
import org.neuralj.core.kernel.WarmingGemm;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single entry point for float32 matrix products, in the BLAS {@code sgemm} sense on row-major arrays:
 *
 * <pre>C = op(A) · op(B)        or, with accumulate,  C = C + op(A) · op(B)</pre>
 *
 * where {@code op(X)} is {@code X} or {@code Xᵀ}. {@code op(A)} is m×k, {@code op(B)} is k×n and C is m×n.
 * {@code lda}, {@code ldb} and {@code ldc} are the row strides of the arrays as stored.
 *
 * <p>The kernel is chosen once, at start-up: the Vector API kernel ({@link org.neuralj.core.kernel.VectorGemm})
 * when the JVM runs with {@code --add-modules jdk.incubator.vector}, otherwise the portable
 * {@link ScalarGemm}; large products are split across the cores by {@link ParallelGemm}. The Vector API kernel is
 * compiled by the JIT in the background ({@link KernelWarmUp}) once the work is large enough to gain from it
 * ({@link WarmingGemm}: at the first product of 16 MFLOP or more, or after 4 GFLOP in all); until it is compiled the
 * portable kernel stands in on the calling thread, which changes no result because all kernels give bit-identical
 * products. System properties:
 * <ul>
 *   <li>{@code neuralj.gemm} = {@code auto} (default), {@code vector} or {@code scalar};</li>
 *   <li>{@code neuralj.gemm.threads} = the cores one product may use (default: all available).</li>
 * </ul>
 */
public final class Gemm {
    private static final Logger LOG = LoggerFactory.getLogger(Gemm.class);
    /** Products below this many floating-point operations stay on the calling thread (measured: nn-bench). */
    private static final long PARALLEL_MIN_FLOPS = 16_000_000;
    /** Parallel blocks end on whole register tiles of either kernel. */
    private static final int PARALLEL_ALIGN = 32;

    /**
     * The stand-in's work after which the Vector API kernel's warm-up starts even without a large product: about half a
     * second of the portable kernel, so a program that ran that long probably runs long enough to gain from it.
     */
    private static final long WARM_UP_BUDGET_FLOPS = 4_000_000_000L;

    /** The kernel the settings ask for. */
    private static final GemmKernel SELECTED;
    /** The kernel products go to: {@link #SELECTED}, behind a {@link WarmingGemm} when it needs a JIT warm-up. */
    private static final GemmKernel ENTRY;

    static {
        String choice = System.getProperty("neuralj.gemm", "auto");
        int threads = Parallel.threads();
        GemmKernel single = singleThreaded(choice);
        SELECTED = parallel(single, threads);
        if (single instanceof ScalarGemm) {
            ENTRY = SELECTED;
        } else {
            ENTRY = new WarmingGemm(new ScalarGemm(), SELECTED, PARALLEL_MIN_FLOPS, WARM_UP_BUDGET_FLOPS,
                    onReady -> {
                        LOG.debug("Compiling the matrix product kernel {} in the background", SELECTED.name());
                        KernelWarmUp.inBackground(single, () -> {
                            onReady.run();
                            LOG.debug("Matrix product kernel {} is compiled and in use", SELECTED.name());
                        });
                    });
        }
        LOG.debug("Matrix product kernel: {}", SELECTED.name());
    }

    private Gemm() {
    }

    /**
     * {@code c = op(a) · op(b)}, or {@code c += op(a) · op(b)} when {@code accumulate}; see the class comment.
     *
     * @throws IllegalArgumentException when a dimension is negative, a stride is smaller than a stored row, or an
     *                                  array is too short for the shape (checked before anything is written)
     */
    public static void gemm(boolean transA, boolean transB, int m, int n, int k,
                            float[] a, int lda, float[] b, int ldb, float[] c, int ldc, boolean accumulate) {
        gemm(transA, transB, m, n, k, a, 0, lda, b, 0, ldb, c, 0, ldc, accumulate);
    }

    /**
     * {@link #gemm(boolean, boolean, int, int, int, float[], int, float[], int, float[], int, boolean)} on operands
     * that start at the given offsets of their arrays: a product of blocks of larger arrays, such as one sample's
     * slice of a batch (how a convolution runs one product per image).
     *
     * @throws IllegalArgumentException as the other form, and when an offset is negative
     */
    public static void gemm(boolean transA, boolean transB, int m, int n, int k,
                            float[] a, int aOffset, int lda, float[] b, int bOffset, int ldb,
                            float[] c, int cOffset, int ldc, boolean accumulate) {
        if (m < 0 || n < 0 || k < 0) {
            throw new IllegalArgumentException("gemm: dimensions must be non-negative but m=" + m + ", n=" + n
                    + ", k=" + k);
        }
        requireOperand("a", transA ? k : m, transA ? m : k, a, aOffset, lda);
        requireOperand("b", transB ? n : k, transB ? k : n, b, bOffset, ldb);
        requireOperand("c", m, n, c, cOffset, ldc);
        ENTRY.gemm(transA, transB, m, n, k, a, aOffset, lda, b, bOffset, ldb, c, cOffset, ldc, accumulate);
    }

    /**
     * The kernel the settings select, e.g. {@code "vector-512 x2 threads"}. (Until the JIT has compiled it, products
     * run on the portable kernel, with bit-identical results.)
     */
    public static String kernelName() {
        return SELECTED.name();
    }

    /**
     * Whether products run on the kernel the settings select ({@link #kernelName()}) yet: false while the Vector API
     * kernel waits for its first large product or is being compiled in the background, products meanwhile running on
     * the portable kernel. A benchmark of steady-state speed waits for it.
     */
    public static boolean selectedKernelInUse() {
        return !(ENTRY instanceof WarmingGemm warming) || warming.isReady();
    }

    /**
     * A new kernel as {@link #gemm} would use it for a {@code neuralj.gemm} setting and a number of threads (the
     * benchmarks compare them). {@code auto} takes the Vector API kernel when its module is present and the portable
     * one otherwise; {@code vector} without the module is an {@link IllegalStateException}.
     */
    public static GemmKernel kernel(String choice, int threads) {
        return parallel(singleThreaded(choice), threads);
    }

    private static GemmKernel singleThreaded(String choice) {
        switch (choice) {
            case "scalar" -> {
                return new ScalarGemm();
            }
            case "vector" -> {
                GemmKernel vector = vectorKernel();
                if (vector == null) {
                    throw new IllegalStateException("-Dneuralj.gemm=vector needs the JVM option "
                            + "--add-modules jdk.incubator.vector");
                }
                return vector;
            }
            case "auto" -> {
                GemmKernel vector = vectorKernel();
                if (vector == null) {
                    LOG.info("Matrix products use the portable scalar kernel; start the JVM with "
                            + "--add-modules jdk.incubator.vector for the much faster Vector API kernel");
                    return new ScalarGemm();
                }
                return vector;
            }
            default -> throw new IllegalArgumentException("neuralj.gemm must be auto, vector or scalar but was '"
                    + choice + "'");
        }
    }

    private static GemmKernel parallel(GemmKernel single, int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("neuralj.gemm.threads must be at least 1 but was " + threads);
        }
        return threads == 1 ? single : new ParallelGemm(single, threads, PARALLEL_MIN_FLOPS, PARALLEL_ALIGN);
    }

    /** The Vector API kernel, or null when the incubator module is not in the JVM's module graph. */
    private static GemmKernel vectorKernel() {
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            return null;
        }
        try {
            return new org.neuralj.core.kernel.VectorGemm();
        } catch (LinkageError e) {
            LOG.warn("The Vector API kernel could not be loaded ({}); using the scalar kernel", e.toString());
            return null;
        }
    }

    /** A stored {@code rows × cols} operand with row stride {@code ld}, from {@code offset}, must fit its array. */
    private static void requireOperand(String name, int rows, int cols, float[] x, int offset, int ld) {
        if (ld < cols) {
            throw new IllegalArgumentException("gemm: ld" + name + " = " + ld + " is smaller than the " + cols
                    + " columns of " + name + " as stored");
        }
        if (offset < 0) {
            throw new IllegalArgumentException("gemm: the offset of " + name + " is " + offset + "; it must be"
                    + " non-negative");
        }
        long needed = rows == 0 || cols == 0 ? 0 : offset + (long) (rows - 1) * ld + cols;
        if (x.length < needed) {
            throw new IllegalArgumentException("gemm: " + name + " has " + x.length + " values but a " + rows + "×"
                    + cols + " operand with row stride " + ld + (offset > 0 ? " from offset " + offset : "")
                    + " needs " + needed);
        }
    }
}
