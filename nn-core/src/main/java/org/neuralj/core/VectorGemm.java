package org.neuralj.core;

import java.util.Arrays;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The fast matrix-product kernel, on the Vector API (Goto's scheme, in miniature):
 *
 * <ul>
 *   <li>op(B) is copied ("packed") in blocks of KC rows into panels of NR = 2 vectors of columns, contiguous in the
 *       order the micro-kernel reads them, zero-padded at the edge; op(A) in strips of MR = 6 rows. Packing also
 *       absorbs the transposes, so all three forms share one micro-kernel.</li>
 *   <li>The micro-kernel keeps a 6 × 2-vector tile of C in 12 registers and adds one rank-1 update per step of k:
 *       two vector loads of B, six broadcasts of A, twelve fused multiply-adds.</li>
 *   <li>Large products are split between two threads by columns (at panel boundaries, so each element's sum is
 *       formed in the same order: results do not depend on the split).</li>
 *   <li>Products with fewer than six rows (batch-1 inference) skip packing: each row of C is a vectorised
 *       combination of rows of B, or a set of vectorised dot products when B is transposed.</li>
 * </ul>
 *
 * Arguments as in {@link Gemm#gemm}. This class needs {@code --add-modules jdk.incubator.vector}; {@link Gemm}
 * falls back to {@link ScalarGemm} when loading it fails.
 */
final class VectorGemm {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final int MR = 6;
    private static final int NR = 2 * L;
    private static final int KC = 256;
    private static final int NC = 1024;
    /** Multiply-adds from which a second thread pays for its hand-over (about 50 µs of work). */
    private static final long PARALLEL_WORK = 1L << 21;
    private static final boolean PARALLEL = ForkJoinPool.getCommonPoolParallelism() >= 1
            && Runtime.getRuntime().availableProcessors() >= 2;
    private static final ThreadLocal<Buffers> BUFFERS = ThreadLocal.withInitial(Buffers::new);

    private VectorGemm() {
    }

    /** Whether the vector kernel is worth using: at least 4 float lanes. Throws a LinkageError without the module. */
    static boolean available() {
        return L >= 4;
    }

    static int lanes() {
        return L;
    }

    static void gemm(boolean ta, boolean tb, int m, int n, int k,
                     float[] a, int lda, float[] b, int ldb, float[] c, int ldc, boolean accumulate) {
        if (!accumulate) {
            for (int i = 0; i < m; i++) {
                Arrays.fill(c, i * ldc, i * ldc + n, 0f);
            }
        }
        if (k == 0) {
            return;
        }
        if (m < MR && !ta) {
            if (tb) {
                skinnyDots(m, n, k, a, lda, b, ldb, c, ldc);
            } else {
                skinnyRows(m, n, k, a, lda, b, ldb, c, ldc);
            }
            return;
        }
        long work = (long) m * n * k;
        if (PARALLEL && work >= PARALLEL_WORK && n >= 2 * NR) {
            int half = (n / 2 + NR - 1) / NR * NR;
            ForkJoinTask<?> right = ForkJoinPool.commonPool().submit(
                    () -> blocked(ta, tb, m, k, a, lda, b, ldb, c, ldc, 0, m, half, n));
            blocked(ta, tb, m, k, a, lda, b, ldb, c, ldc, 0, m, 0, half);
            right.join();
        } else if (PARALLEL && work >= PARALLEL_WORK && m >= 4 * MR) {
            int half = (m / 2 + MR - 1) / MR * MR;
            ForkJoinTask<?> bottom = ForkJoinPool.commonPool().submit(
                    () -> blocked(ta, tb, m, k, a, lda, b, ldb, c, ldc, half, m, 0, n));
            blocked(ta, tb, m, k, a, lda, b, ldb, c, ldc, 0, half, 0, n);
            bottom.join();
        } else {
            blocked(ta, tb, m, k, a, lda, b, ldb, c, ldc, 0, m, 0, n);
        }
    }

    /** C[i0..i1, j0..j1) += op(A)·op(B) restricted to those rows and columns. */
    private static void blocked(boolean ta, boolean tb, int m, int k, float[] a, int lda, float[] b, int ldb,
                                float[] c, int ldc, int i0, int i1, int j0, int j1) {
        Buffers buf = BUFFERS.get();
        for (int jc = j0; jc < j1; jc += NC) {
            int nc = Math.min(NC, j1 - jc);
            int panels = (nc + NR - 1) / NR;
            for (int pc = 0; pc < k; pc += KC) {
                int kc = Math.min(KC, k - pc);
                float[] bp = buf.packedB(panels * NR * kc);
                packB(tb, b, ldb, pc, kc, jc, nc, panels, bp);
                float[] ap = buf.packedA(MR * kc);
                for (int ic = i0; ic < i1; ic += MR) {
                    int mr = Math.min(MR, i1 - ic);
                    packA(ta, a, lda, ic, mr, pc, kc, ap);
                    for (int jp = 0; jp < panels; jp++) {
                        int nr = Math.min(NR, nc - jp * NR);
                        microKernel(ap, bp, jp * NR * kc, kc, c, ldc, ic, jc + jp * NR, mr, nr, buf.tile);
                    }
                }
            }
        }
    }

    /** Packs op(B)[pc..pc+kc, jc..jc+nc) as panels of NR columns: panel q, row p at {@code (q·kc + p)·NR}. */
    private static void packB(boolean tb, float[] b, int ldb, int pc, int kc, int jc, int nc, int panels, float[] bp) {
        for (int q = 0; q < panels; q++) {
            int col0 = jc + q * NR, width = Math.min(NR, nc - q * NR), base = q * kc * NR;
            if (!tb) {
                for (int p = 0; p < kc; p++) {
                    int dst = base + p * NR;
                    System.arraycopy(b, (pc + p) * ldb + col0, bp, dst, width);
                    if (width < NR) {
                        Arrays.fill(bp, dst + width, dst + NR, 0f);
                    }
                }
            } else {
                for (int j = 0; j < width; j++) {
                    int src = (col0 + j) * ldb + pc;
                    for (int p = 0; p < kc; p++) {
                        bp[base + p * NR + j] = b[src + p];
                    }
                }
                if (width < NR) {
                    for (int p = 0; p < kc; p++) {
                        Arrays.fill(bp, base + p * NR + width, base + (p + 1) * NR, 0f);
                    }
                }
            }
        }
    }

    /** Packs op(A)[ic..ic+mr, pc..pc+kc) with row r of step p at {@code p·MR + r}, zero rows beyond mr. */
    private static void packA(boolean ta, float[] a, int lda, int ic, int mr, int pc, int kc, float[] ap) {
        if (ta) {
            for (int p = 0; p < kc; p++) {
                int src = (pc + p) * lda + ic, dst = p * MR;
                for (int r = 0; r < mr; r++) {
                    ap[dst + r] = a[src + r];
                }
                for (int r = mr; r < MR; r++) {
                    ap[dst + r] = 0f;
                }
            }
        } else {
            for (int r = 0; r < MR; r++) {
                if (r < mr) {
                    int src = (ic + r) * lda + pc;
                    for (int p = 0; p < kc; p++) {
                        ap[p * MR + r] = a[src + p];
                    }
                } else {
                    for (int p = 0; p < kc; p++) {
                        ap[p * MR + r] = 0f;
                    }
                }
            }
        }
    }

    /** C[row.., col..] += (packed A strip) · (packed B panel) for an mr × nr tile, kept in 12 vector registers. */
    private static void microKernel(float[] ap, float[] bp, int bOff, int kc, float[] c, int ldc, int row, int col,
                                    int mr, int nr, float[] tile) {
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
        FloatVector c40 = FloatVector.zero(S), c41 = FloatVector.zero(S);
        FloatVector c50 = FloatVector.zero(S), c51 = FloatVector.zero(S);
        for (int p = 0, ai = 0, bi = bOff; p < kc; p++, ai += MR, bi += NR) {
            FloatVector b0 = FloatVector.fromArray(S, bp, bi);
            FloatVector b1 = FloatVector.fromArray(S, bp, bi + L);
            FloatVector x = FloatVector.broadcast(S, ap[ai]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            x = FloatVector.broadcast(S, ap[ai + 1]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            x = FloatVector.broadcast(S, ap[ai + 2]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            x = FloatVector.broadcast(S, ap[ai + 3]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
            x = FloatVector.broadcast(S, ap[ai + 4]);
            c40 = x.fma(b0, c40);
            c41 = x.fma(b1, c41);
            x = FloatVector.broadcast(S, ap[ai + 5]);
            c50 = x.fma(b0, c50);
            c51 = x.fma(b1, c51);
        }
        if (mr == MR && nr == NR) {
            addTo(c, row * ldc + col, c00, c01);
            addTo(c, (row + 1) * ldc + col, c10, c11);
            addTo(c, (row + 2) * ldc + col, c20, c21);
            addTo(c, (row + 3) * ldc + col, c30, c31);
            addTo(c, (row + 4) * ldc + col, c40, c41);
            addTo(c, (row + 5) * ldc + col, c50, c51);
            return;
        }
        // an edge tile: spill, then add only the rows and columns that exist
        c00.intoArray(tile, 0);
        c01.intoArray(tile, L);
        c10.intoArray(tile, NR);
        c11.intoArray(tile, NR + L);
        c20.intoArray(tile, 2 * NR);
        c21.intoArray(tile, 2 * NR + L);
        c30.intoArray(tile, 3 * NR);
        c31.intoArray(tile, 3 * NR + L);
        c40.intoArray(tile, 4 * NR);
        c41.intoArray(tile, 4 * NR + L);
        c50.intoArray(tile, 5 * NR);
        c51.intoArray(tile, 5 * NR + L);
        for (int r = 0; r < mr; r++) {
            int dst = (row + r) * ldc + col;
            for (int j = 0; j < nr; j++) {
                c[dst + j] += tile[r * NR + j];
            }
        }
    }

    private static void addTo(float[] c, int off, FloatVector v0, FloatVector v1) {
        FloatVector.fromArray(S, c, off).add(v0).intoArray(c, off);
        FloatVector.fromArray(S, c, off + L).add(v1).intoArray(c, off + L);
    }

    /** Few rows, B not transposed: {@code C[i,:] += Σ_p A[i,p] · B[p,:]}, vectorised along the rows of B. */
    private static void skinnyRows(int m, int n, int k, float[] a, int lda, float[] b, int ldb, float[] c, int ldc) {
        int vecEnd = S.loopBound(n);
        for (int i = 0; i < m; i++) {
            int ci = i * ldc;
            for (int p = 0; p < k; p++) {
                float aip = a[i * lda + p];
                FloatVector av = FloatVector.broadcast(S, aip);
                int bp = p * ldb;
                int j = 0;
                for (; j < vecEnd; j += L) {
                    FloatVector.fromArray(S, b, bp + j).fma(av, FloatVector.fromArray(S, c, ci + j))
                            .intoArray(c, ci + j);
                }
                for (; j < n; j++) {
                    c[ci + j] += aip * b[bp + j];
                }
            }
        }
    }

    /** Few rows, B transposed: {@code C[i,j] += A[i,:] · B[j,:]}, each a vectorised dot product. */
    private static void skinnyDots(int m, int n, int k, float[] a, int lda, float[] b, int ldb, float[] c, int ldc) {
        int vecEnd = S.loopBound(k);
        for (int i = 0; i < m; i++) {
            int ai = i * lda;
            for (int j = 0; j < n; j++) {
                int bj = j * ldb;
                FloatVector acc = FloatVector.zero(S);
                int p = 0;
                for (; p < vecEnd; p += L) {
                    acc = FloatVector.fromArray(S, a, ai + p).fma(FloatVector.fromArray(S, b, bj + p), acc);
                }
                float s = acc.reduceLanes(VectorOperators.ADD);
                for (; p < k; p++) {
                    s += a[ai + p] * b[bj + p];
                }
                c[i * ldc + j] += s;
            }
        }
    }

    /** Per-thread packing buffers, grown on demand and then reused: steady-state products allocate nothing. */
    private static final class Buffers {
        private float[] a = new float[MR * KC];
        private float[] b = new float[KC * NR * 8];
        private final float[] tile = new float[MR * NR];

        float[] packedA(int size) {
            if (a.length < size) {
                a = new float[size];
            }
            return a;
        }

        float[] packedB(int size) {
            if (b.length < size) {
                b = new float[size];
            }
            return b;
        }
    }
}
