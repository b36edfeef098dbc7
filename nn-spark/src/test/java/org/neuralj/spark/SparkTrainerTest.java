package org.neuralj.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.TaskContext;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.neuralj.core.EarlyStopping;
import org.neuralj.core.EpochResult;
import org.neuralj.core.FitOptions;
import org.neuralj.core.History;
import org.neuralj.core.Loss;
import org.neuralj.core.Monitor;
import org.neuralj.core.Sequential;
import org.neuralj.core.SoftmaxFusedLoss;
import org.neuralj.core.Tensor;
import org.neuralj.core.Trainer;
import org.neuralj.core.TrainingContext;
import org.neuralj.core.TrainingListener;
import org.neuralj.datasets.Digits;
import org.neuralj.datasets.Scaling;
import org.neuralj.layers.BatchNorm;
import org.neuralj.layers.CrossEntropy;
import org.neuralj.layers.Dense;
import org.neuralj.layers.ReLU;
import org.neuralj.layers.Softmax;
import org.neuralj.optim.Adam;

/**
 * Training on Spark against single-process {@link Trainer#fit} on the same global batches: bit for bit with one
 * partition, within float rounding with several, and unchanged when a task fails once and Spark retries it.
 */
class SparkTrainerTest {
    private static final int EPOCHS = 2;
    private static final int BATCH = 128;
    private static SparkSession spark;
    private static org.neuralj.core.Dataset digits;

    @BeforeAll
    static void start() {
        spark = LocalSpark.start("SparkTrainerTest");
        digits = Scaling.divide(Digits.load(), 16f);
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    static Sequential network() {
        return Sequential.builder().input(Digits.FEATURES)
                .add(new Dense(32)).add(new ReLU())
                .add(new Dense(Digits.CLASSES)).add(new Softmax())
                .seed(5).build();
    }

    private static FitOptions options(Loss loss) {
        return FitOptions.of(loss, new Adam(1e-2)).epochs(EPOCHS).batchSize(BATCH).quiet();
    }

    private static Dataset<Row> frame(int partitions) {
        return LocalSpark.frame(spark, digits.features(), digits.labels(), partitions, LocalSpark.Features.FLOATS);
    }

    /** The network {@code fit} trains in one process on the same rows in the same order. */
    private static Sequential fitInProcess() {
        Sequential net = network();
        Trainer.fit(net, digits, options(new CrossEntropy()));
        return net;
    }

    @Test
    void asAPipelineStageItTrainsWhatSparkTrainerTrainsFitAfterFit() {
        Dataset<Row> frame = frame(3);
        NetworkEstimator estimator = new NetworkEstimator(network(), () -> options(new CrossEntropy()))
                .setPredictionCol("digit");
        Sequential expected = network();
        SparkTrainer.fit(expected, frame, "features", "label", options(new CrossEntropy()));

        for (int fit = 1; fit <= 2; fit++) { // fresh options every fit: no optimizer state carries over
            PipelineModel model = new Pipeline().setStages(new PipelineStage[] {estimator}).fit(frame);
            assertThat(model.stages()[0]).isInstanceOf(NetworkTransformer.class);
            assertThat(((NetworkTransformer) model.stages()[0]).parent()).isSameAs(estimator);
            // Spark's own evaluator reads the stage's prediction column
            double accuracy = new org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator()
                    .setLabelCol("label").setPredictionCol("digit").setMetricName("accuracy")
                    .evaluate(model.transform(frame));
            assertThat(accuracy).isCloseTo(Trainer.evaluate(expected, digits).accuracy(),
                    org.assertj.core.data.Offset.offset(1e-12));
            LocalSpark.assertScoresEqualPredict(model.transform(frame).collectAsList(), expected, digits, "digit",
                    SparkInference.PROBABILITY);
        }
    }

    @Test
    void anEstimatorChecksItsColumnsBeforeTraining() {
        Dataset<Row> frame = frame(2);
        NetworkEstimator estimator = new NetworkEstimator(network(), () -> options(new CrossEntropy()));
        assertThat(estimator.transformSchema(frame.schema()).fieldNames())
                .containsExactly("id", "features", "label", SparkInference.PREDICTION, SparkInference.PROBABILITY);
        assertThatThrownBy(() -> estimator.setLabelCol("class").transformSchema(frame.schema()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("column \"class\" does not exist; the columns are [id, features, label]");
        assertThatThrownBy(() -> new NetworkEstimator(network(), () -> options(new CrossEntropy()))
                .setFeaturesCol("pixels").fit(frame)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\"pixels\"");
    }

    @Test
    void listenersAndValidationSeeWhatFitShowsThemAndOnePartitionMatchesFitsHistory() {
        org.neuralj.core.Dataset validation = digits.slice(0, 200);
        Sequential expected = network();
        History fitted = Trainer.fit(expected, digits, options(new CrossEntropy()).validation(validation));

        List<String> calls = new java.util.ArrayList<>();
        List<EpochResult> heard = new java.util.ArrayList<>();
        TrainingListener recorder = new TrainingListener() {
            @Override
            public void onTrainBegin(TrainingContext context) {
                calls.add("train");
            }

            @Override
            public void onEpochBegin(int epoch, TrainingContext context) {
                calls.add("epoch " + epoch);
            }

            @Override
            public void onBatchEnd(int epoch, int batch, double loss, TrainingContext context) {
                calls.add(epoch + "." + batch);
            }

            @Override
            public void onEpochEnd(EpochResult result, TrainingContext context) {
                heard.add(result);
                assertThat(context.history().last()).isSameAs(result);
            }

            @Override
            public void onTrainEnd(History history, TrainingContext context) {
                calls.add("end after " + history.size());
            }
        };
        Sequential net = network();
        List<SparkEpoch> epochs = SparkTrainer.fit(net, frame(1), "features", "label",
                options(new CrossEntropy()).validation(validation).listener(recorder));

        int batches = (digits.size() + BATCH - 1) / BATCH;
        List<String> expectedCalls = new java.util.ArrayList<>(List.of("train"));
        for (int e = 1; e <= EPOCHS; e++) {
            expectedCalls.add("epoch " + e);
            for (int b = 0; b < batches; b++) {
                expectedCalls.add(e + "." + b);
            }
        }
        expectedCalls.add("end after " + EPOCHS);
        assertThat(calls).containsExactlyElementsOf(expectedCalls);
        assertThat(epochs.stream().mapToDouble(SparkEpoch::validationLoss).toArray())
                .as("one partition: fit's model, so fit's validation loss").isEqualTo(fitted.validationLoss());
        assertThat(heard).extracting(EpochResult::validationAccuracy)
                .containsExactlyElementsOf(fitted.epochs().stream().map(EpochResult::validationAccuracy).toList());
        assertThat(heard).extracting(EpochResult::validationCount).containsOnly(200);
        assertThat(epochs.get(0).summary()).contains(", val loss ").contains("validate ");
    }

    @Test
    void earlyStoppingEndsASparkRunAfterTheEpochItStops() {
        // patience 0 and an improvement no epoch can make: the run stops after epoch 2 of 5
        EarlyStopping stop = new EarlyStopping(Monitor.VAL_LOSS, 0, 100, false);
        List<SparkEpoch> epochs = SparkTrainer.fit(network(), frame(2), "features", "label",
                options(new CrossEntropy()).epochs(5).validation(digits.slice(0, 100)).listener(stop));
        assertThat(epochs).extracting(SparkEpoch::epoch).containsExactly(1, 2);
    }

    @Test
    void onePartitionReproducesFitBitForBit() {
        Sequential expected = network();
        History history = Trainer.fit(expected, digits, options(new CrossEntropy()));
        Sequential net = network();

        List<SparkEpoch> epochs = SparkTrainer.fit(net, frame(1), "features", "label", options(new CrossEntropy()));

        assertThat(net.parameters().values()).isEqualTo(expected.parameters().values());
        assertThat(net.rng().state()).isEqualTo(expected.rng().state());
        assertThat(epochs).hasSize(EPOCHS);
        assertThat(epochs.get(0).rounds()).isEqualTo((Digits.SAMPLES + BATCH - 1) / BATCH);
        assertThat(epochs.stream().mapToDouble(SparkEpoch::loss).toArray()).isEqualTo(history.loss());
        assertThat(epochs.stream().mapToDouble(SparkEpoch::trainAccuracy).toArray())
                .isEqualTo(history.trainAccuracy());
        assertThat(epochs.get(EPOCHS - 1).loss()).isLessThan(epochs.get(0).loss());
    }

    @Test
    void severalPartitionsEqualFitWithinFloatRounding() {
        float[] expected = fitInProcess().parameters().values();
        Sequential net = network();

        SparkTrainer.fit(net, frame(3), "features", "label", options(new CrossEntropy()));

        float[] actual = net.parameters().values();
        float worst = 0;
        for (int i = 0; i < actual.length; i++) {
            worst = Math.max(worst, Math.abs(actual[i] - expected[i]));
        }
        assertThat(worst).isLessThanOrEqualTo(1e-5f);
        assertThat(actual).isNotEqualTo(network().parameters().values());
    }

    @Test
    void sevenPartitionsSummedOnTheExecutorsFirstStillEqualFit() {
        assertThat(RoundJob.treeHasOneLevel(7)).as("7 partitions take treeAggregate's two-level path").isFalse();
        float[] expected = fitInProcess().parameters().values();
        Sequential net = network();

        SparkTrainer.fit(net, frame(7), "features", "label", options(new CrossEntropy()));

        float[] actual = net.parameters().values();
        float worst = 0;
        for (int i = 0; i < actual.length; i++) {
            worst = Math.max(worst, Math.abs(actual[i] - expected[i]));
        }
        assertThat(worst).isLessThanOrEqualTo(1e-5f);
    }

    @Test
    void aTaskThatFailsOnceIsRetriedAndTheModelIsUnchanged() {
        Sequential clean = network();
        SparkTrainer.fit(clean, frame(3), "features", "label", options(new CrossEntropy()));
        FailsOnce.failures.set(0);
        Sequential retried = network();

        SparkTrainer.fit(retried, frame(3), "features", "label", options(new FailsOnce()));

        assertThat(FailsOnce.failures.get()).isEqualTo(1);
        assertThat(retried.parameters().values()).isEqualTo(clean.parameters().values());
    }

    /**
     * Cross-entropy whose first computation on partition 1 throws, on the task's first attempt: Spark must run the
     * task again (the test session allows two attempts).
     */
    public static final class FailsOnce implements SoftmaxFusedLoss {
        static final AtomicInteger failures = new AtomicInteger();
        private static final CrossEntropy CE = new CrossEntropy();

        @Override
        public double value(Tensor predicted, Tensor target) {
            TaskContext task = TaskContext.get();
            if (task != null && task.partitionId() == 1 && task.attemptNumber() == 0
                    && failures.compareAndSet(0, 1)) {
                throw new IllegalStateException("injected failure of partition 1, attempt 0");
            }
            return CE.value(predicted, target);
        }

        @Override
        public void gradient(Tensor predicted, Tensor target, Tensor out) {
            CE.gradient(predicted, target, out);
        }

        @Override
        public void gradientWrtLogits(Tensor probabilities, Tensor target, Tensor out) {
            CE.gradientWrtLogits(probabilities, target, out);
        }
    }

    @Test
    void refusesWhatItCannotTrainBeforeChangingAWeight() {
        Sequential net = network();
        float[] before = net.parameters().values().clone();
        Dataset<Row> frame = frame(2);
        FitOptions options = options(new CrossEntropy());

        assertThatThrownBy(() -> SparkTrainer.fit(net, frame, "pixels", "label", options))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("\"pixels\"");
        assertThatThrownBy(() -> SparkTrainer.fit(net, frame, "features", "id", options(new CrossEntropy()).validationSplit(0.2)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("validationSplit 0.2 is not supported");
        org.neuralj.core.Dataset narrow = new org.neuralj.core.Dataset(Tensor.zeros(5, 3), Tensor.zeros(5, 10));
        assertThatThrownBy(() -> SparkTrainer.fit(net, frame, "features", "label",
                options(new CrossEntropy()).validation(narrow))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("options: validation data: the network expects input width 64");
        Sequential withBuffers = Sequential.builder().input(Digits.FEATURES)
                .add(new Dense(8)).add(new BatchNorm()).add(new Dense(Digits.CLASSES)).add(new Softmax()).build();
        assertThatThrownBy(() -> SparkTrainer.fit(withBuffers, frame, "features", "label", options))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("layer 1 (BatchNorm")
                .hasMessageContaining("buffers");
        assertThatThrownBy(() -> SparkTrainer.fit(net, frame, "features", "label", options(new Scaled(2))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("instance field \"scale\"");
        assertThat(net.parameters().values()).isEqualTo(before);
    }

    /** A loss with a setting and no way to send it: not Serializable. */
    private static final class Scaled implements Loss {
        private final double scale;

        Scaled(double scale) {
            this.scale = scale;
        }

        @Override
        public double value(Tensor predicted, Tensor target) {
            return scale;
        }

        @Override
        public void gradient(Tensor predicted, Tensor target, Tensor out) {
            out.fill((float) scale);
        }
    }

    @Test
    void aClassOutsideTheOutputsFailsNamingTheRow() {
        int[] labels = digits.labels().clone();
        labels[17] = Digits.CLASSES;
        Dataset<Row> frame = LocalSpark.frame(spark, digits.features(), labels, 2, LocalSpark.Features.FLOATS);

        assertThatThrownBy(() -> SparkTrainer.fit(network(), frame, "features", "label", options(new CrossEntropy())))
                .hasStackTraceContaining("row 17: column \"label\" holds class 10; the network has 10 outputs");
    }
}
