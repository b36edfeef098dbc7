package org.neuralj.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.neuralj.core.Classes;
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

        Tensor expected = net.predict(digits.features());
        int[] classes = Classes.of(expected);
        assertThat(scored).hasSize(digits.size());
        for (Row row : scored) {
            int id = row.getInt(row.fieldIndex("id"));
            assertThat(row.getInt(row.fieldIndex(SparkInference.PREDICTION))).isEqualTo(classes[id]);
            List<Float> probability = row.getList(row.fieldIndex(SparkInference.PROBABILITY));
            float[] p = new float[probability.size()];
            for (int c = 0; c < p.length; c++) {
                p[c] = probability.get(c);
            }
            float[] want = new float[Digits.CLASSES];
            System.arraycopy(expected.data(), id * Digits.CLASSES, want, 0, Digits.CLASSES);
            assertThat(p).isEqualTo(want);
        }
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
