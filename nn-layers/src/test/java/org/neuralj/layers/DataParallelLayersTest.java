package org.neuralj.layers;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.userlayers.PlainSgd;
import org.neuralj.core.Dataset;
import org.neuralj.core.FitOptions;
import org.neuralj.core.History;
import org.neuralj.core.Rng;
import org.neuralj.core.Sequential;
import org.neuralj.core.Tensor;
import org.neuralj.core.Trainer;
import org.junit.jupiter.api.Test;

/**
 * {@code FitOptions.workers(n)} with the layers that depend on more than one row or on random draws: batch norm
 * (per-share statistics) and dropout (each worker's own masks) are not equal to one worker, but still reproducible.
 */
class DataParallelLayersTest {

    private static Dataset data() {
        Rng rng = new Rng(11);
        Tensor x = Tensor.randn(rng, 90, 6);
        int[] labels = new int[90];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = x.get(i, 0) + x.get(i, 1) > 0 ? 1 : 0;
        }
        return Dataset.ofLabels(x, labels, 2);
    }

    private static Sequential net() {
        return Sequential.builder().input(6)
                .add(new Dense(16)).add(new BatchNorm()).add(new ReLU()).add(new Dropout(0.3))
                .add(new Dense(2)).add(new Softmax())
                .seed(21).build();
    }

    private static FitOptions options(int epochs) {
        return FitOptions.of(new CrossEntropy(), new PlainSgd(0.1)).epochs(epochs).batchSize(16).workers(2).quiet();
    }

    @Test
    void dropoutAndBatchNormTrainBitIdenticallyRunToRun() {
        Sequential a = net(), b = net();
        History ha = Trainer.fit(a, data(), options(6));
        History hb = Trainer.fit(b, data(), options(6));
        assertThat(b.parameters().values()).containsExactly(a.parameters().values());
        assertThat(hb.loss()).containsExactly(ha.loss());
        Tensor x = data().features();
        assertThat(b.predict(x).contentEquals(a.predict(x))).as("running statistics too").isTrue();
        assertThat(ha.last().loss()).as("it learns").isLessThan(ha.epochs().get(0).loss());
    }

    @Test
    void aResumedRunDrawsTheSameDropoutMasks() {
        Sequential straight = net();
        History all = Trainer.fit(straight, data(), options(4));
        Sequential first = net();
        Trainer.fit(first, data(), options(2));
        Sequential resumed = first.copy(); // weights, running statistics and the generator's state
        History rest = Trainer.fit(resumed, data(), options(4).initialEpoch(2));
        assertThat(rest.loss()).containsExactly(all.loss()[2], all.loss()[3]);
        assertThat(resumed.parameters().values()).containsExactly(straight.parameters().values());
    }
}
