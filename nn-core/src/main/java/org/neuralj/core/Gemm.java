package org.neuralj.core;

import org.neuralj.core.kernel.GemmKernel;
import org.neuralj.core.kernel.ParallelGemm;
import org.neuralj.core.kernel.ScalarGemm;
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
 * {@link ScalarGemm}; large products are split across the cores by {@link ParallelGemm}. System properties:
 * <ul>
 *   <li>{@code neuralj.gemm} = {@code auto} (default), {@code vector} or {@code scalar};</li>
 *   <li>{@code neuralj.gemm.threads} = the cores one product may use (default: all available).</li>
 * </ul>
 */
public final class Gemm {
    private static final Logger LOG = LoggerFactory.getLogger(Gemm.class);
    /** Products below this many floating-point operations stay on the calling thread (measured: nn-bench). */
    private static final long PARALLEL_MIN_FLOPS = 4_000_000;
    /** Parallel blocks end on whole register tiles of either kernel. */
    private static final int PARALLEL_ALIGN = 32;

    private static final GemmKernel KERNEL = select(System.getProperty("neuralj.gemm", "auto"),
            Integer.getInteger("neuralj.gemm.threads", Runtime.getRuntime().availableProcessors()));

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
        check(transA, transB, m, n, k, a, lda, b, ldb, c, ldc);
        KERNEL.gemm(transA, transB, m, n, k, a, 0, lda, b, 0, ldb, c, 0, ldc, accumulate);
    }

    /** The kernel in use, e.g. {@code "vector-512 x2 threads"}. */
    public static String kernelName() {
        return KERNEL.name();
    }

    /**
     * The kernel for a {@code neuralj.gemm} setting and a number of threads. {@code auto} takes the Vector API kernel
     * when its module is present and the portable one otherwise; {@code vector} without the module fails.
     */
    static GemmKernel select(String choice, int threads) {
        GemmKernel single;
        switch (choice) {
            case "scalar" -> single = new ScalarGemm();
            case "vector" -> {
                single = vectorKernel();
                if (single == null) {
                    throw new IllegalStateException("-Dneuralj.gemm=vector needs the JVM option "
                            + "--add-modules jdk.incubator.vector");
                }
            }
            case "auto" -> {
                single = vectorKernel();
                if (single == null) {
                    LOG.info("Matrix products use the portable scalar kernel; start the JVM with "
                            + "--add-modules jdk.incubator.vector for the much faster Vector API kernel");
                    single = new ScalarGemm();
                }
            }
            default -> throw new IllegalArgumentException("neuralj.gemm must be auto, vector or scalar but was '"
                    + choice + "'");
        }
        if (threads < 1) {
            throw new IllegalArgumentException("neuralj.gemm.threads must be at least 1 but was " + threads);
        }
        GemmKernel kernel = threads == 1 ? single : new ParallelGemm(single, threads, PARALLEL_MIN_FLOPS,
                PARALLEL_ALIGN);
        LOG.debug("Matrix product kernel: {}", kernel.name());
        return kernel;
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

    private static void check(boolean transA, boolean transB, int m, int n, int k,
                              float[] a, int lda, float[] b, int ldb, float[] c, int ldc) {
        if (m < 0 || n < 0 || k < 0) {
            throw new IllegalArgumentException("gemm: dimensions must be non-negative but m=" + m + ", n=" + n
                    + ", k=" + k);
        }
        requireOperand("a", transA ? k : m, transA ? m : k, a, lda);
        requireOperand("b", transB ? n : k, transB ? k : n, b, ldb);
        requireOperand("c", m, n, c, ldc);
    }

    /** A stored {@code rows × cols} operand with row stride {@code ld} must fit its array. */
    private static void requireOperand(String name, int rows, int cols, float[] x, int ld) {
        if (ld < cols) {
            throw new IllegalArgumentException("gemm: ld" + name + " = " + ld + " is smaller than the " + cols
                    + " columns of " + name + " as stored");
        }
        long needed = rows == 0 || cols == 0 ? 0 : (long) (rows - 1) * ld + cols;
        if (x.length < needed) {
            throw new IllegalArgumentException("gemm: " + name + " has " + x.length + " values but a " + rows + "×"
                    + cols + " operand with row stride " + ld + " needs " + needed);
        }
    }
}
