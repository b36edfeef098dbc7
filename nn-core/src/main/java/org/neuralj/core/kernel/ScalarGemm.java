package org.neuralj.core.kernel;

import java.util.Arrays;

/**
 * The portable matrix product in plain Java, used when the Vector API is not available (or when forced with
 * {@code -Dneuralj.gemm=scalar}).
 *
 * <p>It walks C in 4 × 4 tiles held in sixteen local variables (registers), each tile accumulating
 * {@code op(A)[i:i+4, p] · op(B)[p, j:j+4]} over a block of KC steps of the inner dimension, so every loaded value
 * is used four times. Transposition is only a choice of strides: {@code op(A)[i, p] = a[i·rowStride + p·colStride]}.
 * Blocking the inner dimension keeps the rows of A and B that a block of tiles revisits in cache.
 */
public final class ScalarGemm implements GemmKernel {
    /** Steps of the inner dimension per block. */
    private static final int KC = 256;
    /** Columns of C per block: the KC × NC block of B stays in L2. */
    private static final int NC = 512;

    @Override
    public String name() {
        return "scalar";
    }

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k,
                     float[] a, int aOffset, int lda, float[] b, int bOffset, int ldb,
                     float[] c, int cOffset, int ldc, boolean accumulate) {
        if (!accumulate) {
            for (int i = 0; i < m; i++) {
                Arrays.fill(c, cOffset + i * ldc, cOffset + i * ldc + n, 0f);
            }
        }
        // Element (i, p) of op(A) is a[aOffset + i*ai + p*ap]; element (p, j) of op(B) is b[bOffset + p*bp + j*bj].
        int ai = transA ? 1 : lda, ap = transA ? lda : 1;
        int bp = transB ? 1 : ldb, bj = transB ? ldb : 1;
        for (int jc = 0; jc < n; jc += NC) {
            int jEnd = Math.min(n, jc + NC);
            for (int pc = 0; pc < k; pc += KC) {
                int kb = Math.min(KC, k - pc);
                int i = 0;
                for (; i + 4 <= m; i += 4) {
                    int j = jc;
                    for (; j + 4 <= jEnd; j += 4) {
                        tile4x4(kb, a, aOffset + i * ai + pc * ap, ai, ap, b, bOffset + pc * bp + j * bj, bp, bj,
                                c, cOffset + i * ldc + j, ldc);
                    }
                    for (; j < jEnd; j++) {
                        for (int r = 0; r < 4; r++) {
                            c[cOffset + (i + r) * ldc + j] += dot(kb, a, aOffset + (i + r) * ai + pc * ap, ap,
                                    b, bOffset + pc * bp + j * bj, bp);
                        }
                    }
                }
                for (; i < m; i++) {
                    if (!transB) {
                        // A row of C as a sum of rows of B: a loop C2 vectorises (a batch of one at inference).
                        int ci = cOffset + i * ldc;
                        for (int p = 0; p < kb; p++) {
                            float x = a[aOffset + i * ai + (pc + p) * ap];
                            int bRow = bOffset + (pc + p) * ldb;
                            for (int j = jc; j < jEnd; j++) {
                                c[ci + j] += x * b[bRow + j];
                            }
                        }
                        continue;
                    }
                    for (int j = jc; j < jEnd; j++) {
                        c[cOffset + i * ldc + j] += dot(kb, a, aOffset + i * ai + pc * ap, ap,
                                b, bOffset + pc * bp + j * bj, bp);
                    }
                }
            }
        }
    }

    /** C[0:4, 0:4] += Σ_p A[0:4, p] · B[p, 0:4] with the tile in sixteen locals. */
    private static void tile4x4(int kb, float[] a, int aAt, int ai, int ap, float[] b, int bAt, int bp, int bj,
                                float[] c, int cAt, int ldc) {
        float c00 = 0, c01 = 0, c02 = 0, c03 = 0;
        float c10 = 0, c11 = 0, c12 = 0, c13 = 0;
        float c20 = 0, c21 = 0, c22 = 0, c23 = 0;
        float c30 = 0, c31 = 0, c32 = 0, c33 = 0;
        for (int p = 0; p < kb; p++, aAt += ap, bAt += bp) {
            float a0 = a[aAt], a1 = a[aAt + ai], a2 = a[aAt + 2 * ai], a3 = a[aAt + 3 * ai];
            float b0 = b[bAt], b1 = b[bAt + bj], b2 = b[bAt + 2 * bj], b3 = b[bAt + 3 * bj];
            c00 += a0 * b0;
            c01 += a0 * b1;
            c02 += a0 * b2;
            c03 += a0 * b3;
            c10 += a1 * b0;
            c11 += a1 * b1;
            c12 += a1 * b2;
            c13 += a1 * b3;
            c20 += a2 * b0;
            c21 += a2 * b1;
            c22 += a2 * b2;
            c23 += a2 * b3;
            c30 += a3 * b0;
            c31 += a3 * b1;
            c32 += a3 * b2;
            c33 += a3 * b3;
        }
        addRow(c, cAt, c00, c01, c02, c03);
        addRow(c, cAt + ldc, c10, c11, c12, c13);
        addRow(c, cAt + 2 * ldc, c20, c21, c22, c23);
        addRow(c, cAt + 3 * ldc, c30, c31, c32, c33);
    }

    private static void addRow(float[] c, int at, float v0, float v1, float v2, float v3) {
        c[at] += v0;
        c[at + 1] += v1;
        c[at + 2] += v2;
        c[at + 3] += v3;
    }

    private static float dot(int kb, float[] a, int aAt, int ap, float[] b, int bAt, int bp) {
        float s = 0;
        for (int p = 0; p < kb; p++, aAt += ap, bAt += bp) {
            s += a[aAt] * b[bAt];
        }
        return s;
    }
}
