package org.neuralj.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.neuralj.core.FitOptions;
import org.neuralj.core.History;
import org.neuralj.core.Loss;
import org.neuralj.core.Optimizer;
import org.neuralj.core.Rng;
import org.neuralj.core.Sequential;
import org.neuralj.core.Trainer;
import org.neuralj.datasets.Digits;
import org.neuralj.datasets.Scaling;
import org.neuralj.datasets.Split;
import org.neuralj.layers.CrossEntropy;
import org.neuralj.layers.Dense;
import org.neuralj.layers.Initializer;
import org.neuralj.layers.ReLU;
import org.neuralj.layers.Softmax;
import org.neuralj.optim.Adam;
import org.neuralj.optim.SGD;

/**
 * Parameter averaging on Spark: one partition is {@link Trainer#fit} bit for bit whatever {@code k}, averaging every
 * step with plain SGD is synchronous training, runs repeat bit for bit (a retried task included), and averaging every
 * few steps still learns digits.
 */
class ParameterAveragingTest {
    private static final int EPOCHS = 2;
    private static final int BATCH = 128;
    private static SparkSession spark;
    private static org.neuralj.core.Dataset digits;

    @BeforeAll
    static void start() {
        spark = LocalSpark.start("ParameterAveragingTest");
        digits = Scaling.divide(Digits.load(), 16f);
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    private static FitOptions adam(Loss loss) {
        return FitOptions.of(loss, new Adam(1e-2)).epochs(EPOCHS).batchSize(BATCH).quiet();
    }

    private static ParameterAveraging adamEvery(int k) {
        return ParameterAveraging.every(k, () -> new Adam(1e-2));
    }

    private static Dataset<Row> frame(org.neuralj.core.Dataset data, int partitions) {
        return LocalSpark.frame(spark, data.features(), data.labels(), partitions, LocalSpark.Features.FLOATS);
    }

    /** The optimizer's state as one flat array (Adam: m, then v). */
    private static float[] stateOf(Optimizer optimizer, Sequential net) {
        String[] names = OptimizerState.names(optimizer, net.parameters());
        float[] state = new float[names.length * net.parameters().length()];
        OptimizerState.read(optimizer, net.parameters(), names, state, 0);
        return state;
    }

    private static float maxDifference(float[] a, float[] b) {
        float worst = 0;
        for (int i = 0; i < a.length; i++) {
            worst = Math.max(worst, Math.abs(a[i] - b[i]));
        }
        return worst;
    }

    @Test
    void onePartitionReproducesFitBitForBitWhateverK() {
        Sequential expected = SparkTrainerTest.network();
        FitOptions fitOptions = adam(new CrossEntropy());
        History history = Trainer.fit(expected, digits, fitOptions);
        Sequential net = SparkTrainerTest.network();
        FitOptions options = adam(new CrossEntropy());

        // 15 batches per epoch: rounds of 4, 4, 4 and 3 local steps
        List<SparkEpoch> epochs = SparkTrainer.fit(net, frame(digits, 1), "features", "label", options, adamEvery(4));

        assertThat(net.parameters().values()).isEqualTo(expected.parameters().values());
        assertThat(net.rng().state()).isEqualTo(expected.rng().state());
        assertThat(options.optimizer().steps()).isEqualTo(fitOptions.optimizer().steps()).isEqualTo(2 * 15);
        assertThat(stateOf(options.optimizer(), net)).isEqualTo(stateOf(fitOptions.optimizer(), expected));
        assertThat(epochs).extracting(SparkEpoch::rounds).containsExactly(4, 4);
        for (int e = 0; e < EPOCHS; e++) {
            // the same terms, summed per round before the epoch's sum: equal up to rounding
            assertThat(epochs.get(e).loss()).isCloseTo(history.loss()[e], within(1e-12));
            assertThat(epochs.get(e).trainAccuracy()).isEqualTo(history.trainAccuracy()[e]);
        }
    }

    @Test
    void averagingEveryStepWithPlainSgdIsSynchronousTraining() {
        Dataset<Row> frame = frame(digits, 2);
        Sequential synchronous = SparkTrainerTest.network();
        SparkTrainer.fit(synchronous, frame, "features", "label",
                FitOptions.of(new CrossEntropy(), new SGD(0.1)).epochs(EPOCHS).batchSize(BATCH).quiet());
        Sequential averaged = SparkTrainerTest.network();

        List<SparkEpoch> epochs = SparkTrainer.fit(averaged, frame, "features", "label",
                FitOptions.of(new CrossEntropy(), new SGD(0.1)).epochs(EPOCHS).batchSize(BATCH).quiet(),
                ParameterAveraging.every(1, () -> new SGD(0.1)));

        // Σ (b_p/B)(θ − η g_p) = θ − η Σ (b_p/B) g_p: only the float rounding differs (measured 1.7e-6)
        assertThat(maxDifference(averaged.parameters().values(), synchronous.parameters().values()))
                .isLessThanOrEqualTo(1e-5f);
        assertThat(averaged.parameters().values()).isNotEqualTo(SparkTrainerTest.network().parameters().values());
        assertThat(epochs.get(0).rounds()).isEqualTo((Digits.SAMPLES + BATCH - 1) / BATCH);
    }

    @Test
    void theSameSeedGivesTheSameBitsAndSoDoesARetriedTask() {
        Dataset<Row> frame = frame(digits, 3);
        Sequential first = SparkTrainerTest.network(), second = SparkTrainerTest.network();
        SparkTrainer.fit(first, frame, "features", "label", adam(new CrossEntropy()), adamEvery(4));
        SparkTrainer.fit(second, frame, "features", "label", adam(new CrossEntropy()), adamEvery(4));
        SparkTrainerTest.FailsOnce.failures.set(0);
        Sequential retried = SparkTrainerTest.network();

        SparkTrainer.fit(retried, frame, "features", "label", adam(new SparkTrainerTest.FailsOnce()), adamEvery(4));

        assertThat(second.parameters().values()).isEqualTo(first.parameters().values());
        assertThat(SparkTrainerTest.FailsOnce.failures.get()).isEqualTo(1);
        assertThat(retried.parameters().values()).isEqualTo(first.parameters().values());
        assertThat(first.parameters().values()).isNotEqualTo(SparkTrainerTest.network().parameters().values());
    }

    /** SparkDigits' network: 64-128-10, He-uniform. */
    private static Sequential digitsNetwork() {
        return Sequential.builder().input(Digits.FEATURES)
                .add(new Dense(128, Initializer.heUniform())).add(new ReLU())
                .add(new Dense(Digits.CLASSES, Initializer.heUniform())).add(new Softmax())
                .seed(42).build();
    }

    @Test
    void averagingEveryEightStepsStillLearnsDigits() {
        Split split = Split.trainTest(digits, 0.2, new Rng(42));
        Sequential net = digitsNetwork();

        List<SparkEpoch> epochs = SparkTrainer.fit(net, frame(split.train(), 2), "features", "label",
                FitOptions.of(new CrossEntropy(), new Adam(1e-3)).epochs(10).batchSize(32).quiet(),
                ParameterAveraging.every(8, () -> new Adam(1e-3)));
        // 1438 rows at batch 32: 45 batches, 6 rounds per epoch (five of 8 steps, one of 5)
        assertThat(epochs.get(0).rounds()).isEqualTo(6);
        assertThat(epochs.get(9).loss()).isLessThan(epochs.get(0).loss() / 4);
        // measured 0.953 (synchronous training of the same network: 0.967); chance is 0.1
        assertThat(Trainer.evaluate(net, split.test()).accuracy()).isGreaterThan(0.9);
    }

    @Test
    void refusesABadKOrAnotherOptimizerBeforeChangingAWeight() {
        assertThatThrownBy(() -> ParameterAveraging.every(0, () -> new Adam(1e-2)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("k (local steps between averages) must be at least 1 but was 0");
        assertThatThrownBy(() -> ParameterAveraging.every(-3, () -> new Adam(1e-2)))
                .hasMessageContaining("but was -3");
        Object unsendable = new Object();
        assertThatThrownBy(() -> ParameterAveraging.every(2, () -> {
            unsendable.hashCode();
            return new Adam(1e-2);
        })).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("non-serializable java.lang.Object");

        Sequential net = SparkTrainerTest.network();
        float[] before = net.parameters().values().clone();
        Dataset<Row> frame = frame(digits, 2);
        FitOptions options = adam(new CrossEntropy());
        assertThatThrownBy(() -> SparkTrainer.fit(net, frame, "features", "label", options,
                ParameterAveraging.every(2, () -> new Adam(1e-3))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("optimizers: the factory makes Adam (learning rate 0.001")
                .hasMessageContaining("but the options train with Adam (learning rate 0.01");
        assertThatThrownBy(() -> SparkTrainer.fit(net, frame, "features", "label", options,
                ParameterAveraging.every(2, () -> new SGD(1e-2))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("makes SGD");
        assertThatThrownBy(() -> SparkTrainer.fit(net, frame, "features", "label", options, null))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("averaging");
        assertThat(net.parameters().values()).isEqualTo(before);
        assertThat(options.optimizer().steps()).isZero();
    }
}
