package org.neuralj.core.kernel;

import java.util.Arrays;

/**
 * The portable matrix product in plain Java, used when the Vector API is not available (or when forced with
 * {@code -Dneuralj.gemm=scalar}).
 *
 * <p>It walks C in 4 × 4 tiles held in sixteen local variables (registers) over a block of KC steps of the inner
 * dimension, so every loaded value of A and B is used four times. Transposition is only a choice of strides:
 * {@code op(A)[i, p] = a[i·ai + p·ap]}. Blocking the inner dimension keeps the rows of A and B that a block of tiles
 * revisits in cache. Each element is the fused multiply-add chain of {@link GemmKernel}, like the vector kernel's.
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
                            int at = cOffset + (i + r) * ldc + j;
                            c[at] = dot(kb, a, aOffset + (i + r) * ai + pc * ap, ap, b, bOffset + pc * bp + j * bj,
                                    bp, c[at]);
                        }
                    }
                }
                for (; i < m; i++) {
                    if (!transB) {
                        rowTimesMatrix(kb, a, aOffset + i * ai + pc * ap, ap, b, bOffset + pc * ldb, ldb,
                                c, cOffset + i * ldc, jc, jEnd);
                        continue;
                    }
                    for (int j = jc; j < jEnd; j++) {
                        int at = cOffset + i * ldc + j;
                        c[at] = dot(kb, a, aOffset + i * ai + pc * ap, ap, b, bOffset + pc * bp + j * bj, bp, c[at]);
                    }
                }
            }
        }
    }

    /** C[0:4, 0:4] += Σ_p A[0:4, p] · B[p, 0:4] with the tile in sixteen locals. */
    private static void tile4x4(int kb, float[] a, int aAt, int ai, int ap, float[] b, int bAt, int bp, int bj,
                                float[] c, int cAt, int ldc) {
        int r1 = cAt + ldc, r2 = r1 + ldc, r3 = r2 + ldc;
        float c00 = c[cAt], c01 = c[cAt + 1], c02 = c[cAt + 2], c03 = c[cAt + 3];
        float c10 = c[r1], c11 = c[r1 + 1], c12 = c[r1 + 2], c13 = c[r1 + 3];
        float c20 = c[r2], c21 = c[r2 + 1], c22 = c[r2 + 2], c23 = c[r2 + 3];
        float c30 = c[r3], c31 = c[r3 + 1], c32 = c[r3 + 2], c33 = c[r3 + 3];
        for (int p = 0; p < kb; p++, aAt += ap, bAt += bp) {
            float a0 = a[aAt], a1 = a[aAt + ai], a2 = a[aAt + 2 * ai], a3 = a[aAt + 3 * ai];
            float b0 = b[bAt], b1 = b[bAt + bj], b2 = b[bAt + 2 * bj], b3 = b[bAt + 3 * bj];
            c00 = Math.fma(a0, b0, c00);
            c01 = Math.fma(a0, b1, c01);
            c02 = Math.fma(a0, b2, c02);
            c03 = Math.fma(a0, b3, c03);
            c10 = Math.fma(a1, b0, c10);
            c11 = Math.fma(a1, b1, c11);
            c12 = Math.fma(a1, b2, c12);
            c13 = Math.fma(a1, b3, c13);
            c20 = Math.fma(a2, b0, c20);
            c21 = Math.fma(a2, b1, c21);
            c22 = Math.fma(a2, b2, c22);
            c23 = Math.fma(a2, b3, c23);
            c30 = Math.fma(a3, b0, c30);
            c31 = Math.fma(a3, b1, c31);
            c32 = Math.fma(a3, b2, c32);
            c33 = Math.fma(a3, b3, c33);
        }
        setRow(c, cAt, c00, c01, c02, c03);
        setRow(c, r1, c10, c11, c12, c13);
        setRow(c, r2, c20, c21, c22, c23);
        setRow(c, r3, c30, c31, c32, c33);
    }

    private static void setRow(float[] c, int at, float v0, float v1, float v2, float v3) {
        c[at] = v0;
        c[at + 1] = v1;
        c[at + 2] = v2;
        c[at + 3] = v3;
    }

    /** {@code s} followed by the chain of products of a row of A and a column of B. */
    private static float dot(int kb, float[] a, int aAt, int ap, float[] b, int bAt, int bp, float s) {
        for (int p = 0; p < kb; p++, aAt += ap, bAt += bp) {
            s = Math.fma(a[aAt], b[bAt], s);
        }
        return s;
    }

    /** C[i, jFrom:jTo] += Σ_p x[p] · B[p, jFrom:jTo]: a row of C as a sum of rows of B, along contiguous memory. */
    private static void rowTimesMatrix(int kb, float[] a, int xAt, int xStep, float[] b, int bAt, int ldb,
                                       float[] c, int cRow, int jFrom, int jTo) {
        for (int p = 0; p < kb; p++, xAt += xStep, bAt += ldb) {
            float x = a[xAt];
            for (int j = jFrom; j < jTo; j++) {
                c[cRow + j] = Math.fma(x, b[bAt + j], c[cRow + j]);
            }
        }
    }
}
