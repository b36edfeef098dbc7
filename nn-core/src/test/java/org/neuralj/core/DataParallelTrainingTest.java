package org.neuralj.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import com.example.userlayers.Affine;
import com.example.userlayers.LeakyReLU;
import com.example.userlayers.PlainSgd;
import com.example.userlayers.SquaredError;
import com.example.userlayers.TanhAffine;
import org.junit.jupiter.api.Test;

/**
 * {@link FitOptions#workers(int)}: data-parallel training on copies of the network, on the shared test layers. The
 * networks here have no dropout or batch norm, so every worker count trains the same model up to float rounding.
 */
class DataParallelTrainingTest {

    private static Sequential net(long seed) {
        return Sequential.builder().input(4)
                .add(new Affine(16)).add(new LeakyReLU(0.1f)).add(new TanhAffine(8)).add(new Affine(3))
                .seed(seed).build();
    }

    private static FitOptions options(int workers, int batch, int epochs) {
        return FitOptions.of(new SquaredError(), new PlainSgd(0.05)).epochs(epochs).batchSize(batch).workers(workers)
                .quiet();
    }

    private static float maxDifference(Sequential a, Sequential b) {
        float[] x = a.parameters().values(), y = b.parameters().values();
        float max = 0;
        for (int i = 0; i < x.length; i++) {
            max = Math.max(max, Math.abs(x[i] - y[i]));
        }
        return max;
    }

    private static long workerThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("neuralj-worker") && t.isAlive()).count();
    }

    @Test
    void twoAndThreeWorkersTrainTheSingleWorkerModelUpToRounding() {
        Dataset data = Blobs.of(203, 1); // 203 = 6·32 + 11: a smaller last batch, shares of unequal size
        Sequential single = net(4);
        History h1 = Trainer.fit(single, data, options(1, 32, 8));
        for (int workers : new int[] {2, 3}) {
            Sequential parallel = net(4);
            History hn = Trainer.fit(parallel, data, options(workers, 32, 8));

            assertThat(maxDifference(parallel, single)).as("weights after 8 epochs, %d workers", workers)
                    .isLessThan(1e-5f).isGreaterThanOrEqualTo(0f);
            for (int e = 0; e < 8; e++) {
                assertThat(hn.loss()[e]).isCloseTo(h1.loss()[e], org.assertj.core.data.Offset.offset(1e-5));
            }
            assertThat(hn.epochs()).extracting(EpochResult::trainAccuracy)
                    .containsExactlyElementsOf(h1.epochs().stream().map(EpochResult::trainAccuracy).toList());
        }
        assertThat(h1.last().loss()).as("it learns").isLessThan(h1.epochs().get(0).loss());
    }

    @Test
    void aGivenWorkerCountIsBitIdenticalRunToRun() {
        Dataset data = Blobs.of(150, 2);
        for (int workers : new int[] {2, 3}) {
            Sequential a = net(7), b = net(7);
            History ha = Trainer.fit(a, data, options(workers, 16, 5));
            History hb = Trainer.fit(b, data, options(workers, 16, 5));
            assertThat(b.parameters().values()).as("%d workers", workers).containsExactly(a.parameters().values());
            assertThat(hb.loss()).containsExactly(ha.loss());
        }
        assertThat(workerThreads()).as("the worker threads end with fit").isZero();
    }

    @Test
    void batchesSmallerThanTheWorkerCountLeaveWorkersIdle() {
        // batch 5 with 4 workers: shares of 1, 1, 1 and 2 rows; 22 rows leave a last batch of 2 rows, so two of the
        // four shares are empty (rows [2·i/4, 2·(i+1)/4) = 0, 1, 0, 1 rows)
        Dataset data = Blobs.of(22, 3);
        Sequential single = net(5), parallel = net(5);
        History h1 = Trainer.fit(single, data, options(1, 5, 6));
        History h4 = Trainer.fit(parallel, data, options(4, 5, 6));
        assertThat(maxDifference(parallel, single)).isLessThan(1e-5f);
        assertThat(h4.last().loss()).isCloseTo(h1.last().loss(), org.assertj.core.data.Offset.offset(1e-5));

        // a batch size of 1: every batch is a single row, trained by one worker alone
        Sequential one = net(5), oneParallel = net(5);
        Trainer.fit(one, data, options(1, 1, 2));
        Trainer.fit(oneParallel, data, options(3, 1, 2));
        assertThat(oneParallel.parameters().values()).containsExactly(one.parameters().values());
    }

    @Test
    void moreWorkersThanProcessorsAreWarnedAbout() {
        assertThat(DataParallelGradient.oversubscription(2, 2)).isNull();
        assertThat(DataParallelGradient.oversubscription(3, 2)).isEqualTo("workers(3) on 2 available processors: the"
                + " workers take turns on the cores, which slows training; use at most workers(2) (the model depends"
                + " on the worker count, not on the processors)");
        assertThat(DataParallelGradient.oversubscription(2, 1)).startsWith("workers(2) on 1 available processor:");
    }

    @Test
    void workersMustBeBetweenOneAnd256() {
        FitOptions options = options(1, 8, 1);
        assertThatThrownBy(() -> options.workers(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("workers must be in 1..256 (one thread and one network copy each) but was 0");
        assertThatThrownBy(() -> options.workers(257)).hasMessageContaining("but was 257");
        assertThat(options.workers()).isEqualTo(1);
        assertThat(FitOptions.of(new SquaredError(), new PlainSgd(0.1)).workers()).isEqualTo(1);
    }

    @Test
    void aNetworkThatCannotBeCopiedIsRefusedBeforeTraining() {
        Sequential net = Sequential.builder().input(4).add(new Affine(3)).add(new Activation() {
            // an anonymous layer has no registered layer type, so copy() cannot recreate it
            @Override
            protected float apply(float x) {
                return x;
            }

            @Override
            protected float derivative(float x, float y) {
                return 1;
            }
        }).seed(1).build();
        float[] before = net.parameters().values().clone();
        List<String> calls = new ArrayList<>();
        FitOptions options = options(2, 8, 2).listener(new TrainingListener() {
            @Override
            public void onTrainBegin(TrainingContext context) {
                calls.add("begin");
            }
        });
        assertThatThrownBy(() -> Trainer.fit(net, Blobs.of(30, 4), options))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("workers(2) trains 1 copies of the network, but it cannot be copied: layer");
        assertThat(net.parameters().values()).containsExactly(before);
        assertThat(calls).isEmpty();
    }

    @Test
    void listenersSeeTheSameBatchesAndEarlyStoppingStopsTheSameWay() {
        Dataset data = Blobs.of(120, 5);
        List<String> single = new ArrayList<>(), parallel = new ArrayList<>();
        Sequential a = net(6), b = net(6);
        EarlyStopping stopA = new EarlyStopping(Monitor.VAL_LOSS, 2, 0.0, true);
        EarlyStopping stopB = new EarlyStopping(Monitor.VAL_LOSS, 2, 0.0, true);
        History ha = Trainer.fit(a, data, options(1, 10, 40).validationSplit(0.25).listener(recorder(single))
                .listener(stopA));
        History hb = Trainer.fit(b, data, options(2, 10, 40).validationSplit(0.25).listener(recorder(parallel))
                .listener(stopB));

        assertThat(parallel).hasSameSizeAs(single);
        assertThat(parallel).filteredOn(s -> !s.startsWith("batch"))
                .containsExactlyElementsOf(single.stream().filter(s -> !s.startsWith("batch")).toList());
        assertThat(hb.epochs()).hasSize(ha.epochs().size());
        assertThat(stopB.bestEpoch()).isEqualTo(stopA.bestEpoch());
        assertThat(maxDifference(a, b)).as("best weights restored in both").isLessThan(1e-5f);
    }

    private static TrainingListener recorder(List<String> calls) {
        return new TrainingListener() {
            @Override
            public void onBatchEnd(int epoch, int batch, double loss, TrainingContext context) {
                calls.add("batch " + epoch + "." + batch);
            }

            @Override
            public void onEpochEnd(EpochResult result, TrainingContext context) {
                calls.add("epoch " + result.epoch());
            }
        };
    }

    @Test
    void aResumedRunContinuesBitForBit() {
        Dataset data = Blobs.of(60, 8);
        Sequential straight = net(9);
        History all = Trainer.fit(straight, data, options(2, 7, 4));
        Sequential first = net(9);
        Trainer.fit(first, data, options(2, 7, 2));
        Sequential resumed = first.copy();
        History rest = Trainer.fit(resumed, data, options(2, 7, 4).initialEpoch(2));
        assertThat(rest.loss()).containsExactly(all.loss()[2], all.loss()[3]);
        assertThat(resumed.parameters().values()).containsExactly(straight.parameters().values());
    }

    @Test
    void divergenceStopsTheRunAndItsThreads() {
        Sequential net = net(3);
        assertThatThrownBy(() -> Trainer.fit(net, Blobs.of(64, 9),
                FitOptions.of(new SquaredError(), new PlainSgd(1e30)).epochs(5).batchSize(16).workers(2).quiet()))
                .isInstanceOf(DivergenceException.class);
        assertThat(workerThreads()).isZero();
    }
}
