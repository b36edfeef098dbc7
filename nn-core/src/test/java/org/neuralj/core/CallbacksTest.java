package org.neuralj.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import com.example.userlayers.Affine;
import com.example.userlayers.LeakyReLU;
import com.example.userlayers.PlainSgd;
import com.example.userlayers.SquaredError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The built-in listeners of the training loop: {@link EarlyStopping} and {@link CsvLogger}. */
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
                .add(new Affine(64)).add(new LeakyReLU(0.1f))
                .add(new Affine(3)).seed(1).build();
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
        History h = Trainer.fit(net, blobs(60, 1), FitOptions.of(new SquaredError(), new PlainSgd(0.1)).epochs(200)
                .batchSize(8).validation(blobs(60, 2)).listener(spy).listener(stop).quiet());
        assertThat(h.size()).as("stopped early").isLessThan(200);
        assertThat(h.size()).isEqualTo(stop.bestEpoch() + 4); // best, then patience 3, then the 4th non-improvement
        assertThat(net.parameters().get(0).value().toArray()).isEqualTo(bestSeen[0]);
        assertThat(Trainer.evaluate(net, blobs(60, 2), new SquaredError()).loss()).isEqualTo(bestLoss[0]);
    }

    @Test
    void aLoopOfYourOwnDrivesTheListenersThroughTrainingCallbacks() {
        // a loop that trains nothing and reports a loss that stops improving after epoch 2
        double[] losses = {1.0, 0.5, 0.6, 0.7, 0.8, 0.9};
        List<String> calls = new java.util.ArrayList<>();
        TrainingListener recorder = new TrainingListener() {
            @Override
            public void onTrainBegin(TrainingContext context) {
                calls.add("begin");
            }

            @Override
            public void onBatchEnd(int epoch, int batch, double loss, TrainingContext context) {
                calls.add(epoch + "." + batch);
            }

            @Override
            public void onEpochEnd(EpochResult result, TrainingContext context) {
                // recorded before the listeners hear of it
                calls.add("end " + result.epoch() + ", history " + context.history().size());
            }

            @Override
            public void onTrainEnd(History history, TrainingContext context) {
                calls.add("done after " + history.size());
            }
        };
        FitOptions options = FitOptions.of(new SquaredError(), new PlainSgd(0.1)).epochs(losses.length)
                .listener(recorder).listener(new EarlyStopping(Monitor.LOSS, 1, 0, false)).quiet();
        TrainingCallbacks callbacks = new TrainingCallbacks(net(), options, 2, options.listeners());
        callbacks.trainBegin();
        for (int epoch = 1; epoch <= options.epochs() && !callbacks.stopRequested(); epoch++) {
            callbacks.epochBegin(epoch);
            for (int b = 0; b < 2; b++) {
                callbacks.batchEnd(epoch, b, losses[epoch - 1]);
            }
            callbacks.epochEnd(new EpochResult(epoch, losses[epoch - 1], 0, Double.NaN, Double.NaN, 0, 0, 0.1, 1));
        }
        History history = callbacks.trainEnd();

        // patience 1: epoch 3 does not improve on epoch 2's 0.5 (waited 1), epoch 4 neither (waited 2 > 1): stop
        assertThat(history.size()).isEqualTo(4);
        assertThat(history.loss()).containsExactly(1.0, 0.5, 0.6, 0.7);
        assertThat(calls).containsExactly("begin", "1.0", "1.1", "end 1, history 1", "2.0", "2.1", "end 2, history 2",
                "3.0", "3.1", "end 3, history 3", "4.0", "4.1", "end 4, history 4", "done after 4");
        assertThat(callbacks.history()).isSameAs(history);
        assertThat(callbacks.context().history()).isSameAs(history);
    }

    @Test
    void earlyStoppingOnAValidationMetricNeedsValidationData() {
        assertThatThrownBy(() -> Trainer.fit(net(), blobs(30, 1), FitOptions.of(new SquaredError(), new PlainSgd(0.1)).epochs(2)
                .listener(new EarlyStopping(Monitor.VAL_ACCURACY, 1, 0, false)).quiet()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("val_accuracy")
                .hasMessageContaining("no validation data");
        assertThatThrownBy(() -> new EarlyStopping(Monitor.LOSS, -1, 0, false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("patience").hasMessageContaining("-1");
    }

    @Test
    void csvLoggerWritesAHeaderAndOneLinePerEpoch() throws IOException {
        Path log = dir.resolve("history.csv");
        History h = Trainer.fit(net(), blobs(30, 1), FitOptions.of(new SquaredError(), new PlainSgd(0.1)).epochs(3)
                .validationSplit(0.2).listener(new CsvLogger(log)).quiet());
        List<String> lines = Files.readAllLines(log);
        assertThat(lines).hasSize(4);
        assertThat(lines.get(0)).isEqualTo("epoch,loss,accuracy,val_loss,val_accuracy,lr,seconds");
        assertThat(lines.get(3)).startsWith("3,");
        assertThat(Double.parseDouble(lines.get(3).split(",")[1])).isCloseTo(h.last().loss(),
                org.assertj.core.api.Assertions.within(1e-4 * h.last().loss()));
    }

    @Test
    void printToWritesOneSummaryLinePerEpochToTheGivenStream() {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        History h = Trainer.fit(net(), blobs(30, 1), FitOptions.of(new SquaredError(), new PlainSgd(0.1)).epochs(3)
                .validationSplit(0.2).printTo(new java.io.PrintStream(bytes, true, java.nio.charset.StandardCharsets.UTF_8)));
        List<String> lines = bytes.toString(java.nio.charset.StandardCharsets.UTF_8).lines().toList();
        assertThat(lines).hasSize(3);
        assertThat(lines.get(2)).isEqualTo(h.last().summary()).startsWith("Epoch 3: loss ").contains(", test ")
                .containsPattern(", \\d+ ms$");
    }

    @Test
    void anEpochSummaryStatesLossAccuracyValidationAndTime() {
        assertThat(new EpochResult(3, 0.04123, 0.981, 0.05, 0.97286, 1398, 1437, 0.1, 84).summary())
                .isEqualTo("Epoch 3: loss 0.0412, train 98.1%, test 1398 / 1437 (97.3%), 84 ms");
        assertThat(new EpochResult(1, 1.5, 0.5, Double.NaN, Double.NaN, 0, 0, 0.1, 12_345).summary())
                .isEqualTo("Epoch 1: loss 1.5000, train 50.0%, 12.3 s");
    }
}
