package org.neuralj.core;

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
 * <p>The kernel is chosen once, at class initialisation: the Vector API kernel ({@code VectorGemm}: packed panels,
 * a register-blocked micro-kernel, two threads for large products) when the JVM runs with
 * {@code --add-modules jdk.incubator.vector}, else the portable scalar one. The system property
 * {@code neuralj.gemm=scalar} forces the scalar kernel. Both give the same results up to float rounding.
 */
public final class Gemm {
    private static final Logger LOG = LoggerFactory.getLogger(Gemm.class);
    private static final boolean VECTOR = vectorAvailable();

    private Gemm() {
    }

    public static void gemm(boolean transA, boolean transB, int m, int n, int k,
                            float[] a, int lda, float[] b, int ldb, float[] c, int ldc, boolean accumulate) {
        if (m == 0 || n == 0) {
            return;
        }
        if (VECTOR) {
            VectorGemm.gemm(transA, transB, m, n, k, a, lda, b, ldb, c, ldc, accumulate);
        } else {
            ScalarGemm.gemm(transA, transB, m, n, k, a, lda, b, ldb, c, ldc, accumulate);
        }
    }

    /** {@code "vector"} or {@code "scalar"}: the kernel in use. */
    public static String kernel() {
        return VECTOR ? "vector" : "scalar";
    }

    private static boolean vectorAvailable() {
        if ("scalar".equals(System.getProperty("neuralj.gemm"))) {
            LOG.debug("neuralj.gemm=scalar: using the scalar matrix-product kernel");
            return false;
        }
        try {
            boolean ok = VectorGemm.available();
            LOG.debug("Vector API matrix-product kernel, {} float lanes", VectorGemm.lanes());
            return ok;
        } catch (LinkageError e) {
            LOG.info("Vector API unavailable ({}); using the scalar matrix-product kernel. Run the JVM with "
                    + "--add-modules jdk.incubator.vector for the fast one.", e.toString());
            return false;
        }
    }
}
