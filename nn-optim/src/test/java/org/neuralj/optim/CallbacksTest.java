package org.neuralj.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neuralj.core.CsvLogger;
import org.neuralj.core.Dataset;
import org.neuralj.core.EarlyStopping;
import org.neuralj.core.EarlyStopping.Monitor;
import org.neuralj.core.EpochResult;
import org.neuralj.core.FitOptions;
import org.neuralj.core.History;
import org.neuralj.core.Rng;
import org.neuralj.core.Sequential;
import org.neuralj.core.Tensor;
import org.neuralj.core.TrainingContext;
import org.neuralj.core.TrainingListener;
import org.neuralj.layers.CrossEntropy;
import org.neuralj.layers.Dense;
import org.neuralj.layers.Dropout;
import org.neuralj.layers.Initializer;
import org.neuralj.layers.ReLU;
import org.neuralj.layers.Softmax;

class CallbacksTest {
    @TempDir
    Path dir;

    /** Noisy blobs, few samples, big net: validation loss turns upward, so early stopping has work to do. */
    private static Dataset blobs(int n, long seed) {
        Rng rng = new Rng(seed);
        Tensor x = Tensor.zeros(n, 4);
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = i % 3;
            for (int j = 0; j < 4; j++) {
                x.set(i, j, (float) (2.0 * rng.nextGaussian() + (j == y[i] ? 1.5 : 0)));
            }
        }
        return Dataset.ofLabels(x, y, 3);
    }

    private static Sequential net() {
        return Sequential.builder().input(4)
                .add(new Dense(64, Initializer.heNormal())).add(new ReLU())
                .add(new Dense(3, Initializer.xavierNormal())).add(new Softmax()).seed(1).build();
    }

    @Test
    void earlyStoppingStopsAfterPatienceAndRestoresTheBestWeights() {
        Sequential net = net();
        EarlyStopping stop = new EarlyStopping(Monitor.VAL_LOSS, 3, 0, true);
        float[][] bestSeen = new float[1][];
        double[] bestLoss = {Double.POSITIVE_INFINITY};
        TrainingListener spy = new TrainingListener() {
            @Override
            public void onEpochEnd(EpochResult r, TrainingContext c) {
                if (r.validationLoss() < bestLoss[0]) {
                    bestLoss[0] = r.validationLoss();
                    bestSeen[0] = c.model().parameters().get(0).value().toArray();
                }
            }
        };
        History h = net.fit(blobs(60, 1), FitOptions.of(new CrossEntropy(), new Adam(0.01)).epochs(200)
                .batchSize(8).validation(blobs(60, 2)).listener(spy).listener(stop).quiet());
        assertThat(h.size()).as("stopped early").isLessThan(200);
        assertThat(h.size()).isEqualTo(stop.bestEpoch() + 4); // best, then patience 3, then the 4th non-improvement
        assertThat(net.parameters().get(0).value().toArray()).isEqualTo(bestSeen[0]);
        assertThat(net.evaluate(blobs(60, 2), new CrossEntropy()).loss()).isEqualTo(bestLoss[0]);
    }

    @Test
    void earlyStoppingOnAValidationMetricNeedsValidationData() {
        assertThatThrownBy(() -> net().fit(blobs(30, 1), FitOptions.of(new CrossEntropy(), new SGD(0.1)).epochs(2)
                .listener(new EarlyStopping(Monitor.VAL_ACCURACY, 1, 0, false)).quiet()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("VAL_ACCURACY")
                .hasMessageContaining("no validation data");
        assertThatThrownBy(() -> new EarlyStopping(Monitor.LOSS, -1, 0, false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("patience").hasMessageContaining("-1");
    }

    @Test
    void csvLoggerWritesAHeaderAndOneLinePerEpoch() throws IOException {
        Path log = dir.resolve("history.csv");
        History h = net().fit(blobs(30, 1), FitOptions.of(new CrossEntropy(), new SGD(0.1)).epochs(3)
                .validationSplit(0.2).listener(new CsvLogger(log)).quiet());
        List<String> lines = Files.readAllLines(log);
        assertThat(lines).hasSize(4);
        assertThat(lines.get(0)).isEqualTo("epoch,loss,accuracy,val_loss,val_accuracy,lr,seconds");
        assertThat(lines.get(3)).startsWith("3,");
        assertThat(Double.parseDouble(lines.get(3).split(",")[1])).isCloseTo(h.last().loss(),
                org.assertj.core.api.Assertions.within(1e-4 * h.last().loss()));
    }

    @Test
    void dropoutTrainsAndIsTheIdentityAtInference() {
        Sequential net = Sequential.builder().input(4)
                .add(new Dense(32, Initializer.heNormal())).add(new ReLU()).add(new Dropout(0.5))
                .add(new Dense(3, Initializer.xavierNormal())).add(new Softmax()).seed(3).build();
        Dataset data = blobs(90, 4);
        Tensor before = net.predict(data.features());
        assertThat(net.predict(data.features()).contentEquals(before)).as("inference is deterministic").isTrue();
        History h = net.fit(data, FitOptions.of(new CrossEntropy(), new Adam(0.01)).epochs(30).batchSize(10).quiet());
        assertThat(h.last().loss()).isLessThan(h.loss()[0]);
    }

    @Test
    void weightDecayAddsTheL2PenaltyToTheReportedLoss() {
        Dataset data = blobs(30, 5);
        History plain = net().fit(data, FitOptions.of(new CrossEntropy(), new SGD(0.01)).epochs(1).batchSize(30)
                .shuffle(false).quiet());
        Sequential net = net();
        double penalty = new SGD(0.01).weightDecay(0.1).penalty(net.parameters());
        History decayed = net.fit(data, FitOptions.of(new CrossEntropy(), new SGD(0.01).weightDecay(0.1)).epochs(1)
                .batchSize(30).shuffle(false).quiet());
        assertThat(penalty).isPositive();
        assertThat(decayed.last().loss()).isCloseTo(plain.last().loss() + penalty,
                org.assertj.core.api.Assertions.within(1e-9));
    }
}
