package org.neuralj.spark;

import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.neuralj.core.FitOptions;
import org.neuralj.core.Rng;
import org.neuralj.core.Sequential;
import org.neuralj.datasets.Digits;
import org.neuralj.datasets.Scaling;
import org.neuralj.datasets.Split;
import org.neuralj.layers.CrossEntropy;
import org.neuralj.layers.Dense;
import org.neuralj.layers.Initializer;
import org.neuralj.layers.ReLU;
import org.neuralj.layers.Softmax;
import org.neuralj.optim.Adam;

/**
 * The runnable example: trains the digits network 64-128-10 on Spark and scores the test rows there.
 *
 * <pre>{@code
 * java <the --add-opens flags of docs/spark.md> -cp ... org.neuralj.spark.SparkDigits [epochs] [partitions] [k]
 * }</pre>
 *
 * Runs on {@code local[*]} unless a master is set (as {@code spark-submit --master} does). Prints each epoch, with the
 * test rows' loss and accuracy as validation, and the test accuracy that scoring the test frame on Spark gives. With a
 * third argument {@code k} it trains with {@link ParameterAveraging} every {@code k} local steps instead of
 * synchronous rounds.
 */
public final class SparkDigits {
    private SparkDigits() {
    }

    /**
     * Arguments: epochs (default 10), partitions (default: Spark's default parallelism), and optionally {@code k} for
     * parameter averaging every {@code k} local steps.
     */
    public static void main(String[] args) {
        int epochs = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        SparkSession.Builder builder = SparkSession.builder().appName("neuralj SparkDigits");
        if (System.getProperty("spark.master") == null) {
            builder.master("local[*]");
        }
        SparkSession spark = builder.getOrCreate();
        try {
            int partitions = args.length > 1 ? Integer.parseInt(args[1]) : spark.sparkContext().defaultParallelism();
            Split split = Split.trainTest(Scaling.divide(Digits.load(), 16f), 0.2, new Rng(42));
            Dataset<Row> train = SparkFrames.of(spark, split.train(), partitions);
            Dataset<Row> test = SparkFrames.of(spark, split.test(), partitions);

            Sequential net = Sequential.builder().input(Digits.FEATURES)
                    .add(new Dense(128, Initializer.heUniform())).add(new ReLU())
                    .add(new Dense(Digits.CLASSES, Initializer.heUniform())).add(new Softmax())
                    .seed(42).build();
            // the test rows double as validation data: each epoch's line shows their loss and accuracy
            FitOptions options = FitOptions.of(new CrossEntropy(), new Adam(1e-3)).epochs(epochs).batchSize(32)
                    .validation(split.test()).quiet();
            List<SparkEpoch> history = args.length > 2
                    ? SparkTrainer.fit(net, train, SparkFrames.FEATURES, SparkFrames.LABEL, options,
                    ParameterAveraging.every(Integer.parseInt(args[2]), () -> new Adam(1e-3)))
                    : SparkTrainer.fit(net, train, SparkFrames.FEATURES, SparkFrames.LABEL, options);
            history.forEach(e -> System.out.println(e.summary()));

            Dataset<Row> scored = SparkInference.score(test, net, SparkFrames.FEATURES);
            long correct = scored.filter(functions.col(SparkInference.PREDICTION)
                    .equalTo(functions.col(SparkFrames.LABEL))).count();
            System.out.printf(java.util.Locale.ROOT, "test accuracy %d / %d (%.1f%%) on %d partitions%n", correct,
                    split.test().size(), 100.0 * correct / split.test().size(), partitions);
        } finally {
            spark.stop();
        }
    }
}
