package org.neuralj.core.kernel;

/**
 * One implementation of the float32 matrix product on row-major arrays, in the BLAS {@code sgemm} sense:
 *
 * <pre>C = op(A) · op(B)        or, with accumulate,  C = C + op(A) · op(B)</pre>
 *
 * where {@code op(X)} is {@code X} or {@code Xᵀ}, {@code op(A)} is m×k, {@code op(B)} is k×n and C is m×n.
 * {@code lda}, {@code ldb}, {@code ldc} are the row strides of the arrays as stored, and the offsets index the first
 * stored element of each operand, so that a caller can hand a kernel a block of a larger product (which is how
 * {@link ParallelGemm} splits one across threads). Implementations are thread-safe and allocation-free once warm.
 *
 * <p><b>Summation order.</b> Every kernel computes each element as one chain of fused multiply-adds,
 * {@code c ← fma(op(A)[i,p], op(B)[p,j], c)} for {@code p = 0, 1, …, k−1}, starting from C's value (or 0 without
 * accumulate). Blocking and vectorisation only change which elements are computed together, never that order, so
 * all kernels, on any number of threads, give bit-identical results: the kernel in use changes speed, not numbers.
 */
public interface GemmKernel {

    void gemm(boolean transA, boolean transB, int m, int n, int k,
              float[] a, int aOffset, int lda,
              float[] b, int bOffset, int ldb,
              float[] c, int cOffset, int ldc, boolean accumulate);

    /** A short name for logs and benchmarks, e.g. {@code "vector-512"}. */
    String name();
}
