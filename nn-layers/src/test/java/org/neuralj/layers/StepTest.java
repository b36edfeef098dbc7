package org.neuralj.layers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.neuralj.core.BuildContext;
import org.neuralj.core.GradientCheck;
import org.neuralj.core.Rng;
import org.neuralj.core.Sequential;
import org.neuralj.core.Shape;
import org.neuralj.core.Tensor;

/** The perceptron's step: 1 above zero, 0 at and below; gradient checking refuses it instead of comparing zeros. */
class StepTest {

    @Test
    void isOneOnlyForPositiveInputs() {
        Step step = new Step();
        step.build(Shape.of(5), BuildContext.of(new Rng(1)));
        Tensor y = step.forward(Tensor.row(-2f, -1e-30f, 0f, 1e-30f, 7f), false);
        assertThat(y.toArray()).containsExactly(0f, 0f, 0f, 1f, 1f);
    }

    @Test
    void aPerceptronDecidesByItsThreshold() {
        // weights 8, 10, 1 and threshold 5 as a bias of −5: "yes" when the weighted sum exceeds 5
        Dense unit = new Dense(1);
        Sequential perceptron = Sequential.builder().input(3).add(unit).add(new Step()).build();
        unit.parameters().get(0).value().copyFrom(Tensor.of(new float[] {8, 10, 1}, 3, 1));
        unit.parameters().get(1).value().fill(-5);
        Tensor inputs = Tensor.fromRows(new double[][] {{0, 0, 1}, {1, 0, 0}, {0, 1, 1}, {0, 0, 0}});
        assertThat(perceptron.predict(inputs).toArray()).containsExactly(0f, 1f, 1f, 0f);
    }

    @Test
    void gradientCheckRefusesTheStepWithAReason() {
        assertThatThrownBy(() -> GradientCheck.check(new Step(), Shape.of(4), 3, new Rng(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Step has no useful derivative").hasMessageContaining("NonDifferentiable");
    }

    @Test
    void gradientCheckRefusesANetworkContainingAStep() {
        Sequential net = Sequential.builder().input(2).add(new Dense(2)).add(new Step()).add(new Dense(1))
                .add(new Sigmoid()).build();
        assertThatThrownBy(() -> GradientCheck.check(net, new MeanSquaredError(), Tensor.row(1, 2), Tensor.row(1),
                new Rng(1))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no useful derivative");
    }
}
