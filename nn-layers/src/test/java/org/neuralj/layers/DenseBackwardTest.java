package org.neuralj.layers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.neuralj.core.BuildContext;
import org.neuralj.core.Rng;
import org.neuralj.core.Shape;
import org.neuralj.core.Tensor;
import org.junit.jupiter.api.Test;

/** Dense's fused bias and its parameters-only backward pass (the first layer during training). */
class DenseBackwardTest {

    @Test
    void forwardIsTheProductPlusTheBiasInEveryRow() {
        Dense dense = new Dense(3, Initializer.gaussian(), Initializer.gaussian());
        dense.build(Shape.of(2), BuildContext.of(new Rng(5)));
        Tensor w = dense.parameters().get(0).value(), b = dense.parameters().get(1).value();
        Tensor x = Tensor.fromRows(new double[][] {{1, 2}, {-3, 0.5}});
        Tensor y = dense.forward(x, false);
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 3; j++) {
                double expected = b.get(j) + x.get(i, 0) * w.get(0, j) + x.get(i, 1) * w.get(1, j);
                assertThat((double) y.get(i, j)).isCloseTo(expected, within(1e-5));
            }
        }
    }

    @Test
    void parametersOnlyBackwardAddsTheSameGradientsAsTheFullBackward() {
        Rng rng = new Rng(11);
        Tensor x = Tensor.randn(rng, 7, 5), g = Tensor.randn(rng, 7, 4);
        Dense full = new Dense(4), partial = new Dense(4);
        full.build(Shape.of(5), BuildContext.of(new Rng(3)));
        partial.build(Shape.of(5), BuildContext.of(new Rng(3)));
        full.forward(x, true);
        partial.forward(x, true);
        Tensor gradInput = full.backward(g);
        partial.backwardParametersOnly(g);
        assertThat(gradInput.shape()).containsExactly(7, 5);
        for (int p = 0; p < 2; p++) {
            assertThat(partial.parameters().get(p).grad().toArray())
                    .containsExactly(full.parameters().get(p).grad().toArray());
        }
        // Accumulates, like backward: a second call doubles the gradients.
        partial.backwardParametersOnly(g);
        assertThat(partial.parameters().get(1).grad().get(0))
                .isCloseTo(2 * full.parameters().get(1).grad().get(0), within(1e-5f));
    }

    @Test
    void parametersOnlyBackwardBeforeForwardIsAnError() {
        Dense dense = new Dense(2);
        dense.build(Shape.of(3), BuildContext.of(new Rng(1)));
        assertThatThrownBy(() -> dense.backwardParametersOnly(Tensor.zeros(1, 2)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("before forward");
    }
}
