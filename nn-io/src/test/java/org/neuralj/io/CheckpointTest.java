package org.neuralj.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neuralj.core.Dataset;
import org.neuralj.core.EpochResult;
import org.neuralj.core.FitOptions;
import org.neuralj.core.History;
import org.neuralj.core.Monitor;
import org.neuralj.core.Optimizer;
import org.neuralj.core.Sequential;
import org.neuralj.core.Trainer;
import org.neuralj.layers.CrossEntropy;
import org.neuralj.layers.Dense;
import org.neuralj.layers.Initializer;
import org.neuralj.layers.ReLU;
import org.neuralj.layers.Softmax;
import org.neuralj.optim.Adam;
import org.neuralj.optim.SGD;

/** Checkpoints: resuming is bit-identical to never stopping, and keep-best keeps the best epoch. */
class CheckpointTest {
    @TempDir
    Path dir;

    /** Three Gaussian blobs in 4-D, {@code n} rows; also the data of {@link DataParallelCheckpointTest}. */
    static Dataset blobs(int n, long seed) {
        return org.neuralj.core.Blobs.of(n, seed, 1.5);
    }

    private static Sequential net() {
        return Sequential.builder().input(4)
                .add(new Dense(16, Initializer.heNormal())).add(new ReLU())
                .add(new Dense(3, Initializer.xavierNormal())).add(new Softmax())
                .seed(11).build();
    }

    /** Every field but the wall-clock time, which no two runs share. */
    private static List<String> comparable(List<EpochResult> history) {
        return history.stream().map(r -> new EpochResult(r.epoch(), r.loss(), r.trainAccuracy(), r.validationLoss(),
                r.validationAccuracy(), r.validationCorrect(), r.validationCount(), r.learningRate(), 0).toString())
                .toList();
    }

    private void resumeIsBitIdentical(Supplier<Optimizer> optimizer) throws IOException {
        Dataset train = blobs(120, 1), test = blobs(45, 2);
        Sequential straight = net();
        History all = Trainer.fit(straight, train, FitOptions.of(new CrossEntropy(), optimizer.get()).epochs(4).batchSize(16)
                .validation(test).quiet());

        Path file = dir.resolve("run.ckpt");
        Trainer.fit(net(), blobs(120, 1), FitOptions.of(new CrossEntropy(), optimizer.get()).epochs(2).batchSize(16)
                .validation(blobs(45, 2)).quiet().listener(new ModelCheckpoint(file)));

        // a "new process": nothing survives but the file
        Checkpoint cp = Checkpoint.load(file);
        assertThat(cp.epoch()).isEqualTo(2);
        Sequential resumed = cp.model();
        History rest = Trainer.fit(resumed, blobs(120, 1), cp.resume(FitOptions.of(new CrossEntropy(), optimizer.get())
                .epochs(4).batchSize(16).validation(blobs(45, 2)).quiet()));

        for (int i = 0; i < straight.parameters().size(); i++) {
            assertThat(resumed.parameters().get(i).value().toArray()).as("parameter %d", i)
                    .isEqualTo(straight.parameters().get(i).value().toArray());
        }
        List<EpochResult> joined = new ArrayList<>(cp.history());
        joined.addAll(rest.epochs());
        assertThat(comparable(joined)).isEqualTo(comparable(all.epochs()));
        assertThat(resumed.rng().state()).isEqualTo(straight.rng().state());
    }

    @Test
    void twoEpochsPlusCheckpointPlusTwoMoreEqualFourStraightWithSgd() throws IOException {
        resumeIsBitIdentical(() -> new SGD(0.2));
    }

    @Test
    void resumingRestoresAdamsMomentsAndStepCountBitForBit() throws IOException {
        resumeIsBitIdentical(() -> new Adam(0.01));
        resumeIsBitIdentical(() -> new SGD(0.05, 0.9, true).weightDecay(1e-3));
    }

    @Test
    void keepBestWritesOnlyWhenTheMonitoredMetricImproves() throws IOException {
        Path file = dir.resolve("best.ckpt");
        List<Integer> savedAfter = new ArrayList<>();
        ModelCheckpoint best = new ModelCheckpoint(file).keepBest(Monitor.VAL_ACCURACY);
        History h = Trainer.fit(net(), blobs(120, 1), FitOptions.of(new CrossEntropy(), new SGD(0.05)).epochs(8)
                .batchSize(16).validation(blobs(45, 2)).quiet().listener(best).listener(
                        new org.neuralj.core.TrainingListener() {
                            @Override
                            public void onEpochEnd(EpochResult r, org.neuralj.core.TrainingContext c) {
                                try {
                                    Checkpoint cp = Checkpoint.load(file);
                                    if (cp.epoch() == r.epoch()) {
                                        savedAfter.add(r.epoch());
                                    }
                                } catch (IOException e) {
                                    throw new AssertionError(e);
                                }
                            }
                        }));
        double[] acc = h.validationAccuracy();
        List<Integer> improved = new ArrayList<>();
        double bestSoFar = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < acc.length; i++) {
            if (acc[i] > bestSoFar) {
                bestSoFar = acc[i];
                improved.add(i + 1);
            }
        }
        assertThat(savedAfter).isEqualTo(improved);
        assertThat(improved.size()).isLessThan(acc.length + 1);
        Checkpoint cp = Checkpoint.load(file);
        assertThat(cp.history().get(cp.history().size() - 1).validationAccuracy()).isEqualTo(bestSoFar);
    }

    @Test
    void aResumedKeepBestRunMustBeatTheBestOfTheEpochsBeforeTheCheckpoint() throws IOException {
        Path latest = dir.resolve("latest.ckpt"), best = dir.resolve("best.ckpt");
        Trainer.fit(net(), blobs(120, 1), FitOptions.of(new CrossEntropy(), new SGD(0.05)).epochs(3).batchSize(16)
                .validation(blobs(45, 2)).quiet().listener(new ModelCheckpoint(latest))
                .listener(new ModelCheckpoint(best).keepBest(Monitor.VAL_LOSS)));
        Checkpoint cp = Checkpoint.load(latest);
        int bestBefore = Checkpoint.load(best).epoch();

        History rest = Trainer.fit(cp.model(), blobs(120, 1), cp.resume(FitOptions.of(new CrossEntropy(), new SGD(0.05))
                .epochs(6).batchSize(16).validation(blobs(45, 2)).quiet()
                .listener(new ModelCheckpoint(latest).continuing(cp))
                .listener(new ModelCheckpoint(best).keepBest(Monitor.VAL_LOSS).continuing(cp))));

        List<EpochResult> all = new ArrayList<>(cp.history());
        all.addAll(rest.epochs());
        EpochResult lowest = all.stream().min(java.util.Comparator.comparingDouble(EpochResult::validationLoss))
                .orElseThrow();
        Checkpoint bestNow = Checkpoint.load(best);
        assertThat(bestNow.epoch()).isEqualTo(lowest.epoch()).isGreaterThanOrEqualTo(bestBefore);
        assertThat(comparable(bestNow.history())).isEqualTo(comparable(all.subList(0, lowest.epoch())));
        assertThat(Checkpoint.load(latest).epoch()).isEqualTo(6);
        assertThat(comparable(Checkpoint.load(latest).history())).isEqualTo(comparable(all));
    }

    @Test
    void badUseIsRefusedWithAMessage() throws IOException {
        assertThatThrownBy(() -> new ModelCheckpoint(dir.resolve("x")).keepBest(null))
                .hasMessageContaining("keepBest needs a monitor");
        assertThatThrownBy(() -> Monitor.parse("f1"))
                .hasMessage("monitor must be one of loss, val_loss, accuracy, val_accuracy but was f1");
        Path model = dir.resolve("plain.safetensors");
        ModelFile.save(net(), model);
        assertThatThrownBy(() -> Checkpoint.load(model)).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("this is a model file but not a checkpoint");
        assertThatThrownBy(() -> Trainer.fit(net(), blobs(30, 1), FitOptions.of(new CrossEntropy(), new SGD(0.1)).epochs(1)
                .quiet().listener(new ModelCheckpoint(dir.resolve("y")).keepBest(Monitor.VAL_LOSS))))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("need validation data");
        Path file = dir.resolve("sgd.ckpt");
        Trainer.fit(net(), blobs(30, 1), FitOptions.of(new CrossEntropy(), new SGD(0.1)).epochs(1).quiet()
                .listener(new ModelCheckpoint(file)));
        Optimizer other = new Optimizer() {
            @Override
            public void step(List<org.neuralj.core.Parameter> parameters) {
            }

            @Override
            public double learningRate() {
                return 0;
            }

            @Override
            public void setLearningRate(double learningRate) {
            }
        };
        assertThatThrownBy(() -> Checkpoint.load(file).restoreOptimizer(other))
                .hasMessageContaining("holds the state of a org.neuralj.optim.SGD");
        assertThat(Files.exists(file)).isTrue();
    }

    /** One run's settings: the optimizer, a schedule over the run's 6 epochs or none, early stopping or none. */
    private record Setup(Supplier<Optimizer> optimizer, org.neuralj.optim.LearningRateSchedule schedule,
                         boolean earlyStopping) {
        FitOptions options() {
            FitOptions o = FitOptions.of(new CrossEntropy(), optimizer.get()).epochs(6).batchSize(16).quiet();
            if (earlyStopping) {
                // patience 1 stops some runs early; the best weights are restored at the end
                o.validationSplit(0.2).listener(new org.neuralj.core.EarlyStopping(Monitor.VAL_LOSS, 1, 0, true));
            } else {
                o.validation(blobs(45, 2));
            }
            if (schedule != null) {
                o.listener(new org.neuralj.optim.LearningRateScheduler(schedule));
            }
            return o;
        }
    }

    @Test
    void resumeIsBitIdenticalForEveryOptimizerScheduleAndEarlyStopping() throws IOException {
        List<Supplier<Optimizer>> optimizers = List.of(() -> new SGD(0.3), () -> new SGD(0.1, 0.9),
                () -> new SGD(0.1, 0.9, true), () -> new org.neuralj.optim.AdaGrad(0.1),
                () -> new org.neuralj.optim.RMSProp(0.01), () -> new Adam(0.01), () -> new org.neuralj.optim.AdamW(0.01),
                () -> new Adam(0.01).weightDecay(1e-3).clipNorm(1.0));
        List<org.neuralj.optim.LearningRateSchedule> schedules = java.util.Arrays.asList(null,
                org.neuralj.optim.LearningRateSchedule.stepDecay(0.05, 2, 0.5),
                org.neuralj.optim.LearningRateSchedule.exponential(0.05, 0.8),
                org.neuralj.optim.LearningRateSchedule.cosine(0.05, 6, 0),
                org.neuralj.optim.LearningRateSchedule.warmup(20, org.neuralj.optim.LearningRateSchedule.cosine(0.05,
                        6, 0.001)));
        int runs = 0;
        for (int o = 0; o < optimizers.size(); o++) {
            for (int k = 0; k < schedules.size(); k++) {
                for (boolean es : new boolean[] {false, true}) {
                    Setup setup = new Setup(optimizers.get(o), schedules.get(k), es);
                    String what = "optimizer " + o + ", schedule " + k + ", early stopping " + es;
                    Sequential straight = net();
                    History all = Trainer.fit(straight, blobs(120, 1), setup.options());

                    Path file = dir.resolve("run-{epoch}.ckpt");
                    Trainer.fit(net(), blobs(120, 1), setup.options().listener(new ModelCheckpoint(file)));
                    Checkpoint cp = Checkpoint.load(dir.resolve("run-2.ckpt"));
                    assertThat(cp.hasEarlyStopping()).as(what).isEqualTo(es);
                    Sequential resumed = cp.model();
                    History rest = Trainer.fit(resumed, blobs(120, 1), cp.resume(setup.options()));

                    for (int i = 0; i < straight.parameters().size(); i++) {
                        assertThat(resumed.parameters().get(i).value().toArray()).as("%s, parameter %d", what, i)
                                .isEqualTo(straight.parameters().get(i).value().toArray());
                    }
                    List<EpochResult> joined = new ArrayList<>(cp.history());
                    joined.addAll(rest.epochs());
                    assertThat(comparable(joined)).as(what).isEqualTo(comparable(all.epochs()));
                    runs++;
                }
            }
        }
        assertThat(runs).isEqualTo(80);
    }

    @Test
    void resumingWithOtherOptimizerOrEarlyStoppingSettingsIsRefused() throws IOException {
        Path file = dir.resolve("run.ckpt");
        Trainer.fit(net(), blobs(60, 1), FitOptions.of(new CrossEntropy(), new SGD(0.1, 0.9)).epochs(1).batchSize(16)
                .validationSplit(0.2).quiet()
                .listener(new org.neuralj.core.EarlyStopping(Monitor.VAL_LOSS, 3, 0, true))
                .listener(new ModelCheckpoint(file).run(java.util.Map.of("--batch-size", "16"))));
        Checkpoint cp = Checkpoint.load(file);
        assertThat(cp.run()).containsEntry("--batch-size", "16");
        assertThatThrownBy(() -> cp.restoreOptimizer(new SGD(0.1, 0.9, true)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(file.toString())
                .hasMessageContaining("nesterov = false").hasMessageContaining("nesterov = true");
        assertThatThrownBy(() -> cp.restoreOptimizer(new SGD(0.1, 0.9).weightDecay(0.01)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("weight_decay = 0.0")
                .hasMessageContaining("weight_decay = 0.01");
        assertThatThrownBy(() -> cp.restoreEarlyStopping(new org.neuralj.core.EarlyStopping(Monitor.VAL_LOSS, 5, 0,
                true))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("patience = 3.0")
                .hasMessageContaining("patience = 5");
    }
}
