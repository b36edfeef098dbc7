package org.neuralj.spark;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.neuralj.core.FitOptions;
import org.neuralj.core.History;
import org.neuralj.core.Sequential;
import org.neuralj.core.Trainer;
import org.neuralj.datasets.Idx;
import org.neuralj.layers.CrossEntropy;
import org.neuralj.layers.Dense;
import org.neuralj.layers.Initializer;
import org.neuralj.layers.ReLU;
import org.neuralj.layers.Softmax;
import org.neuralj.optim.Adam;

/**
 * Benchmark, run by hand: Fashion-MNIST 784-256-128-10 (ReLU, softmax + cross-entropy, Adam 1e-3, batch 128), the
 * epoch time of single-process {@link Trainer#fit} against {@link SparkTrainer} on {@code local[2]}, the Spark time
 * split into compute, optimizer step, per-epoch arrangement and communication. Prints one JSON line.
 *
 * <pre>{@code
 * java <flags> -cp ... org.neuralj.spark.SparkFashionBenchmark [--fashion DIR] [--epochs N] [--master local[2]]
 *     [--average-every K]
 * }</pre>
 *
 * Each side trains {@code epochs} epochs (default 2) from the same seed; the last epoch, after the JIT has warmed,
 * is the one compared, and both models' accuracy on the 10,000 test images is reported. With
 * {@code --average-every K} the Spark side uses {@link ParameterAveraging} every {@code K} local steps instead of
 * synchronous rounds.
 */
public final class SparkFashionBenchmark {
    private static final double LEARNING_RATE = 1e-3;

    private SparkFashionBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of("/usr/share/datasets/fashion-mnist");
        int epochs = 2;
        String master = "local[2]";
        int averageEvery = 0;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--fashion" -> dir = Path.of(args[++i]);
                case "--epochs" -> epochs = Integer.parseInt(args[++i]);
                case "--master" -> master = args[++i];
                case "--average-every" -> averageEvery = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]
                        + "; usage: SparkFashionBenchmark [--fashion DIR] [--epochs N] [--master URL]"
                        + " [--average-every K]");
            }
        }
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("Fashion-MNIST folder " + dir + " does not exist; pass --fashion DIR");
        }
        org.neuralj.core.Dataset train = Idx.readFolder(dir, true, 10, Idx.Layout.FLAT);
        train.features().scaleInPlace(1f / 255);
        org.neuralj.core.Dataset test = Idx.readFolder(dir, false, 10, Idx.Layout.FLAT);
        test.features().scaleInPlace(1f / 255);
        ParameterAveraging averaging = averageEvery == 0 ? null
                : ParameterAveraging.every(averageEvery, () -> new Adam(LEARNING_RATE));

        Sequential single = network();
        History history = Trainer.fit(single, train, options(epochs));
        double[] singleSeconds = history.epochSeconds();

        SparkSession spark = SparkSession.builder().appName("neuralj SparkFashionBenchmark").master(master)
                .config("spark.ui.enabled", "false").getOrCreate();
        Map<String, Object> record = new LinkedHashMap<>();
        try {
            int partitions = spark.sparkContext().defaultParallelism();
            Dataset<Row> frame = SparkFrames.of(spark, train, partitions);
            Sequential distributed = network();
            List<SparkEpoch> sparkEpochs = averaging == null
                    ? SparkTrainer.fit(distributed, frame, SparkFrames.FEATURES, SparkFrames.LABEL, options(epochs))
                    : SparkTrainer.fit(distributed, frame, SparkFrames.FEATURES, SparkFrames.LABEL, options(epochs),
                    averaging);
            SparkEpoch last = sparkEpochs.get(sparkEpochs.size() - 1);
            record.put("benchmark", "spark-fashion");
            record.put("network", "784-256-128-10 ReLU softmax-CE, Adam 1e-3, batch 128");
            record.put("n_train", train.size());
            record.put("epochs", epochs);
            record.put("master", master);
            record.put("partitions", partitions);
            record.put("average_every", averageEvery == 0 ? "synchronous" : averageEvery);
            record.put("parameters", single.parameterCount());
            // the weights, and with averaging the optimizer's state too (Adam: m and v)
            int states = averaging == null ? 0 : OptimizerState.names(new Adam(LEARNING_RATE), single.parameters()).length;
            record.put("bytes_per_round_each_way", 4L * single.parameterCount() * (1 + states));
            record.put("rounds_per_epoch", last.rounds());
            record.put("single_epoch_s", round(singleSeconds[singleSeconds.length - 1]));
            record.put("single_loss", round(history.last().loss()));
            record.put("single_test_accuracy", round(Trainer.evaluate(single, test).accuracy()));
            record.put("spark_epoch_s", round(last.millis() / 1e3));
            record.put("spark_compute_s", round(last.computeMillis() / 1e3));
            record.put("spark_step_s", round(last.stepMillis() / 1e3));
            record.put("spark_arrange_s", round(last.arrangeMillis() / 1e3));
            record.put("spark_communication_s", round(last.communicationMillis() / 1e3));
            record.put("spark_ms_per_round", round((double) last.millis() / last.rounds()));
            record.put("spark_loss", round(last.loss()));
            record.put("spark_test_accuracy", round(Trainer.evaluate(distributed, test).accuracy()));
            record.put("cpus", Runtime.getRuntime().availableProcessors());
            record.put("loadavg", Files.readString(Path.of("/proc/loadavg")).trim());
        } finally {
            spark.stop();
        }
        System.out.println(new ObjectMapper().writeValueAsString(record));
    }

    private static Sequential network() {
        return Sequential.builder().input(784)
                .add(new Dense(256, Initializer.heUniform())).add(new ReLU())
                .add(new Dense(128, Initializer.heUniform())).add(new ReLU())
                .add(new Dense(10, Initializer.heUniform())).add(new Softmax())
                .seed(42).build();
    }

    private static FitOptions options(int epochs) {
        return FitOptions.of(new CrossEntropy(), new Adam(LEARNING_RATE)).epochs(epochs).batchSize(128).quiet();
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
