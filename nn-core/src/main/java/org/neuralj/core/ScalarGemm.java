package org.neuralj.core;

/**
 * The portable matrix-product kernel: plain loops in the order that keeps the innermost loop on contiguous memory,
 * which the JIT vectorises where it can. Used when the Vector API is absent, and as the reference in tests.
 * Arguments as in {@link Gemm#gemm}.
 */
final class ScalarGemm {
    private ScalarGemm() {
    }

    static void gemm(boolean transA, boolean transB, int m, int n, int k,
                            float[] a, int lda, float[] b, int ldb, float[] c, int ldc, boolean accumulate) {
        if (!accumulate) {
            for (int i = 0; i < m; i++) {
                java.util.Arrays.fill(c, i * ldc, i * ldc + n, 0f);
            }
        }
        if (!transB) {
            // C[i,:] += op(A)[i,p] * B[p,:]: the inner loop runs along contiguous rows of B and C.
            for (int i = 0; i < m; i++) {
                int ci = i * ldc;
                for (int p = 0; p < k; p++) {
                    float aip = transA ? a[p * lda + i] : a[i * lda + p];
                    int bp = p * ldb;
                    for (int j = 0; j < n; j++) {
                        c[ci + j] += aip * b[bp + j];
                    }
                }
            }
        } else {
            // C[i,j] += dot(op(A)[i,:], B[j,:]): both rows are contiguous when A is not transposed.
            for (int i = 0; i < m; i++) {
                int ci = i * ldc;
                for (int j = 0; j < n; j++) {
                    int bj = j * ldb;
                    float s = 0f;
                    for (int p = 0; p < k; p++) {
                        float aip = transA ? a[p * lda + i] : a[i * lda + p];
                        s += aip * b[bj + p];
                    }
                    c[ci + j] += s;
                }
            }
        }
    }
}
