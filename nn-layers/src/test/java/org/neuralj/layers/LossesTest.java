package org.neuralj.layers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.neuralj.core.BuildContext;
import org.neuralj.core.GradientCheck;
import org.neuralj.core.Loss;
import org.neuralj.core.Rng;
import org.neuralj.core.Shape;
import org.neuralj.core.Tensor;

class LossesTest {
    /** Norm-wise relative error accepted for a loss alone (no layers in between). */
    private static final double TOLERANCE = GradientCheck.TOLERANCE;

    @Test
    void meanSquaredErrorOfTheSeedsExampleIsOneHalf() {
        Tensor yTrue = Tensor.row(1, 0, 0, 1);
        Tensor yPred = Tensor.row(0, 0, 0, 0);
        assertThat(new MeanSquaredError().value(yPred, yTrue)).isEqualTo(0.5);
    }

    @Test
    void quadraticCostUsesTheHalfConventionPerSampleAveragedOverTheBatch() {
        Tensor pred = Tensor.of(new float[] {1, 0, 0, 1}, 2, 2);
        Tensor target = Tensor.zeros(2, 2);
        // ½‖(1,0)‖² = ½ for each of the 2 samples, averaged: ½
        assertThat(new QuadraticCost().value(pred, target)).isEqualTo(0.5);
        assertThat(new QuadraticCost().gradient(pred, target).toArray()).containsExactly(0.5f, 0, 0, 0.5f);
    }

    @Test
    void crossEntropyIsMinusLogOfTheTrueClassProbabilityAndClampsZero() {
        Tensor p = Tensor.of(new float[] {0.7f, 0.2f, 0.1f, 0f, 1f, 0f}, 2, 3);
        Tensor y = Tensor.of(new float[] {1, 0, 0, 1, 0, 0}, 2, 3);
        double expected = (-Math.log(0.7f) - Math.log(1e-7f)) / 2;
        assertThat(new CrossEntropy().value(p, y)).isCloseTo(expected, within(1e-6));
        assertThat(new CrossEntropy().gradient(p, y).isFinite()).isTrue();
    }

    @Test
    void everyLossGradientMatchesCentralDifferences() {
        Rng rng = new Rng(5);
        Tensor pred = Tensor.uniform(rng, 0.05f, 0.95f, 4, 3);
        Tensor target = Tensor.of(new float[] {1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 1, 0}, 4, 3);
        for (Loss loss : new Loss[] {new MeanSquaredError(), new QuadraticCost(), new CrossEntropy()}) {
            GradientCheck.Report r = GradientCheck.check(loss, pred, target, rng);
            assertThat(r.max()).as("%s: %s", loss.name(), r).isLessThan(TOLERANCE);
        }
    }

    @Test
    void fusedSoftmaxCrossEntropyGradientIsTheDerivativeOfTheComposition() {
        Rng rng = new Rng(6);
        Tensor logits = Tensor.randn(rng, 5, 4);
        Tensor target = org.neuralj.core.Dataset.oneHot(new int[] {0, 3, 1, 2, 3}, 4);
        Softmax softmax = new Softmax();
        softmax.build(Shape.of(4), BuildContext.of(rng));
        CrossEntropy ce = new CrossEntropy();
        Loss composed = new Loss() {
            @Override
            public double value(Tensor z, Tensor y) {
                return ce.value(softmax.forward(z, true), y);
            }

            @Override
            public void gradient(Tensor z, Tensor y, Tensor out) {
                ce.gradientWrtLogits(softmax.forward(z, true), y, out);
            }
        };
        GradientCheck.Report r = GradientCheck.check(composed, logits, target, rng);
        assertThat(r.max()).as(r.toString()).isLessThan(TOLERANCE);
        // and it is (p - y) / B exactly
        Tensor p = softmax.forward(logits, true).copy();
        Tensor g = Tensor.zeros(5, 4);
        ce.gradientWrtLogits(p, target, g);
        assertThat(g.get(1, 3)).isEqualTo((p.get(1, 3) - 1f) * (1f / 5));
    }

    @Test
    void softmaxIsStableForHugeLogits() {
        Softmax softmax = new Softmax();
        softmax.build(Shape.of(3), BuildContext.of(new Rng(0)));
        Tensor p = softmax.forward(Tensor.row(1000f, 1000f, -1000f), false);
        assertThat(p.toArray()).containsExactly(0.5f, 0.5f, 0f);
    }

    @Test
    void shapeMismatchNamesBothShapes() {
        assertThatThrownBy(() -> new MeanSquaredError().value(Tensor.zeros(2, 3), Tensor.zeros(2, 4)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[2, 3]").hasMessageContaining("[2, 4]");
    }
}
