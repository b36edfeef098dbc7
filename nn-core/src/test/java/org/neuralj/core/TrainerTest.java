package org.neuralj.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import com.example.userlayers.Affine;
import com.example.userlayers.LeakyReLU;
import com.example.userlayers.PlainSgd;
import com.example.userlayers.SquaredError;
import org.junit.jupiter.api.Test;

/**
 * The training loop ({@link Trainer}) on the shared test layers, loss and optimizer (nn-core's test-jar): learning,
 * determinism, listeners, validation, and refusing bad input before anything changes.
 */
class TrainerTest {

    private static Dataset xor() {
        Tensor x = Tensor.of(new float[] {0, 0, 0, 1, 1, 0, 1, 1}, 4, 2);
        Tensor y = Tensor.of(new float[] {0, 1, 1, 0}, 4, 1);
        return new Dataset(x, y);
    }

    private static Sequential xorNet(long seed) {
        return Sequential.builder().input(2)
                .add(new Affine(8)).add(new LeakyReLU(0.1f))
                .add(new Affine(1))
                .seed(seed).build();
    }

    @Test
    void learnsXorToOneHundredPercent() {
        Sequential net = xorNet(1);
        History h = Trainer.fit(net, xor(), FitOptions.of(new SquaredError(), new PlainSgd(0.3)).epochs(1000).batchSize(4).quiet());
        assertThat(Trainer.evaluate(net, xor()).accuracy()).isEqualTo(1.0);
        assertThat(h.last().loss()).isLessThan(0.05);
        Tensor p = net.predict(xor().features());
        assertThat(p.get(0, 0)).isLessThan(0.2f);
        assertThat(p.get(1, 0)).isGreaterThan(0.8f);
    }

    private static Dataset blobs(int n, int classes, long seed) {
        Rng rng = new Rng(seed);
        Tensor x = Tensor.zeros(n, 4);
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % classes;
            for (int j = 0; j < 4; j++) {
                x.set(i, j, (float) (rng.nextGaussian() + (j == labels[i] ? 3 : 0)));
            }
        }
        return Dataset.ofLabels(x, labels, classes);
    }

    private static Sequential blobNet(long seed) {
        return Sequential.builder().input(4)
                .add(new Affine(8)).add(new LeakyReLU(0.1f)).add(new Affine(3))
                .seed(seed).build();
    }

    @Test
    void sameSeedGivesBitIdenticalHistoriesAndWeights() {
        Dataset train = blobs(150, 3, 1), test = blobs(60, 3, 2);
        Sequential a = blobNet(7), b = blobNet(7);
        History ha = Trainer.fit(a, train, FitOptions.of(new SquaredError(), new PlainSgd(0.1)).epochs(5).batchSize(10)
                .validation(test).quiet());
        History hb = Trainer.fit(b, train, FitOptions.of(new SquaredError(), new PlainSgd(0.1)).epochs(5).batchSize(10)
                .validation(test).quiet());
        assertThat(hb.loss()).containsExactly(ha.loss());
        assertThat(hb.trainAccuracy()).containsExactly(ha.trainAccuracy());
        assertThat(hb.validationAccuracy()).containsExactly(ha.validationAccuracy());
        assertThat(hb.validationLoss()).containsExactly(ha.validationLoss());
        for (int i = 0; i < a.parameters().size(); i++) {
            assertThat(b.parameters().get(i).value().contentEquals(a.parameters().get(i).value())).isTrue();
        }
        Sequential c = blobNet(8);
        History hc = Trainer.fit(c, train, FitOptions.of(new SquaredError(), new PlainSgd(0.1)).epochs(5).batchSize(10).quiet());
        assertThat(hc.loss()).isNotEqualTo(ha.loss());
        assertThat(ha.last().validationAccuracy()).isGreaterThan(0.9);
        assertThat(ha.last().validationCount()).isEqualTo(60);
    }

    @Test
    void listenersSeeEveryEpochAndBatchAndCanStopTraining() {
        List<String> events = new ArrayList<>();
        TrainingListener recorder = new TrainingListener() {
            @Override
            public void onTrainBegin(TrainingContext context) {
                events.add("begin " + context.batchesPerEpoch());
            }

            @Override
            public void onBatchEnd(int epoch, int batch, double loss, TrainingContext context) {
                events.add("batch " + epoch + "." + batch);
            }

            @Override
            public void onEpochEnd(EpochResult result, TrainingContext context) {
                events.add("epoch " + result.epoch());
                if (result.epoch() == 2) {
                    context.stop();
                }
            }

            @Override
            public void onTrainEnd(History history, TrainingContext context) {
                events.add("end " + history.size());
            }
        };
        History h = Trainer.fit(blobNet(1), blobs(25, 3, 3),
                FitOptions.of(new SquaredError(), new PlainSgd(0.1)).epochs(10).batchSize(10).listener(recorder).quiet());
        assertThat(h.size()).isEqualTo(2);
        assertThat(events).containsExactly("begin 3", "batch 1.0", "batch 1.1", "batch 1.2", "epoch 1",
                "batch 2.0", "batch 2.1", "batch 2.2", "epoch 2", "end 2");
    }

    @Test
    void validationSplitHoldsOutTheLastRows() {
        History h = Trainer.fit(blobNet(1), blobs(100, 3, 4),
                FitOptions.of(new SquaredError(), new PlainSgd(0.1)).epochs(1).validationSplit(0.2).quiet());
        assertThat(h.last().validationCount()).isEqualTo(20);
    }

    private static List<float[]> snapshot(Sequential net) {
        return net.parameters().stream().map(p -> p.value().toArray()).toList();
    }

    private static void assertUnchanged(Sequential net, List<float[]> before) {
        List<Parameter> ps = net.parameters();
        for (int i = 0; i < ps.size(); i++) {
            assertThat(ps.get(i).value().toArray()).containsExactly(before.get(i));
        }
    }

    /** The identity, recording the batch shapes it is given. */
    private static final class ShapeProbe extends Activation {
        final List<String> seen = new ArrayList<>();

        @Override
        public Tensor forward(Tensor x, boolean training) {
            seen.add(java.util.Arrays.toString(x.shape()));
            return super.forward(x, training);
        }

        @Override
        protected float apply(float x) {
            return x;
        }

        @Override
        protected float derivative(float x, float y) {
            return 1;
        }
    }

    @Test
    void samplesOfAnyRankAreBatchedShuffledAndEvaluatedInTheirShape() {
        Dataset flat = blobs(30, 3, 3);
        Dataset images = new Dataset(flat.features().reshape(30, 1, 2, 2), flat.targets());
        ShapeProbe probe = new ShapeProbe();
        Sequential net = Sequential.builder().input(1, 2, 2).add(probe).add(new Affine(3)).seed(2).build();
        Sequential twin = Sequential.builder().input(1, 2, 2).add(new ShapeProbe()).add(new Affine(3)).seed(2).build();
        FitOptions options = FitOptions.of(new SquaredError(), new PlainSgd(0.1)).epochs(2).batchSize(8).quiet();
        History h = Trainer.fit(net, images, options.validation(images));
        assertThat(probe.seen).contains("[8, 1, 2, 2]", "[6, 1, 2, 2]", "[30, 1, 2, 2]");
        // the flat form of the same data trains bit-identically: the layout is the same row-major values
        History flatHistory = Trainer.fit(twin, flat, FitOptions.of(new SquaredError(), new PlainSgd(0.1)).epochs(2)
                .batchSize(8).quiet().validation(flat));
        assertThat(flatHistory.loss()).containsExactly(h.loss());
        assertThat(Trainer.evaluate(net, images).correct()).isEqualTo(Trainer.evaluate(twin, flat).correct());
        // another layout of the same size (channels last) is not taken for it
        Dataset channelsLast = new Dataset(flat.features().reshape(30, 2, 2, 1), flat.targets());
        assertThatThrownBy(() -> Trainer.fit(net, channelsLast, options)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("[30, 2, 2, 1]").hasMessageContaining("[1, 2, 2]");
        assertThatThrownBy(() -> net.predict(Tensor.zeros(2, 2, 2))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("(None, 1, 2, 2)").hasMessageContaining("[2, 2, 2]");
    }

    @Test
    void badInputIsRefusedBeforeAnyWeightChanges() {
        Sequential net = blobNet(1);
        List<float[]> before = snapshot(net);
        FitOptions ok = FitOptions.of(new SquaredError(), new PlainSgd(0.1)).quiet();

        Dataset wide = Dataset.ofLabels(Tensor.zeros(5, 5), new int[5], 3);
        assertThatThrownBy(() -> Trainer.fit(net, wide, ok)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("input width 4").hasMessageContaining("[5, 5]");
        Dataset wrongTargets = Dataset.ofLabels(Tensor.zeros(5, 4), new int[5], 2);
        assertThatThrownBy(() -> Trainer.fit(net, wrongTargets, ok)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("outputs 3").hasMessageContaining("[5, 2]");
        Tensor nan = Tensor.zeros(5, 4);
        nan.set(3, 2, Float.NaN);
        assertThatThrownBy(() -> Trainer.fit(net, Dataset.ofLabels(nan, new int[5], 3), ok))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("row 3, column 2")
                .hasMessageContaining("NaN");
        Tensor inf = Tensor.zeros(5, 4);
        inf.set(1, 0, Float.NEGATIVE_INFINITY);
        assertThatThrownBy(() -> Trainer.fit(net, Dataset.ofLabels(inf, new int[5], 3), ok))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Infinity");
        assertThatThrownBy(() -> Trainer.fit(net, Dataset.ofLabels(Tensor.zeros(0, 4), new int[0], 3), ok))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("empty");
        assertThatThrownBy(() -> Dataset.ofLabels(Tensor.zeros(2, 4), new int[] {0, 3}, 3))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("row 1").hasMessageContaining("3")
                .hasMessageContaining("0..2");
        assertThatThrownBy(() -> new Dataset(Tensor.zeros(3, 4), Tensor.zeros(2, 3)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("3 rows").hasMessageContaining("2 rows");
        assertUnchanged(net, before);

        assertThatThrownBy(() -> ok.batchSize(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("batchSize").hasMessageContaining("0");
        assertThatThrownBy(() -> ok.epochs(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("epochs").hasMessageContaining("-1");
    }

    @Test
    void aDivergingLossStopsTrainingNamingEpochAndBatch() {
        Sequential net = Sequential.builder().input(4).add(new Affine(3)).seed(1).build();
        Dataset data = blobs(40, 3, 5);
        for (int i = 0; i < data.size(); i++) {
            data.features().set(i, 0, 1e18f);
        }
        assertThatThrownBy(() -> Trainer.fit(net, data, FitOptions.of(new SquaredError(), new PlainSgd(1)).epochs(3)
                .batchSize(8).quiet()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageMatching("Training diverged: SquaredError is (Infinity|NaN) at epoch 1, batch \\d+ .*");
        for (Parameter p : net.parameters()) {
            assertThat(p.value().isFinite()).as("%s was not updated with the non-finite loss", p).isTrue();
        }
    }
}
