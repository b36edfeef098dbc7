package org.neuralj.layers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.neuralj.core.Parameter;
import org.neuralj.core.Sequential;
import org.neuralj.core.Tensor;

/** The tutorials' hand-worked numbers, computed by the framework's own layers. */
class TutorialWorkedExamplesTest {
    /** float32 carries about 7 significant digits. */
    private static final double FLOAT_PRECISION = 1e-6;

    private static void setAll(Dense dense, float[] weights, float bias) {
        Parameter w = dense.parameters().get(0);
        Parameter b = dense.parameters().get(1);
        int in = w.value().rows(), out = w.value().cols();
        for (int j = 0; j < out; j++) {
            for (int i = 0; i < in; i++) {
                w.value().set(i, j, weights[i]);
            }
            b.value().set(j, bias);
        }
    }

    @Test
    void aSingleNeuron() {
        Dense neuron = new Dense(1);
        Sequential net = Sequential.builder().input(2).add(neuron).add(new Sigmoid()).build();
        setAll(neuron, new float[] {0, 1}, 4);
        float y = net.predict(Tensor.row(2, 3)).get(0);
        assertThat((double) y).isCloseTo(0.9990889488055994, within(FLOAT_PRECISION));
    }

    @Test
    void theTwoTwoOneNetwork() {
        Dense hidden = new Dense(2), output = new Dense(1);
        Sequential net = Sequential.builder().input(2)
                .add(hidden).add(new Sigmoid()).add(output).add(new Sigmoid()).build();
        setAll(hidden, new float[] {0, 1}, 0);
        setAll(output, new float[] {0, 1}, 0);
        float y = net.predict(Tensor.row(2, 3)).get(0);
        assertThat((double) y).isCloseTo(0.7216325609518421, within(FLOAT_PRECISION));
    }
}
