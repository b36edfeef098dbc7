package org.neuralj.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.neuralj.core.FitOptions;
import org.neuralj.core.Sequential;
import org.neuralj.core.Trainer;
import org.neuralj.datasets.Digits;
import org.neuralj.datasets.Scaling;
import org.neuralj.layers.CrossEntropy;
import org.neuralj.optim.Adam;

/**
 * Training on a Spark that serializes with Kryo ({@code spark.serializer=KryoSerializer}, common on clusters): both
 * modes run, and synchronous training still equals {@link Trainer#fit} within float rounding.
 */
class KryoTrainingTest {
    private static SparkSession spark;
    private static org.neuralj.core.Dataset digits;

    @BeforeAll
    static void start() {
        spark = LocalSpark.start("KryoTrainingTest",
                Map.of("spark.serializer", "org.apache.spark.serializer.KryoSerializer"));
        digits = Scaling.divide(Digits.load(), 16f);
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    private static FitOptions options() {
        return FitOptions.of(new CrossEntropy(), new Adam(1e-2)).epochs(1).batchSize(128).quiet();
    }

    @Test
    void bothModesTrainUnderKryo() {
        assertThat(spark.conf().get("spark.serializer")).endsWith("KryoSerializer");
        Dataset<Row> frame = LocalSpark.frame(spark, digits.features(), digits.labels(), 3,
                LocalSpark.Features.FLOATS);
        Sequential expected = SparkTrainerTest.network();
        Trainer.fit(expected, digits, options());
        Sequential synchronous = SparkTrainerTest.network(), averaged = SparkTrainerTest.network();

        SparkTrainer.fit(synchronous, frame, "features", "label", options());
        SparkTrainer.fit(averaged, frame, "features", "label", options(),
                ParameterAveraging.every(4, () -> new Adam(1e-2)));

        float[] actual = synchronous.parameters().values(), wanted = expected.parameters().values();
        float worst = 0;
        for (int i = 0; i < actual.length; i++) {
            worst = Math.max(worst, Math.abs(actual[i] - wanted[i]));
        }
        assertThat(worst).isLessThanOrEqualTo(1e-5f);
        assertThat(averaged.parameters().values()).isNotEqualTo(SparkTrainerTest.network().parameters().values());
    }
}
