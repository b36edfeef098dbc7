package org.neuralj.layers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.neuralj.core.Sequential;
import org.neuralj.core.Tensor;

/** Inverted dropout: the identity at inference; in training a mask of 0 and 1/(1 − p) that backward reuses. */
class DropoutTest {

    @Test
    void identityAtInferenceAndAnUnbiasedMaskInTraining() {
        Sequential net = Sequential.builder().input(1000).add(new Dropout(0.25)).seed(3).build();
        Tensor x = Tensor.full(2f, 4, 1000);
        assertThat(net.forward(x, false).contentEquals(x)).as("inference is the identity").isTrue();

        Tensor y = net.forward(x, true).copy();
        int dropped = 0;
        for (float v : y.data()) {
            assertThat(v).as("each value is dropped or scaled by 1/(1 − p)").isIn(0f, 2f / 0.75f);
            dropped += v == 0 ? 1 : 0;
        }
        assertThat(dropped / 4000.0).as("share dropped").isCloseTo(0.25, within(0.03));
        assertThat(y.mean()).as("expected output equals the input").isCloseTo(2.0, within(0.1));

        Tensor g = net.backward(Tensor.full(1f, 4, 1000));
        for (int i = 0; i < g.size(); i++) {
            assertThat(g.data()[i]).as("the gradient takes the same mask").isEqualTo(y.data()[i] / 2f);
        }
        Tensor again = net.forward(x, true);
        assertThat(again.contentEquals(y)).as("a new mask for every training pass").isFalse();
    }

    @Test
    void aRateOutsideZeroToOneIsRefused() {
        assertThatThrownBy(() -> new Dropout(1.0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("rate").hasMessageContaining("1.0");
        assertThatThrownBy(() -> new Dropout(-0.1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-0.1");
    }
}
