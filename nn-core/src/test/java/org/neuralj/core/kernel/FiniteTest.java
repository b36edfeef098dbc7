package org.neuralj.core.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FiniteTest {
    @Test
    void findsANaNOrAnInfinityAnywhereAndOnlyThen() {
        for (int n : new int[] {0, 1, 3, 4, 7, 16, 17, 100, 1001}) {
            float[] a = new float[n + 2];
            for (int i = 0; i < a.length; i++) {
                a[i] = (i % 2 == 0 ? 1 : -1) * Float.MAX_VALUE / (i + 1);
            }
            assertThat(Finite.all(a, n)).as("n = %d", n).isTrue();
            assertThat(Finite.scalar(a, n)).isTrue();
            a[n] = Float.NaN; // just past the checked part
            assertThat(Finite.all(a, n)).isTrue();
            for (int at = 0; at < n; at++) {
                for (float bad : new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
                    float keep = a[at];
                    a[at] = bad;
                    assertThat(Finite.all(a, n)).as("n = %d, %s at %d", n, bad, at).isFalse();
                    assertThat(Finite.scalar(a, n)).as("scalar: n = %d, %s at %d", n, bad, at).isFalse();
                    a[at] = keep;
                }
            }
        }
    }
}
