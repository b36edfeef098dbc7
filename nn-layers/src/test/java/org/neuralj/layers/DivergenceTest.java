package org.neuralj.layers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.example.userlayers.PlainSgd;
import org.junit.jupiter.api.Test;
import org.neuralj.core.Dataset;
import org.neuralj.core.History;
import org.neuralj.core.DivergenceException;
import org.neuralj.core.FitOptions;
import org.neuralj.core.Rng;
import org.neuralj.core.Sequential;
import org.neuralj.core.Tensor;
import org.neuralj.core.Trainer;

/**
 * Softmax + cross-entropy clamps probabilities at 1e-7: a network whose weights ran off (bounded sigmoid activations
 * keep them finite) must still be reported, not trained on at chance accuracy.
 */
class DivergenceTest {

    private static Dataset blobs(int n, int classes, long seed) {
        Rng rng = new Rng(seed);
        Tensor x = Tensor.zeros(n, 8);
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % classes;
            for (int j = 0; j < 8; j++) {
                x.set(i, j, (float) (rng.nextGaussian() + (j == labels[i] ? 2 : 0)));
            }
        }
        return Dataset.ofLabels(x, labels, classes);
    }

    @Test
    void crossEntropyAtTheClampForAWholeEpochIsDivergence() {
        for (double rate : new double[] {1e3, 1e6}) {
            Sequential net = Sequential.builder().input(8).add(new Dense(16)).add(new Sigmoid()).add(new Dense(8))
                    .add(new Softmax()).seed(3).build();
            assertThatThrownBy(() -> Trainer.fit(net, blobs(400, 8, 1), FitOptions.of(new CrossEntropy(),
                    new PlainSgd(rate)).epochs(20).batchSize(16).quiet()))
                    .as("learning rate %s", rate).isInstanceOf(DivergenceException.class)
                    .hasMessageContaining("at least half its clamp ceiling").hasMessageContaining("clamp ceiling 16.12")
                    .hasMessageContaining("smaller learning rate");
        }
    }

    @Test
    void aBadlyInitialisedNetworkThatLearnsWithinItsFirstEpochIsNotDivergence() {
        // N(0, 1) weights on 8 inputs: the first batches sit near the clamp, the later ones far below it
        Sequential net = Sequential.builder().input(8).add(new Dense(32)).add(new ReLU()).add(new Dense(8))
                .add(new Softmax()).seed(3).build();
        History h = Trainer.fit(net, blobs(400, 8, 1), FitOptions.of(new CrossEntropy(), new PlainSgd(0.05)).epochs(3)
                .batchSize(16).quiet());
        assertThat(h.loss()[0]).as("the first epoch's mean starts high").isGreaterThan(new CrossEntropy().ceiling() / 4);
        assertThat(h.last().loss()).isLessThan(h.loss()[0]);
    }
}
