package org.neuralj.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.neuralj.core.Sequential;
import org.neuralj.core.Tensor;
import org.neuralj.datasets.Digits;
import org.neuralj.datasets.Scaling;
import org.neuralj.layers.Dense;
import org.neuralj.layers.ReLU;
import org.neuralj.layers.Softmax;

/** Scoring a data frame on Spark gives exactly what {@code predict} gives on the same rows. */
class SparkInferenceTest {
    private static SparkSession spark;
    private static org.neuralj.core.Dataset digits;

    @BeforeAll
    static void start() {
        spark = LocalSpark.start("SparkInferenceTest");
        digits = Scaling.divide(Digits.load(), 16f).slice(0, 300);
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    static Sequential network() {
        return Sequential.builder().input(Digits.FEATURES)
                .add(new Dense(24)).add(new ReLU())
                .add(new Dense(Digits.CLASSES)).add(new Softmax())
                .seed(11).build();
    }

    @ParameterizedTest
    @EnumSource(LocalSpark.Features.class)
    void scoresEqualPredictExactlyForEveryFeatureType(LocalSpark.Features type) {
        Sequential net = network();
        Dataset<Row> frame = LocalSpark.frame(spark, digits.features(), digits.labels(), 3, type);

        // 7-row batches: partitions of 100 rows end in a short batch
        List<Row> scored = SparkInference.score(frame, net, "features", 7).collectAsList();

        assertScoresEqualPredict(scored, net, SparkInference.PREDICTION, SparkInference.PROBABILITY);
    }

    private static void assertScoresEqualPredict(List<Row> scored, Sequential net, String predictionColumn,
                                                 String probabilityColumn) {
        LocalSpark.assertScoresEqualPredict(scored, net, digits, predictionColumn, probabilityColumn);
    }

    @Test
    void asAPipelineStageItScoresUnderTheColumnNamesItIsGiven() {
        Sequential net = network();
        Dataset<Row> frame = LocalSpark.frame(spark, digits.features(), digits.labels(), 3,
                LocalSpark.Features.VECTOR).withColumnRenamed("features", "pixels");
        NetworkTransformer stage = new NetworkTransformer(net).setFeaturesCol("pixels").setPredictionCol("digit")
                .setProbabilityCol("p").setBatchRows(7);

        PipelineModel fitted = new Pipeline().setStages(new PipelineStage[] {stage}).fit(frame);
        Dataset<Row> scored = fitted.transform(frame);

        assertThat(scored.schema().fieldNames()).containsExactly("id", "pixels", "label", "digit", "p");
        assertThat(scored.schema().apply("digit").dataType()).isEqualTo(org.apache.spark.sql.types.DataTypes.DoubleType);
        assertThat(scored.schema().apply("p").dataType())
                .isEqualTo(org.apache.spark.ml.linalg.SQLDataTypes.VectorType());
        assertScoresEqualPredict(scored.collectAsList(), net, "digit", "p");
    }

    @Test
    void aStageScoresWithTheNetworkAsItWasWhenTheStageWasMade() {
        Sequential net = network(), asMade = net.copy();
        NetworkTransformer stage = new NetworkTransformer(net);
        net.parameters().values()[0] += 1; // trained further after the stage was made
        Dataset<Row> frame = LocalSpark.frame(spark, digits.features(), digits.labels(), 2,
                LocalSpark.Features.FLOATS);

        assertScoresEqualPredict(stage.transform(frame).collectAsList(), asMade, SparkInference.PREDICTION,
                SparkInference.PROBABILITY);
    }

    @Test
    void aStagesParametersAreSparkParamsWithDefaultsThatCopiesCarry() {
        NetworkTransformer stage = new NetworkTransformer(network());
        assertThat(java.util.Arrays.stream(stage.params()).map(org.apache.spark.ml.param.Param::name))
                .containsExactlyInAnyOrder("featuresCol", "predictionCol", "probabilityCol", "batchRows");
        assertThat(stage.getOrDefault(stage.featuresCol())).isEqualTo("features");
        assertThat(stage.getOrDefault(stage.batchRows())).isEqualTo(SparkInference.DEFAULT_BATCH_ROWS);

        NetworkTransformer copy = stage.copy(new ParamMap().put(stage.predictionCol(), "digit"));
        assertThat(copy.uid()).isEqualTo(stage.uid());
        assertThat(copy.getOrDefault(copy.predictionCol())).isEqualTo("digit");
        assertThat(stage.getOrDefault(stage.predictionCol())).as("the original").isEqualTo("prediction");
        assertThatThrownBy(() -> stage.setBatchRows(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("batchRows");
    }

    @Test
    void aStageSavesAndLoadsAloneAndWithinAPipelineModel(@TempDir java.nio.file.Path dir) throws Exception {
        Sequential net = network();
        Dataset<Row> frame = LocalSpark.frame(spark, digits.features(), digits.labels(), 2,
                LocalSpark.Features.DOUBLES);
        NetworkTransformer stage = new NetworkTransformer(net).setPredictionCol("digit").setBatchRows(50);

        stage.save(dir.resolve("stage").toString());
        NetworkTransformer loaded = NetworkTransformer.load(dir.resolve("stage").toString());
        assertThat(loaded.uid()).isEqualTo(stage.uid());
        assertThat(loaded.getOrDefault(loaded.batchRows())).isEqualTo(50);
        assertScoresEqualPredict(loaded.transform(frame).collectAsList(), net, "digit", SparkInference.PROBABILITY);

        PipelineModel model = new Pipeline().setStages(new PipelineStage[] {stage}).fit(frame);
        model.write().save(dir.resolve("pipeline").toString());
        PipelineModel reloaded = PipelineModel.load(dir.resolve("pipeline").toString());
        assertThat(reloaded.stages()).hasSize(1).allSatisfy(s -> assertThat(s).isInstanceOf(NetworkTransformer.class));
        assertScoresEqualPredict(reloaded.transform(frame).collectAsList(), net, "digit",
                SparkInference.PROBABILITY);
    }

    @Test
    void loadingAStageWhoseNetworkFileIsDamagedFailsNamingTheFile(@TempDir java.nio.file.Path dir) throws Exception {
        String path = dir.resolve("stage").toString();
        new NetworkTransformer(network()).save(path);
        java.nio.file.Path file = dir.resolve("stage").resolve(NetworkTransformer.NETWORK_FILE);
        byte[] bytes = java.nio.file.Files.readAllBytes(file);
        java.nio.file.Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length / 2)); // cut short

        assertThatThrownBy(() -> NetworkTransformer.load(path)).isInstanceOf(java.io.UncheckedIOException.class)
                .hasMessageContaining("cannot read the network of the stage saved in " + path)
                .hasMessageContaining(NetworkTransformer.NETWORK_FILE);
    }

    @Test
    void aStageChecksTheSchemaBeforeAnyJob() {
        Dataset<Row> frame = LocalSpark.frame(spark, digits.features(), digits.labels(), 2,
                LocalSpark.Features.FLOATS);
        NetworkTransformer stage = new NetworkTransformer(network());

        assertThat(stage.transformSchema(frame.schema()).fieldNames())
                .containsExactly("id", "features", "label", SparkInference.PREDICTION, SparkInference.PROBABILITY);
        assertThatThrownBy(() -> stage.setFeaturesCol("pixels").transformSchema(frame.schema()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("\"pixels\" does not exist");
        assertThatThrownBy(() -> new NetworkTransformer(network()).setPredictionCol("label").transform(frame))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("already has a column \"label\"");
        assertThatThrownBy(() -> new NetworkTransformer(network()).setPredictionCol("p").setProbabilityCol("p")
                .transformSchema(frame.schema())).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the prediction and probability columns must differ but both are \"p\"");
    }

    @Test
    void keepsTheInputColumnsAndAddsTwo() {
        Dataset<Row> frame = LocalSpark.frame(spark, digits.features(), digits.labels(), 2,
                LocalSpark.Features.FLOATS);

        Dataset<Row> scored = SparkInference.score(frame, network(), "features");

        assertThat(scored.schema().fieldNames())
                .containsExactly("id", "features", "label", SparkInference.PREDICTION, SparkInference.PROBABILITY);
    }

    @Test
    void refusesAMissingOrMistypedColumnOrAClash() {
        Dataset<Row> frame = LocalSpark.frame(spark, digits.features(), digits.labels(), 2,
                LocalSpark.Features.FLOATS);
        Sequential net = network();

        assertThatThrownBy(() -> SparkInference.score(frame, net, "pixels"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("\"pixels\"")
                .hasMessageContaining("[id, features, label]");
        assertThatThrownBy(() -> SparkInference.score(frame, net, "label"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("\"label\" is int");
        assertThatThrownBy(() -> SparkInference.score(frame.withColumnRenamed("label", "prediction"), net,
                "features")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("\"prediction\"");
        assertThatThrownBy(() -> SparkInference.score(frame, net, "features", 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("batchRows must be at least 1");
    }

    @Test
    void aRowOfTheWrongWidthFailsNamingTheColumnAndWidths() {
        Tensor narrow = Tensor.of(java.util.Arrays.copyOf(digits.features().data(), 256), 8, 32);
        Dataset<Row> frame = LocalSpark.frame(spark, narrow, new int[8], 1, LocalSpark.Features.FLOATS);

        assertThatThrownBy(() -> SparkInference.score(frame, network(), "features").collectAsList())
                .hasStackTraceContaining("column \"features\" holds 32 values in a row; the network expects 64");
    }
}
