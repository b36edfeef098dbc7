package org.neuralj.core.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.neuralj.core.Tensor;
import org.neuralj.core.metrics.ConfusionMatrix.Score;

class MetricsTest {
    private static final double EPS = 1e-12;
    //                 true:  0  0  1  1  2  2  2
    private static final int[] ACTUAL = {0, 0, 1, 1, 2, 2, 2};
    private static final int[] PREDICTED = {0, 1, 1, 1, 2, 0, 2};

    @Test
    void confusionMatrixAndPerClassScoresMatchAHandCount() {
        ConfusionMatrix m = ConfusionMatrix.of(ACTUAL, PREDICTED, 3);
        // rows: true class; columns: predicted class
        long[][] expected = {{1, 1, 0}, {0, 2, 0}, {1, 0, 2}};
        for (int a = 0; a < 3; a++) {
            for (int p = 0; p < 3; p++) {
                assertThat(m.count(a, p)).isEqualTo(expected[a][p]);
            }
        }
        assertThat(m.accuracy()).isCloseTo(5.0 / 7, within(EPS));
        // class 0: TP 1, predicted 0 twice, true 0 twice
        assertThat(m.precision(0)).isCloseTo(0.5, within(EPS));
        assertThat(m.recall(0)).isCloseTo(0.5, within(EPS));
        // class 1: TP 2, predicted 1 three times, true 1 twice
        assertThat(m.precision(1)).isCloseTo(2.0 / 3, within(EPS));
        assertThat(m.recall(1)).isCloseTo(1.0, within(EPS));
        assertThat(m.f1(1)).isCloseTo(0.8, within(EPS));
        // class 2: TP 2, predicted 2 twice, true 2 three times
        assertThat(m.f1(2)).isCloseTo(0.8, within(EPS));
        assertThat(m.macro(Score.F1)).isCloseTo((0.5 + 0.8 + 0.8) / 3, within(EPS));
        assertThat(m.weighted(Score.F1)).isCloseTo((0.5 * 2 + 0.8 * 2 + 0.8 * 3) / 7, within(EPS));
        assertThat(m.macro(Score.PRECISION)).isCloseTo((0.5 + 2.0 / 3 + 1) / 3, within(EPS));
    }

    @Test
    void classificationReportHasScikitLearnsLayout() {
        String report = ConfusionMatrix.of(ACTUAL, PREDICTED, 3).classificationReport(new String[] {"a", "b", "c"});
        assertThat(report.lines().toList()).contains(
                "              precision    recall  f1-score   support",
                "           a       0.50      0.50      0.50         2",
                "    accuracy                           0.71         7",
                "weighted avg       0.76      0.71      0.71         7");
    }

    @Test
    void topKAccuracyLogLossAndMse() {
        Tensor p = Tensor.of(new float[] {0.1f, 0.7f, 0.2f, 0.5f, 0.3f, 0.2f}, 2, 3);
        int[] labels = {2, 1};
        assertThat(Metrics.accuracy(p, labels)).isZero();
        assertThat(Metrics.topKAccuracy(p, labels, 2)).isEqualTo(1.0);
        assertThat(Metrics.logLoss(p, labels)).isCloseTo(-(Math.log(0.2f) + Math.log(0.3f)) / 2, within(1e-9));
        assertThat(Metrics.meanSquaredError(Tensor.row(1, 0, 0, 1), Tensor.row(0, 0, 0, 0))).isEqualTo(0.5);
    }

    @Test
    void badInputNamesTheProblem() {
        assertThatThrownBy(() -> ConfusionMatrix.of(new int[] {0, 3}, new int[] {0, 1}, 3))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sample 1").hasMessageContaining("0..2");
        assertThatThrownBy(() -> Metrics.topKAccuracy(Tensor.zeros(2, 3), new int[] {0, 1}, 4))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("k must be in 1..3");
        assertThatThrownBy(() -> Metrics.logLoss(Tensor.zeros(2, 3), new int[] {0}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2 rows").hasMessageContaining("1 labels");
    }
}
