package org.neuralj.core.kernel;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The matrix product with the Vector API ({@code jdk.incubator.vector}), in the layout of the classic high-performance
 * GEMM (Goto; BLIS):
 *
 * <pre>
 * for each block of KC rows of op(B):       pack op(B)[KC × n] into panels of NR columns   (stays in L2/L3)
 *   for each block of MC rows of op(A):     pack op(A)[MC × KC] into panels of MR rows     (stays in L2)
 *     for each NR-column panel of B:        its KC × NR values stay in L1
 *       for each MR-row panel of A:         micro-kernel: an MR × NR tile of C in registers,
 *                                           KC rank-1 updates, each MR broadcasts × NR/L vector FMAs
 * </pre>
 *
 * Packing makes every operand contiguous in the order the micro-kernel reads it, whatever the transposition, and
 * pads the edges with zeros so that the micro-kernel always runs full tiles; an edge tile runs in a scratch tile and
 * only its valid part goes back to C. Products of few rows by an untransposed B skip packing: a batch of one at
 * inference, and up to {@value #DIRECT_ROWS} rows (a small training batch) when B is small and its rows are whole
 * vectors; rows of C are then accumulated in registers, four at a time, directly from the rows of B. So is a B
 * narrower than one vector (a classifier's last layer), one vector per row of C.
 *
 * <p>Each element of C is one chain of fused multiply-adds in the order of {@link GemmKernel}, whichever path computes
 * it: C is loaded into the registers before a block of the inner dimension and stored after it, and packing's zero
 * padding only adds exact zeros to lanes that are never stored.
 *
 * <p>Packing buffers are per thread, so the kernel is thread-safe and allocates nothing once warm.
 */
public final class VectorGemm implements GemmKernel {
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    /** Lanes per vector: 16 floats with AVX-512, 8 with AVX2. */
    private static final int L = SPECIES.length();
    /** Rows of the register tile. */
    private static final int MR = 8;
    /** Columns of the register tile: two vectors. */
    private static final int NR = 2 * L;
    /** Depth of one packed block: the micro-kernel's KC × NR panel of B stays in L1. */
    private static final int KC = 256;
    /** Rows of A per packed block (a multiple of MR): MC × KC floats stay in L2. */
    private static final int MC = 128;
    /** Columns of B per packed block (a multiple of NR). */
    private static final int NC = 1024;
    /** Below this many rows, rows of C are computed straight from unpacked operands. */
    private static final int SKINNY_ROWS = 4;
    /**
     * Up to this many rows, an untransposed B of whole-vector rows and at most {@value #DIRECT_B_VALUES} values is read
     * in place, four rows of C at a time: packing B (a layer's weights, for a small batch or a data-parallel share of
     * one) and A would cost more than the few row panels gain from it, and B stays in L1/L2 across the passes.
     */
    private static final int DIRECT_ROWS = 64;
    /** The largest B read in place: 128 KB. */
    private static final int DIRECT_B_VALUES = 32_768;

    private static final ThreadLocal<Buffers> BUFFERS = ThreadLocal.withInitial(Buffers::new);

    /** Per-thread packing space. */
    private static final class Buffers {
        final float[] a = new float[MC * KC];
        final float[] b = new float[KC * NC];
        final float[] tile = new float[MR * NR];
    }

    @Override
    public String name() {
        return "vector-" + SPECIES.vectorBitSize();
    }

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k,
                     float[] a, int aOffset, int lda, float[] b, int bOffset, int ldb,
                     float[] c, int cOffset, int ldc, boolean accumulate) {
        if (m == 0 || n == 0) {
            return;
        }
        if (!accumulate) {
            zero(m, n, c, cOffset, ldc);
        }
        if (k == 0) {
            return;
        }
        // op(A)[i, p] = a[aOffset + i·rowStep + p·colStep]
        int rowStep = transA ? 1 : lda, colStep = transA ? lda : 1;
        if (!transB && n < L) {
            float[] scratch = BUFFERS.get().tile;
            for (int i = 0; i < m; i += 4) {
                narrowRowsTimesMatrix(Math.min(4, m - i), n, k, a, aOffset + i * rowStep, rowStep, colStep,
                        b, bOffset, ldb, c, cOffset + i * ldc, ldc, scratch);
            }
            return;
        }
        if (!transB && (m < SKINNY_ROWS || m <= DIRECT_ROWS && n % L == 0 && (long) k * n <= DIRECT_B_VALUES)) {
            int i = 0;
            for (; i + 4 <= m; i += 4) {
                fourRowsTimesMatrix(n, k, a, aOffset + i * rowStep, rowStep, colStep, b, bOffset, ldb, c,
                        cOffset + i * ldc, ldc);
            }
            for (; i < m; i++) {
                rowTimesMatrix(n, k, a, aOffset + i * rowStep, colStep, b, bOffset, ldb, c, cOffset + i * ldc);
            }
            return;
        }
        Buffers buf = BUFFERS.get();
        for (int jc = 0; jc < n; jc += NC) {
            int nb = Math.min(NC, n - jc);
            for (int pc = 0; pc < k; pc += KC) {
                int kb = Math.min(KC, k - pc);
                packB(transB, b, bOffset, ldb, pc, jc, kb, nb, buf.b);
                for (int ic = 0; ic < m; ic += MC) {
                    int mb = Math.min(MC, m - ic);
                    packA(transA, a, aOffset, lda, ic, pc, mb, kb, buf.a);
                    for (int jr = 0; jr < nb; jr += NR) {
                        int cols = Math.min(NR, nb - jr);
                        int bPanel = jr * kb;
                        for (int ir = 0; ir < mb; ir += MR) {
                            int rows = Math.min(MR, mb - ir);
                            int aPanel = ir * kb;
                            int cAt = cOffset + (ic + ir) * ldc + jc + jr;
                            if (rows == MR && cols == NR) {
                                microKernel(kb, buf.a, aPanel, buf.b, bPanel, c, cAt, ldc);
                            } else {
                                // An edge tile runs in a full scratch tile holding the valid part of C.
                                copyTile(c, cAt, ldc, buf.tile, 0, NR, rows, cols, true);
                                microKernel(kb, buf.a, aPanel, buf.b, bPanel, buf.tile, 0, NR);
                                copyTile(buf.tile, 0, NR, c, cAt, ldc, rows, cols, false);
                            }
                        }
                    }
                }
            }
        }
    }

    private static void zero(int m, int n, float[] c, int cOffset, int ldc) {
        for (int i = 0; i < m; i++) {
            Arrays.fill(c, cOffset + i * ldc, cOffset + i * ldc + n, 0f);
        }
    }

    /**
     * C[0:MR, 0:NR] += Σ_p a[p, 0:MR]ᵀ · b[p, 0:NR]: one MR × NR tile of C held in 2·MR vector registers while
     * {@code kb} rank-1 updates stream past, each one broadcast of A per row and one FMA per vector.
     */
    private static void microKernel(int kb, float[] a, int aAt, float[] b, int bAt,
                                    float[] c, int cAt, int ldc) {
        FloatVector c00 = FloatVector.fromArray(SPECIES, c, cAt);
        FloatVector c01 = FloatVector.fromArray(SPECIES, c, cAt + L);
        FloatVector c10 = FloatVector.fromArray(SPECIES, c, cAt + ldc);
        FloatVector c11 = FloatVector.fromArray(SPECIES, c, cAt + ldc + L);
        FloatVector c20 = FloatVector.fromArray(SPECIES, c, cAt + 2 * ldc);
        FloatVector c21 = FloatVector.fromArray(SPECIES, c, cAt + 2 * ldc + L);
        FloatVector c30 = FloatVector.fromArray(SPECIES, c, cAt + 3 * ldc);
        FloatVector c31 = FloatVector.fromArray(SPECIES, c, cAt + 3 * ldc + L);
        FloatVector c40 = FloatVector.fromArray(SPECIES, c, cAt + 4 * ldc);
        FloatVector c41 = FloatVector.fromArray(SPECIES, c, cAt + 4 * ldc + L);
        FloatVector c50 = FloatVector.fromArray(SPECIES, c, cAt + 5 * ldc);
        FloatVector c51 = FloatVector.fromArray(SPECIES, c, cAt + 5 * ldc + L);
        FloatVector c60 = FloatVector.fromArray(SPECIES, c, cAt + 6 * ldc);
        FloatVector c61 = FloatVector.fromArray(SPECIES, c, cAt + 6 * ldc + L);
        FloatVector c70 = FloatVector.fromArray(SPECIES, c, cAt + 7 * ldc);
        FloatVector c71 = FloatVector.fromArray(SPECIES, c, cAt + 7 * ldc + L);
        for (int p = 0; p < kb; p++, aAt += MR, bAt += NR) {
            FloatVector b0 = FloatVector.fromArray(SPECIES, b, bAt);
            FloatVector b1 = FloatVector.fromArray(SPECIES, b, bAt + L);
            FloatVector x = FloatVector.broadcast(SPECIES, a[aAt]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            x = FloatVector.broadcast(SPECIES, a[aAt + 1]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            x = FloatVector.broadcast(SPECIES, a[aAt + 2]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            x = FloatVector.broadcast(SPECIES, a[aAt + 3]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
            x = FloatVector.broadcast(SPECIES, a[aAt + 4]);
            c40 = x.fma(b0, c40);
            c41 = x.fma(b1, c41);
            x = FloatVector.broadcast(SPECIES, a[aAt + 5]);
            c50 = x.fma(b0, c50);
            c51 = x.fma(b1, c51);
            x = FloatVector.broadcast(SPECIES, a[aAt + 6]);
            c60 = x.fma(b0, c60);
            c61 = x.fma(b1, c61);
            x = FloatVector.broadcast(SPECIES, a[aAt + 7]);
            c70 = x.fma(b0, c70);
            c71 = x.fma(b1, c71);
        }
        // C is loaded before the loop and stored after it (C was zeroed up front when not accumulating): adding C
        // after the loop instead ran 5x slower with C2 (JDK 17).
        c00.intoArray(c, cAt);
        c01.intoArray(c, cAt + L);
        c10.intoArray(c, cAt + ldc);
        c11.intoArray(c, cAt + ldc + L);
        c20.intoArray(c, cAt + 2 * ldc);
        c21.intoArray(c, cAt + 2 * ldc + L);
        c30.intoArray(c, cAt + 3 * ldc);
        c31.intoArray(c, cAt + 3 * ldc + L);
        c40.intoArray(c, cAt + 4 * ldc);
        c41.intoArray(c, cAt + 4 * ldc + L);
        c50.intoArray(c, cAt + 5 * ldc);
        c51.intoArray(c, cAt + 5 * ldc + L);
        c60.intoArray(c, cAt + 6 * ldc);
        c61.intoArray(c, cAt + 6 * ldc + L);
        c70.intoArray(c, cAt + 7 * ldc);
        c71.intoArray(c, cAt + 7 * ldc + L);
    }

    /** Copies a rows × cols block between C and the scratch tile, clearing the rest of the tile when filling it. */
    private static void copyTile(float[] from, int fromAt, int fromLd, float[] to, int toAt, int toLd,
                                 int rows, int cols, boolean clearRest) {
        if (clearRest) {
            Arrays.fill(to, 0f);
        }
        for (int r = 0; r < rows; r++) {
            System.arraycopy(from, fromAt + r * fromLd, to, toAt + r * toLd, cols);
        }
    }

    /**
     * Packs op(A)[i0 : i0+mb, p0 : p0+kb] into panels of MR rows; within a panel, the MR values of one column p are
     * adjacent (the micro-kernel's broadcasts). Rows past {@code mb} are zero.
     */
    private static void packA(boolean transA, float[] a, int aOffset, int lda, int i0, int p0, int mb, int kb,
                              float[] out) {
        for (int ir = 0; ir < mb; ir += MR) {
            int rows = Math.min(MR, mb - ir);
            int base = ir * kb;
            if (transA) {
                // op(A)[i, p] = a[p, i]: the MR values of one p are contiguous in a.
                for (int p = 0; p < kb; p++) {
                    int src = aOffset + (p0 + p) * lda + i0 + ir, dst = base + p * MR;
                    if (rows == MR) {
                        // A plain loop: C2 unrolls it, where a call to arraycopy for 8 values costs more than the copy.
                        for (int r = 0; r < MR; r++) {
                            out[dst + r] = a[src + r];
                        }
                    } else {
                        System.arraycopy(a, src, out, dst, rows);
                        Arrays.fill(out, dst + rows, dst + MR, 0f);
                    }
                }
            } else {
                for (int r = 0; r < MR; r++) {
                    if (r < rows) {
                        int src = aOffset + (i0 + ir + r) * lda + p0;
                        for (int p = 0; p < kb; p++) {
                            out[base + p * MR + r] = a[src + p];
                        }
                    } else {
                        for (int p = 0; p < kb; p++) {
                            out[base + p * MR + r] = 0f;
                        }
                    }
                }
            }
        }
    }

    /**
     * Packs op(B)[p0 : p0+kb, j0 : j0+nb] into panels of NR columns; within a panel, the NR values of one row p are
     * adjacent (the micro-kernel's vector loads). Columns past {@code nb} are zero.
     */
    private static void packB(boolean transB, float[] b, int bOffset, int ldb, int p0, int j0, int kb, int nb,
                              float[] out) {
        for (int jr = 0; jr < nb; jr += NR) {
            int cols = Math.min(NR, nb - jr);
            int base = jr * kb;
            if (transB) {
                // op(B)[p, j] = b[j, p]: read each stored row contiguously, write it as a column of the panel.
                for (int jj = 0; jj < NR; jj++) {
                    if (jj < cols) {
                        int src = bOffset + (j0 + jr + jj) * ldb + p0;
                        for (int p = 0; p < kb; p++) {
                            out[base + p * NR + jj] = b[src + p];
                        }
                    } else {
                        for (int p = 0; p < kb; p++) {
                            out[base + p * NR + jj] = 0f;
                        }
                    }
                }
            } else {
                for (int p = 0; p < kb; p++) {
                    int src = bOffset + (p0 + p) * ldb + j0 + jr, dst = base + p * NR;
                    if (cols == NR) {
                        FloatVector.fromArray(SPECIES, b, src).intoArray(out, dst);
                        FloatVector.fromArray(SPECIES, b, src + L).intoArray(out, dst + L);
                    } else {
                        System.arraycopy(b, src, out, dst, cols);
                        Arrays.fill(out, dst + cols, dst + NR, 0f);
                    }
                }
            }
        }
    }

    /**
     * C[0:4, 0:n] += Σ_p op(A)[0:4, p] · b[p, 0:n] for four rows of op(A) (element (r, p) at
     * {@code a[aAt + r·rowStep + p·colStep]}) and n a multiple of the vector length: a 4 × 4-vector tile of C stays in
     * registers while the rows of B stream past, then a 4 × 1-vector tile for the remaining vectors of a row.
     */
    private static void fourRowsTimesMatrix(int n, int k, float[] a, int aAt, int rowStep, int colStep,
                                            float[] b, int bOffset, int ldb, float[] c, int cAt, int ldc) {
        int a1 = aAt + rowStep, a2 = aAt + 2 * rowStep, a3 = aAt + 3 * rowStep;
        int j = 0;
        for (; j + 4 * L <= n; j += 4 * L) {
            int c0 = cAt + j, c1 = c0 + ldc, c2 = c1 + ldc, c3 = c2 + ldc;
            FloatVector s00 = FloatVector.fromArray(SPECIES, c, c0);
            FloatVector s01 = FloatVector.fromArray(SPECIES, c, c0 + L);
            FloatVector s02 = FloatVector.fromArray(SPECIES, c, c0 + 2 * L);
            FloatVector s03 = FloatVector.fromArray(SPECIES, c, c0 + 3 * L);
            FloatVector s10 = FloatVector.fromArray(SPECIES, c, c1);
            FloatVector s11 = FloatVector.fromArray(SPECIES, c, c1 + L);
            FloatVector s12 = FloatVector.fromArray(SPECIES, c, c1 + 2 * L);
            FloatVector s13 = FloatVector.fromArray(SPECIES, c, c1 + 3 * L);
            FloatVector s20 = FloatVector.fromArray(SPECIES, c, c2);
            FloatVector s21 = FloatVector.fromArray(SPECIES, c, c2 + L);
            FloatVector s22 = FloatVector.fromArray(SPECIES, c, c2 + 2 * L);
            FloatVector s23 = FloatVector.fromArray(SPECIES, c, c2 + 3 * L);
            FloatVector s30 = FloatVector.fromArray(SPECIES, c, c3);
            FloatVector s31 = FloatVector.fromArray(SPECIES, c, c3 + L);
            FloatVector s32 = FloatVector.fromArray(SPECIES, c, c3 + 2 * L);
            FloatVector s33 = FloatVector.fromArray(SPECIES, c, c3 + 3 * L);
            for (int p = 0, ap = 0, bi = bOffset + j; p < k; p++, ap += colStep, bi += ldb) {
                FloatVector b0 = FloatVector.fromArray(SPECIES, b, bi);
                FloatVector b1 = FloatVector.fromArray(SPECIES, b, bi + L);
                FloatVector b2 = FloatVector.fromArray(SPECIES, b, bi + 2 * L);
                FloatVector b3 = FloatVector.fromArray(SPECIES, b, bi + 3 * L);
                FloatVector x = FloatVector.broadcast(SPECIES, a[aAt + ap]);
                s00 = x.fma(b0, s00);
                s01 = x.fma(b1, s01);
                s02 = x.fma(b2, s02);
                s03 = x.fma(b3, s03);
                x = FloatVector.broadcast(SPECIES, a[a1 + ap]);
                s10 = x.fma(b0, s10);
                s11 = x.fma(b1, s11);
                s12 = x.fma(b2, s12);
                s13 = x.fma(b3, s13);
                x = FloatVector.broadcast(SPECIES, a[a2 + ap]);
                s20 = x.fma(b0, s20);
                s21 = x.fma(b1, s21);
                s22 = x.fma(b2, s22);
                s23 = x.fma(b3, s23);
                x = FloatVector.broadcast(SPECIES, a[a3 + ap]);
                s30 = x.fma(b0, s30);
                s31 = x.fma(b1, s31);
                s32 = x.fma(b2, s32);
                s33 = x.fma(b3, s33);
            }
            s00.intoArray(c, c0);
            s01.intoArray(c, c0 + L);
            s02.intoArray(c, c0 + 2 * L);
            s03.intoArray(c, c0 + 3 * L);
            s10.intoArray(c, c1);
            s11.intoArray(c, c1 + L);
            s12.intoArray(c, c1 + 2 * L);
            s13.intoArray(c, c1 + 3 * L);
            s20.intoArray(c, c2);
            s21.intoArray(c, c2 + L);
            s22.intoArray(c, c2 + 2 * L);
            s23.intoArray(c, c2 + 3 * L);
            s30.intoArray(c, c3);
            s31.intoArray(c, c3 + L);
            s32.intoArray(c, c3 + 2 * L);
            s33.intoArray(c, c3 + 3 * L);
        }
        for (; j < n; j += L) {
            int c0 = cAt + j, c1 = c0 + ldc, c2 = c1 + ldc, c3 = c2 + ldc;
            FloatVector s0 = FloatVector.fromArray(SPECIES, c, c0);
            FloatVector s1 = FloatVector.fromArray(SPECIES, c, c1);
            FloatVector s2 = FloatVector.fromArray(SPECIES, c, c2);
            FloatVector s3 = FloatVector.fromArray(SPECIES, c, c3);
            for (int p = 0, ap = 0, bi = bOffset + j; p < k; p++, ap += colStep, bi += ldb) {
                FloatVector bv = FloatVector.fromArray(SPECIES, b, bi);
                s0 = FloatVector.broadcast(SPECIES, a[aAt + ap]).fma(bv, s0);
                s1 = FloatVector.broadcast(SPECIES, a[a1 + ap]).fma(bv, s1);
                s2 = FloatVector.broadcast(SPECIES, a[a2 + ap]).fma(bv, s2);
                s3 = FloatVector.broadcast(SPECIES, a[a3 + ap]).fma(bv, s3);
            }
            s0.intoArray(c, c0);
            s1.intoArray(c, c1);
            s2.intoArray(c, c2);
            s3.intoArray(c, c3);
        }
    }

    /**
     * C[0:rows, 0:n] += Σ_p op(A)[0:rows, p] · b[p, 0:n] for B narrower than one vector ({@code n < L}: a
     * classifier's last layer) and up to four rows: each row of C accumulates in one vector, whose lanes past n take
     * whatever follows row p of B and are never stored. C goes in and out through {@code scratch}; the last rows of B,
     * where a whole vector would read past the array, are added lane by lane in the same order.
     */
    private static void narrowRowsTimesMatrix(int rows, int n, int k, float[] a, int aAt, int rowStep, int colStep,
                                              float[] b, int bOffset, int ldb, float[] c, int cAt, int ldc,
                                              float[] scratch) {
        // absent rows repeat the last one: computed, never stored
        int a1 = aAt + Math.min(1, rows - 1) * rowStep, a2 = aAt + Math.min(2, rows - 1) * rowStep;
        int a3 = aAt + Math.min(3, rows - 1) * rowStep;
        for (int r = 0; r < rows; r++) {
            System.arraycopy(c, cAt + r * ldc, scratch, r * L, n);
        }
        // rows p of B that a whole vector can be read from: bOffset + p·ldb + L ≤ b.length
        long room = (long) b.length - L - bOffset;
        int vectorRows = room < 0 ? 0 : (int) Math.min(k, room / ldb + 1);
        FloatVector s0 = FloatVector.fromArray(SPECIES, scratch, 0);
        FloatVector s1 = FloatVector.fromArray(SPECIES, scratch, L);
        FloatVector s2 = FloatVector.fromArray(SPECIES, scratch, 2 * L);
        FloatVector s3 = FloatVector.fromArray(SPECIES, scratch, 3 * L);
        int p = 0;
        for (int ap = 0, bi = bOffset; p < vectorRows; p++, ap += colStep, bi += ldb) {
            FloatVector bv = FloatVector.fromArray(SPECIES, b, bi);
            s0 = FloatVector.broadcast(SPECIES, a[aAt + ap]).fma(bv, s0);
            s1 = FloatVector.broadcast(SPECIES, a[a1 + ap]).fma(bv, s1);
            s2 = FloatVector.broadcast(SPECIES, a[a2 + ap]).fma(bv, s2);
            s3 = FloatVector.broadcast(SPECIES, a[a3 + ap]).fma(bv, s3);
        }
        s0.intoArray(scratch, 0);
        s1.intoArray(scratch, L);
        s2.intoArray(scratch, 2 * L);
        s3.intoArray(scratch, 3 * L);
        for (; p < k; p++) {
            for (int r = 0; r < rows; r++) {
                float x = a[aAt + r * rowStep + p * colStep];
                for (int j = 0, bi = bOffset + p * ldb; j < n; j++) {
                    scratch[r * L + j] = Math.fma(x, b[bi + j], scratch[r * L + j]);
                }
            }
        }
        for (int r = 0; r < rows; r++) {
            System.arraycopy(scratch, r * L, c, cAt + r * ldc, n);
        }
    }

    /**
     * c[0:n] += Σ_p x[p] · b[p, 0:n] for one row x of op(A) (element p at {@code x[xAt + p·xStep]}): four vectors of
     * C at a time stay in registers while the rows of B stream past; no packing, for a batch of one.
     */
    private static void rowTimesMatrix(int n, int k, float[] x, int xAt, int xStep, float[] b, int bOffset, int ldb,
                                       float[] c, int cAt) {
        int j = 0;
        for (; j + 4 * L <= n; j += 4 * L) {
            FloatVector s0 = FloatVector.fromArray(SPECIES, c, cAt + j);
            FloatVector s1 = FloatVector.fromArray(SPECIES, c, cAt + j + L);
            FloatVector s2 = FloatVector.fromArray(SPECIES, c, cAt + j + 2 * L);
            FloatVector s3 = FloatVector.fromArray(SPECIES, c, cAt + j + 3 * L);
            for (int p = 0, xi = xAt, bi = bOffset + j; p < k; p++, xi += xStep, bi += ldb) {
                FloatVector xv = FloatVector.broadcast(SPECIES, x[xi]);
                s0 = xv.fma(FloatVector.fromArray(SPECIES, b, bi), s0);
                s1 = xv.fma(FloatVector.fromArray(SPECIES, b, bi + L), s1);
                s2 = xv.fma(FloatVector.fromArray(SPECIES, b, bi + 2 * L), s2);
                s3 = xv.fma(FloatVector.fromArray(SPECIES, b, bi + 3 * L), s3);
            }
            s0.intoArray(c, cAt + j);
            s1.intoArray(c, cAt + j + L);
            s2.intoArray(c, cAt + j + 2 * L);
            s3.intoArray(c, cAt + j + 3 * L);
        }
        for (; j + L <= n; j += L) {
            FloatVector s = FloatVector.fromArray(SPECIES, c, cAt + j);
            for (int p = 0, xi = xAt, bi = bOffset + j; p < k; p++, xi += xStep, bi += ldb) {
                s = FloatVector.broadcast(SPECIES, x[xi]).fma(FloatVector.fromArray(SPECIES, b, bi), s);
            }
            s.intoArray(c, cAt + j);
        }
        for (; j < n; j++) {
            float s = c[cAt + j];
            for (int p = 0, xi = xAt, bi = bOffset + j; p < k; p++, xi += xStep, bi += ldb) {
                s = Math.fma(x[xi], b[bi], s);
            }
            c[cAt + j] = s;
        }
    }
}
