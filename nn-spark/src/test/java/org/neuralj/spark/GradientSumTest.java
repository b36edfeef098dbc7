package org.neuralj.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.neuralj.core.Rng;

/** The round's gradient sum: one fixed order of additions whatever order the partitions arrive in. */
class GradientSumTest {
    private static final int LENGTH = 257;

    private static float[][] gradients(int partitions, long seed) {
        Rng rng = new Rng(seed);
        float[][] g = new float[partitions][LENGTH];
        for (float[] row : g) {
            for (int i = 0; i < LENGTH; i++) {
                // magnitudes over six decades, so that the order of float additions shows in the result
                row[i] = (float) (rng.nextGaussian() * Math.pow(10, rng.nextInt(6) - 3));
            }
        }
        return g;
    }

    private static GradientSum sumInOrder(float[][] g, int[] order) {
        GradientSum sum = GradientSum.empty(g.length);
        for (int p : order) {
            sum.add(p, g[p].clone(), p, 1, p);
        }
        return sum;
    }

    @Test
    void everyArrivalOrderGivesTheSameBitsAsTheCanonicalTree() {
        float[][] g = gradients(5, 1);
        // the tree over 5 partitions: ((0 + 1) + (2 + 3)) + 4
        float[] expected = new float[LENGTH];
        for (int i = 0; i < LENGTH; i++) {
            expected[i] = ((g[0][i] + g[1][i]) + (g[2][i] + g[3][i])) + g[4][i];
        }
        Rng rng = new Rng(2);
        for (int trial = 0; trial < 20; trial++) {
            GradientSum sum = sumInOrder(g, rng.permutation(5));

            assertThat(sum.complete()).isTrue();
            assertThat(sum.gradient()).isEqualTo(expected);
            assertThat(sum.loss()).isEqualTo(((0.0 + 1) + (2 + 3)) + 4);
            assertThat(sum.computeNanos()).isEqualTo(4);
            assertThat(sum.correct()).isEqualTo(5);
        }
        float[] leftToRight = new float[LENGTH];
        for (float[] row : g) {
            for (int i = 0; i < LENGTH; i++) {
                leftToRight[i] += row[i];
            }
        }
        assertThat(leftToRight).as("the data must be able to tell the orders apart").isNotEqualTo(expected);
    }

    @Test
    void mergingPartialSumsAsTreeAggregateDoesGivesTheSameBits() {
        float[][] g = gradients(7, 3);
        float[] expected = sumInOrder(g, new int[] {0, 1, 2, 3, 4, 5, 6}).gradient();

        GradientSum a = GradientSum.empty(7), b = GradientSum.empty(7), c = GradientSum.empty(7);
        a.add(6, g[6].clone(), 0, 0, 0).add(1, g[1].clone(), 0, 0, 0);
        b.add(3, g[3].clone(), 0, 0, 0).add(0, g[0].clone(), 0, 0, 0).add(5, g[5].clone(), 0, 0, 0);
        c.add(4, g[4].clone(), 0, 0, 0).add(2, g[2].clone(), 0, 0, 0);

        assertThat(c.merge(a).merge(b).gradient()).isEqualTo(expected);
    }

    @Test
    void onePartitionIsPassedThroughUntouchedAndNullMeansZero() {
        float[] only = gradients(1, 4)[0];
        assertThat(GradientSum.empty(1).add(0, only, 0.5, 0, 9).gradient()).isSameAs(only);

        float[] g = gradients(2, 5)[1];
        GradientSum sum = GradientSum.empty(3)
                .add(0, null, 0, 0, 0).add(2, null, 0, 0, 0).add(1, g.clone(), 0, 0, 0);
        assertThat(sum.gradient()).isEqualTo(g);
    }

    @Test
    void anIncompleteSumOrATwiceAddedPartitionIsRefused() {
        GradientSum sum = GradientSum.empty(3).add(0, new float[1], 0, 0, 0).add(2, new float[1], 0, 0, 0);

        assertThat(sum.complete()).isFalse();
        assertThatThrownBy(sum::gradient).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("missing partitions");
        assertThatThrownBy(() -> sum.add(2, new float[1], 0, 0, 0)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("added twice");
        assertThatThrownBy(() -> sum.add(3, new float[1], 0, 0, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("partition 3 is not in 0..2");
        assertThatThrownBy(() -> GradientSum.empty(0)).hasMessageContaining("partitions must be at least 1 but was 0");
    }
}
