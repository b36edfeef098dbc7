package org.neuralj.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ConfusionMatrixTest {

    @Test
    void countsActualAgainstPredicted() {
        int[] actual = {0, 0, 1, 1, 2, 2, 2};
        int[] predicted = {0, 1, 1, 1, 2, 0, 2};
        ConfusionMatrix m = ConfusionMatrix.of(actual, predicted, 3);

        assertThat(m.count(0, 0)).isEqualTo(1);
        assertThat(m.count(0, 1)).isEqualTo(1);
        assertThat(m.count(2, 0)).isEqualTo(1);
        assertThat(m.count(1, 1)).isEqualTo(2);
        assertThat(m.correct()).isEqualTo(5);
        assertThat(m.total()).isEqualTo(7);
        assertThat(m.accuracy()).isEqualTo(5.0 / 7);
    }

    @Test
    void formatsRowsAsActualAndColumnsAsPredicted() {
        ConfusionMatrix m = ConfusionMatrix.of(new int[] {0, 1, 1}, new int[] {1, 1, 1}, 2);
        String[] lines = m.format(new String[] {"cat", "dog"}).split("\n");

        assertThat(lines[1].trim()).isEqualTo("actual  cat  dog");
        assertThat(lines[2].trim().split(" +")).containsExactly("cat", "0", "1");
        assertThat(lines[3].trim().split(" +")).containsExactly("dog", ".", "2");
    }

    @Test
    void rejectsMismatchedOrOutOfRangeInput() {
        assertThatThrownBy(() -> ConfusionMatrix.of(new int[] {0, 1}, new int[] {0}, 2))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1 predictions for 2 labels");
        assertThatThrownBy(() -> ConfusionMatrix.of(new int[] {0, 3}, new int[] {0, 1}, 2))
                .hasMessageContaining("sample 1").hasMessageContaining("0..1");
    }
}
