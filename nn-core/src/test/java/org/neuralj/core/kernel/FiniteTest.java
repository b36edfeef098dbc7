package org.neuralj.core.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FiniteTest {
    @Test
    void findsANaNOrAnInfinityAnywhereInTheRangeAndOnlyThen() {
        for (int n : new int[] {0, 1, 3, 4, 7, 16, 17, 100, 1001}) {
            for (int from : new int[] {0, 1, 5}) {
                int to = from + n;
                float[] a = new float[to + 2];
                for (int i = 0; i < a.length; i++) {
                    a[i] = (i % 2 == 0 ? 1 : -1) * Float.MAX_VALUE / (i + 1);
                }
                assertThat(Finite.all(a, from, to)).as("n = %d from %d", n, from).isTrue();
                assertThat(Finite.scalar(a, from, to)).isTrue();
                assertThat(Finite.first(a, from, to)).isEqualTo(-1);
                a[to] = Float.NaN; // just past the checked part
                if (from > 0) {
                    a[from - 1] = Float.POSITIVE_INFINITY; // just before it
                }
                assertThat(Finite.all(a, from, to)).isTrue();
                assertThat(Finite.first(a, from, to)).isEqualTo(-1);
                for (int at = from; at < to; at++) {
                    for (float bad : new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
                        float keep = a[at];
                        a[at] = bad;
                        assertThat(Finite.all(a, from, to)).as("n = %d, %s at %d", n, bad, at).isFalse();
                        assertThat(Finite.scalar(a, from, to)).as("scalar: n = %d, %s at %d", n, bad, at).isFalse();
                        assertThat(Finite.first(a, from, to)).isEqualTo(at);
                        a[at] = keep;
                    }
                }
            }
        }
    }

    @Test
    void firstIsTheFirstOfSeveralAcrossBlocks() {
        float[] a = new float[20_000];
        a[19_999] = Float.NaN;
        a[9_000] = Float.NEGATIVE_INFINITY;
        a[12_000] = Float.NaN;
        assertThat(Finite.first(a, 0, a.length)).isEqualTo(9_000);
        assertThat(Finite.first(a, 9_001, a.length)).isEqualTo(12_000);
        assertThat(Finite.first(a, 12_001, 19_999)).isEqualTo(-1);
    }
}
