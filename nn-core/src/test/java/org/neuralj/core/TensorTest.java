package org.neuralj.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class TensorTest {

    /** The textbook definition, in double, as the reference for every product form. */
    private static double[][] reference(Tensor a, boolean ta, Tensor b, boolean tb) {
        int m = ta ? a.cols() : a.rows(), k = ta ? a.rows() : a.cols();
        int n = tb ? b.rows() : b.cols();
        double[][] c = new double[m][n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int p = 0; p < k; p++) {
                    s += (double) (ta ? a.get(p, i) : a.get(i, p)) * (tb ? b.get(j, p) : b.get(p, j));
                }
                c[i][j] = s;
            }
        }
        return c;
    }

    private static void assertClose(Tensor actual, double[][] expected, double tol) {
        assertThat(actual.rows()).isEqualTo(expected.length);
        for (int i = 0; i < expected.length; i++) {
            for (int j = 0; j < expected[i].length; j++) {
                assertThat((double) actual.get(i, j)).as("(%d, %d)", i, j).isCloseTo(expected[i][j], within(tol));
            }
        }
    }

    @Test
    void matrixProductsMatchTheDefinitionInAllThreeForms() {
        Rng rng = new Rng(1);
        int[][] shapes = {{1, 1, 1}, {3, 5, 2}, {7, 1, 9}, {17, 33, 5}, {2, 64, 30}};
        for (int[] s : shapes) {
            int m = s[0], k = s[1], n = s[2];
            Tensor a = Tensor.randn(rng, m, k), b = Tensor.randn(rng, k, n);
            assertClose(a.matmul(b), reference(a, false, b, false), 1e-4 * k);

            Tensor at = Tensor.randn(rng, k, m), out = Tensor.zeros(m, n);
            Tensor.multTransA(at, b, out);
            assertClose(out, reference(at, true, b, false), 1e-4 * k);

            Tensor bt = Tensor.randn(rng, n, k);
            Tensor.multTransB(a, bt, out);
            assertClose(out, reference(a, false, bt, true), 1e-4 * k);
        }
    }

    @Test
    void accumulateAddsToTheOutput() {
        Rng rng = new Rng(2);
        Tensor a = Tensor.randn(rng, 4, 3), b = Tensor.randn(rng, 3, 5);
        Tensor out = Tensor.full(1f, 4, 5);
        Tensor.multAdd(a, b, out);
        double[][] ref = reference(a, false, b, false);
        for (double[] row : ref) {
            for (int j = 0; j < row.length; j++) {
                row[j] += 1;
            }
        }
        assertClose(out, ref, 1e-5);
    }

    @Test
    void shapeMismatchNamesBothShapes() {
        Tensor a = Tensor.zeros(2, 3), b = Tensor.zeros(4, 5);
        assertThatThrownBy(() -> a.matmul(b)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("[2, 3]").hasMessageContaining("[4, 5]");
        assertThatThrownBy(() -> a.add(Tensor.zeros(3, 2))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("[2, 3]").hasMessageContaining("[3, 2]");
    }

    @Test
    void elementWiseOperations() {
        Tensor a = Tensor.of(new float[] {1, 2, 3, 4}, 2, 2);
        Tensor b = Tensor.of(new float[] {10, 20, 30, 40}, 2, 2);
        assertThat(a.add(b).toArray()).containsExactly(11, 22, 33, 44);
        assertThat(b.sub(a).toArray()).containsExactly(9, 18, 27, 36);
        assertThat(a.mul(b).toArray()).containsExactly(10, 40, 90, 160);
        assertThat(a.scale(0.5f).toArray()).containsExactly(0.5f, 1, 1.5f, 2);
        assertThat(a.map(x -> x * x).toArray()).containsExactly(1, 4, 9, 16);
        assertThat(a.copy().addScaledInPlace(b, -0.1f).toArray()).containsExactly(0, 0, 0, 0);
        assertThat(a.toArray()).as("non-in-place forms leave the operand alone").containsExactly(1, 2, 3, 4);
        assertThat(a.sum()).isEqualTo(10);
        assertThat(a.mean()).isEqualTo(2.5);
    }

    @Test
    void biasBroadcastColumnSumsAndArgmax() {
        Tensor a = Tensor.of(new float[] {1, 5, 2, 7, 0, 3}, 2, 3);
        a.addRowVectorInPlace(Tensor.of(new float[] {1, -1, 0}, 3));
        assertThat(a.toArray()).containsExactly(2, 4, 2, 8, -1, 3);
        assertThat(a.sumColumns().toArray()).containsExactly(10, 3, 5);
        assertThat(Classes.of(a)).containsExactly(1, 0);
        assertThat(Classes.of(Tensor.of(new float[] {0.2f, 0.5f, 0.7f}, 3, 1))).as("one column: the 0.5 threshold")
                .containsExactly(0, 1, 1);
        assertThatThrownBy(() -> a.addRowVectorInPlace(Tensor.zeros(2)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("3").hasMessageContaining("2");
    }

    @Test
    void reuseKeepsTheArrayForSmallerBatches() {
        Tensor buffer = Tensor.zeros(10, 4);
        assertThat(Tensor.reuse(buffer, 10, 4)).isSameAs(buffer);
        Tensor smaller = Tensor.reuse(buffer, 7, 4);
        assertThat(smaller.shape()).containsExactly(7, 4);
        assertThat(smaller.data()).isSameAs(buffer.data());
        assertThat(Tensor.reuse(buffer, 11, 4).data()).isNotSameAs(buffer.data());
        assertThat(smaller.copy().data()).hasSize(28);
    }

    @Test
    void gatherRowsCopiesRowsInIndexOrder() {
        Tensor a = Tensor.of(new float[] {0, 0, 1, 1, 2, 2}, 3, 2);
        Tensor out = Tensor.zeros(2, 2);
        a.gatherRows(new int[] {2, 0, 1}, 0, 2, out);
        assertThat(out.toArray()).containsExactly(2, 2, 0, 0);
    }

    @Test
    void factoriesValidateShapes() {
        assertThatThrownBy(() -> Tensor.zeros(2, -1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-1");
        assertThatThrownBy(() -> Tensor.of(new float[3], 2, 2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("3").hasMessageContaining("4");
        assertThatThrownBy(() -> Tensor.fromRows(new double[][] {{1, 2}, {3}}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("row 1");
    }

    @Test
    void randnHasStandardNormalStatisticsAndIsSeeded() {
        Tensor t = Tensor.randn(new Rng(5), 100_000);
        double mean = t.mean();
        double var = t.map(x -> x * x).mean() - mean * mean;
        assertThat(mean).isCloseTo(0, within(0.02));
        assertThat(var).isCloseTo(1, within(0.02));
        assertThat(Tensor.randn(new Rng(5), 100_000).contentEquals(t)).isTrue();
        Tensor u = Tensor.uniform(new Rng(6), -2, 3, 10_000);
        for (float x : u.toArray()) {
            assertThat(x).isBetween(-2f, 3f);
        }
    }

    @Test
    void firstNonFiniteFindsNaNAndInfinity() {
        Tensor t = Tensor.zeros(2, 3);
        assertThat(t.isFinite()).isTrue();
        t.set(1, 1, Float.POSITIVE_INFINITY);
        assertThat(t.firstNonFinite()).isEqualTo(4);
        t.set(0, 2, Float.NaN);
        assertThat(t.firstNonFinite()).isEqualTo(2);
    }
}
