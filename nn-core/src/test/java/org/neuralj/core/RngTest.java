package org.neuralj.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class RngTest {

    @Test
    void sameSeedSameStreamDifferentSeedDifferentStream() {
        Rng a = new Rng(42), b = new Rng(42), c = new Rng(43);
        long[] x = new long[5], y = new long[5], z = new long[5];
        for (int i = 0; i < 5; i++) {
            x[i] = a.nextLong();
            y[i] = b.nextLong();
            z[i] = c.nextLong();
        }
        assertThat(y).containsExactly(x);
        assertThat(z).isNotEqualTo(x);
    }

    @Test
    void restoringTheStateReplaysTheStreamIncludingTheSpareGaussian() {
        Rng rng = new Rng(9);
        rng.nextGaussian(); // leaves a spare behind
        long[] saved = rng.state();
        double[] expected = {rng.nextGaussian(), rng.nextGaussian(), rng.nextDouble()};
        Rng other = new Rng(0);
        other.restore(saved);
        assertThat(new double[] {other.nextGaussian(), other.nextGaussian(), other.nextDouble()})
                .containsExactly(expected);
        assertThatThrownBy(() -> other.restore(new long[3])).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("6").hasMessageContaining("3");
    }

    @Test
    void nextIntIsUniformAndInRange() {
        Rng rng = new Rng(3);
        int[] counts = new int[7];
        for (int i = 0; i < 70_000; i++) {
            counts[rng.nextInt(7)]++;
        }
        for (int c : counts) {
            assertThat(c).isBetween(9_500, 10_500);
        }
        assertThatThrownBy(() -> rng.nextInt(0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0");
    }

    @Test
    void shuffleIsAPermutation() {
        int[] a = new int[100];
        for (int i = 0; i < a.length; i++) {
            a[i] = i;
        }
        new Rng(1).shuffle(a);
        assertThat(a).containsExactlyInAnyOrder(java.util.stream.IntStream.range(0, 100).toArray());
        assertThat(a).isNotEqualTo(java.util.stream.IntStream.range(0, 100).toArray());
    }

    @Test
    void floatsAreInTheUnitInterval() {
        Rng rng = new Rng(4);
        double sum = 0;
        for (int i = 0; i < 100_000; i++) {
            float f = rng.nextFloat();
            assertThat(f).isGreaterThanOrEqualTo(0f).isLessThan(1f);
            sum += f;
        }
        assertThat(sum / 100_000).isCloseTo(0.5, within(0.01));
    }
}
