package org.neuralj.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link FitOptions#initialEpoch}: the hook that lets a checkpointed run continue where it stopped. */
class ResumeOptionsTest {

    /** Plain gradient descent, enough to train the test layer. */
    private static final class Descent implements Optimizer {
        @Override
        public void step(List<Parameter> parameters) {
            for (Parameter p : parameters) {
                p.value().addScaledInPlace(p.grad(), -0.1f);
            }
        }

        @Override
        public double learningRate() {
            return 0.1;
        }

        @Override
        public void setLearningRate(double learningRate) {
        }
    }

    /** Mean squared error, {@code L = mean (ŷ − y)²}. */
    private static final class Squared implements Loss {
        @Override
        public double value(Tensor predicted, Tensor target) {
            double s = 0;
            for (int i = 0; i < predicted.size(); i++) {
                double d = predicted.data()[i] - target.data()[i];
                s += d * d;
            }
            return s / predicted.size();
        }

        @Override
        public void gradient(Tensor predicted, Tensor target, Tensor out) {
            for (int i = 0; i < predicted.size(); i++) {
                out.data()[i] = 2 * (predicted.data()[i] - target.data()[i]) / predicted.size();
            }
        }
    }

    private static Dataset data() {
        Rng rng = new Rng(3);
        Tensor x = Tensor.randn(rng, 20, 2);
        Tensor y = x.scale(2f);
        return new Dataset(x, y);
    }

    @Test
    void resumingAtEpochTwoContinuesBitForBitWhenTheGeneratorIsRestored() {
        Sequential straight = Sequential.builder().input(2).add(new Scale()).seed(9).build();
        History all = straight.fit(data(), FitOptions.of(new Squared(), new Descent()).epochs(4).batchSize(3).quiet());

        Sequential first = Sequential.builder().input(2).add(new Scale()).seed(9).build();
        first.fit(data(), FitOptions.of(new Squared(), new Descent()).epochs(2).batchSize(3).quiet());
        Sequential resumed = first.copy();
        List<Integer> seen = new ArrayList<>();
        History rest = resumed.fit(data(), FitOptions.of(new Squared(), new Descent()).epochs(4).initialEpoch(2)
                .batchSize(3).quiet().listener(new TrainingListener() {
                    @Override
                    public void onEpochBegin(int epoch, TrainingContext context) {
                        seen.add(epoch);
                    }
                }));

        assertThat(seen).containsExactly(3, 4);
        assertThat(rest.epochs()).extracting(EpochResult::epoch).containsExactly(3, 4);
        assertThat(rest.loss()).containsExactly(all.loss()[2], all.loss()[3]);
        assertThat(resumed.parameters().get(0).value().contentEquals(straight.parameters().get(0).value())).isTrue();
    }

    @Test
    void initialEpochMustLeaveSomethingToTrain() {
        assertThatThrownBy(() -> FitOptions.of(new Squared(), new Descent()).initialEpoch(-1))
                .hasMessage("initialEpoch must be non-negative but was -1");
        Sequential net = Sequential.builder().input(2).add(new Scale()).seed(9).build();
        assertThatThrownBy(() -> net.fit(data(), FitOptions.of(new Squared(), new Descent()).epochs(3).initialEpoch(3)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("initialEpoch 3 leaves nothing to train");
    }
}
