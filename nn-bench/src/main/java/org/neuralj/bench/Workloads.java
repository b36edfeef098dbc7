package org.neuralj.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.neuralj.core.Dataset;
import org.neuralj.core.EpochResult;
import org.neuralj.core.FitOptions;
import org.neuralj.core.Gemm;
import org.neuralj.core.Loss;
import org.neuralj.core.Optimizer;
import org.neuralj.core.Rng;
import org.neuralj.core.Sequential;
import org.neuralj.core.Tensor;
import org.neuralj.core.TrainingContext;
import org.neuralj.core.TrainingListener;
import org.neuralj.core.Trainer;
import org.neuralj.datasets.Digits;
import org.neuralj.datasets.Idx;
import org.neuralj.datasets.Scaling;
import org.neuralj.datasets.Split;
import org.neuralj.layers.CrossEntropy;
import org.neuralj.layers.Dense;
import org.neuralj.layers.Initializer;
import org.neuralj.layers.QuadraticCost;
import org.neuralj.layers.ReLU;
import org.neuralj.layers.Sigmoid;
import org.neuralj.layers.Softmax;
import org.neuralj.optim.Adam;
import org.neuralj.optim.SGD;

/**
 * The end-to-end benchmark: trains the workloads of the performance comparison with the framework and prints one
 * JSON line per workload (training seconds, seconds per epoch, test accuracy, peak resident memory).
 *
 * <pre>
 * A  digits 64-30-10 sigmoid, quadratic cost, SGD lr 3.0, batch 10, 30 epochs (1437 train / 360 test)
 * B  digits 64-128-10 ReLU, softmax + cross-entropy, Adam 1e-3, batch 32, 50 epochs
 * C  Fashion-MNIST 784-256-128-10 ReLU, softmax + cross-entropy, Adam 1e-3, batch 128, 5 epochs,
 *    then inference throughput at batch 1 and 1024
 * cnn Fashion-MNIST [N, 1, 28, 28], LeNet-5 ({@link FashionNetwork#leNet}), softmax + cross-entropy, Adam 1e-3,
 *    batch 64, 3 epochs, then inference throughput at batch 1 and 1024 (the PyTorch peer's {@code --task cnn})
 * </pre>
 *
 * Usage: {@code java --add-modules jdk.incubator.vector -cp nn-bench/target/benchmarks.jar
 * org.neuralj.bench.Workloads [a] [b] [c] [cnn] [--fashion DIR] [--seed N]}. Training time is the sum of the epochs'
 * times, as PyTorch's peer script measures it: test accuracy is computed after training, untimed. The JVM starts
 * cold, so the first epochs include JIT compilation. Run each workload in its own process for its own peak memory.
 */
public final class Workloads {
    private static final Path DEFAULT_FASHION = Path.of("/usr/share/datasets/fashion-mnist");
    private static final double INFERENCE_SECONDS = 2.0;

    private Workloads() {
    }

    public static void main(String[] args) throws IOException {
        List<String> tasks = new ArrayList<>();
        Path fashion = DEFAULT_FASHION;
        long seed = 0;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "a", "b", "c", "cnn" -> tasks.add(args[i]);
                case "--fashion" -> fashion = Path.of(requireValue(args, ++i, "--fashion"));
                case "--seed" -> seed = Long.parseLong(requireValue(args, ++i, "--seed"));
                default -> {
                    System.err.println("unknown argument '" + args[i] + "'; usage: Workloads [a] [b] [c] [cnn]"
                            + " [--fashion DIR] [--seed N]");
                    System.exit(2);
                }
            }
        }
        if (tasks.isEmpty()) {
            tasks = List.of("a", "b", "c");
        }
        ObjectMapper json = new ObjectMapper();
        for (String task : tasks) {
            Map<String, Object> record = switch (task) {
                case "a" -> workloadA(seed);
                case "b" -> workloadB(seed);
                case "c" -> workloadC(fashion, seed);
                default -> workloadCnn(fashion, seed);
            };
            record.put("peak_rss_mib", peakRssMib());
            record.put("kernel", Gemm.kernelName());
            record.put("java", System.getProperty("java.vm.version"));
            record.put("cpus", Runtime.getRuntime().availableProcessors());
            record.put("loadavg", loadAverage());
            System.out.println(json.writeValueAsString(record));
        }
    }

    /** Digits 64-30-10 sigmoid, quadratic cost, SGD 3.0, batch 10, 30 epochs: the tutorials' network. */
    static Map<String, Object> workloadA(long seed) {
        Split split = digits(seed);
        Sequential net = Sequential.builder().input(Digits.FEATURES)
                .add(new Dense(30)).add(new Sigmoid())
                .add(new Dense(Digits.CLASSES)).add(new Sigmoid())
                .seed(seed).build();
        return train("A", "digits 64-30-10 sigmoid, quadratic cost, SGD 3.0", net, split.train(), split.test(),
                new QuadraticCost(), new SGD(3.0), 10, 30);
    }

    /** Digits 64-128-10 ReLU, softmax + cross-entropy, Adam 1e-3, batch 32, 50 epochs. */
    static Map<String, Object> workloadB(long seed) {
        Split split = digits(seed);
        Sequential net = Sequential.builder().input(Digits.FEATURES)
                .add(new Dense(128, Initializer.heUniform())).add(new ReLU())
                .add(new Dense(Digits.CLASSES, Initializer.heUniform())).add(new Softmax())
                .seed(seed).build();
        return train("B", "digits 64-128-10 ReLU, softmax-CE, Adam 1e-3", net, split.train(), split.test(),
                new CrossEntropy(), adam(), 32, 50);
    }

    /** Fashion-MNIST 784-256-128-10 ReLU, softmax + cross-entropy, Adam 1e-3, batch 128, 5 epochs; inference. */
    static Map<String, Object> workloadC(Path dir, long seed) {
        Dataset[] data = fashion(dir, Idx.Layout.FLAT);
        Dataset train = data[0], test = data[1];
        Sequential net = FashionNetwork.build(seed);
        Map<String, Object> record = train("C", "Fashion-MNIST 784-256-128-10 ReLU, softmax-CE, Adam 1e-3", net,
                train, test, new CrossEntropy(), adam(), 128, 5);
        record.put("infer_b1_samples_per_s", Math.round(inferenceThroughput(net, test.features(), 1)));
        record.put("infer_b1024_samples_per_s", Math.round(inferenceThroughput(net, test.features(), 1024)));
        return record;
    }

    /**
     * Fashion-MNIST as images {@code [N, 1, 28, 28]}, LeNet-5, softmax + cross-entropy, Adam 1e-3, batch 64, 3
     * epochs; then inference throughput at batch 1 and 1024.
     */
    static Map<String, Object> workloadCnn(Path dir, long seed) {
        Dataset[] data = fashion(dir, Idx.Layout.IMAGES);
        Dataset train = data[0], test = data[1];
        Sequential net = FashionNetwork.leNet(seed);
        Map<String, Object> record = train("cnn", "Fashion-MNIST LeNet-5 [1, 28, 28], softmax-CE, Adam 1e-3", net,
                train, test, new CrossEntropy(), adam(), 64, 3);
        record.put("infer_b1_samples_per_s", Math.round(inferenceThroughput(net, test.features(), 1)));
        record.put("infer_b1024_samples_per_s", Math.round(inferenceThroughput(net, test.features(), 1024)));
        return record;
    }

    /** Fashion-MNIST's training and test parts in {@code layout}, pixels scaled to [0, 1]. */
    private static Dataset[] fashion(Path dir, Idx.Layout layout) {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("Fashion-MNIST folder " + dir + " does not exist; install Debian's"
                    + " dataset-fashion-mnist or pass --fashion DIR");
        }
        Dataset train = Idx.readFolder(dir, true, 10, layout), test = Idx.readFolder(dir, false, 10, layout);
        // Pixels 0..255 to [0, 1] in place: a scaled copy would hold the 188 MB of training images twice.
        train.features().scaleInPlace(1f / 255);
        test.features().scaleInPlace(1f / 255);
        return new Dataset[] {train, test};
    }

    private static Optimizer adam() {
        return new Adam(1e-3);
    }

    /** The 1797 digits scaled to [0, 1] and split 1437 / 360. */
    private static Split digits(long seed) {
        // 360 test rows as scikit-learn's train_test_split(test_size=0.2) rounds up, which the PyTorch peer uses.
        return Split.trainTest(Scaling.divide(Digits.load(), 16f), 360.0 / Digits.SAMPLES, new Rng(seed));
    }

    private static Map<String, Object> train(String name, String description, Sequential net, Dataset train,
                                             Dataset test, Loss loss, Optimizer optimizer, int batch, int epochs) {
        EpochTimer timer = new EpochTimer();
        long start = System.nanoTime();
        Trainer.fit(net, train, FitOptions.of(loss, optimizer).epochs(epochs).batchSize(batch).listener(timer).quiet());
        double wall = (System.nanoTime() - start) / 1e9;
        double accuracy = Trainer.evaluate(net, test).accuracy();

        double[] epochSeconds = timer.seconds.stream().mapToDouble(Double::doubleValue).toArray();
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("framework", "neuralj");
        record.put("workload", name);
        record.put("description", description);
        record.put("optimizer", optimizer.toString());
        record.put("n_train", train.size());
        record.put("n_test", test.size());
        record.put("batch", batch);
        record.put("epochs", epochs);
        record.put("train_s", round(Arrays.stream(epochSeconds).sum()));
        record.put("fit_wall_s", round(wall));
        record.put("epoch_s", Arrays.stream(epochSeconds).map(Workloads::round).toArray());
        record.put("epoch_s_median", round(median(epochSeconds)));
        record.put("test_accuracy", round(accuracy));
        return record;
    }

    /** Times each epoch's training (the listener is called before and after it; no validation set is given). */
    private static final class EpochTimer implements TrainingListener {
        final List<Double> seconds = new ArrayList<>();
        private long begin;

        @Override
        public void onEpochBegin(int epoch, TrainingContext context) {
            begin = System.nanoTime();
        }

        @Override
        public void onEpochEnd(EpochResult result, TrainingContext context) {
            seconds.add((System.nanoTime() - begin) / 1e9);
        }
    }

    /**
     * Samples per second of forward passes in inference mode over consecutive batches of {@code x}, as the PyTorch
     * peer measures it: a warm-up of 50 batches, then passes over the data until at least two seconds have passed.
     */
    static double inferenceThroughput(Sequential net, Tensor x, int batch) {
        int n = x.rows();
        int[] identity = Rng.identity(n);
        Tensor input = Tensor.zeros(batch, x.cols());
        for (int k = 0, warm = 0; k + batch <= n && warm < 50; k += batch, warm++) {
            x.gatherRows(identity, k, k + batch, input);
            net.forward(input, false);
        }
        long done = 0, start = System.nanoTime();
        double elapsed;
        do {
            for (int k = 0; k + batch <= n; k += batch) {
                x.gatherRows(identity, k, k + batch, input);
                net.forward(input, false);
                done += batch;
            }
            elapsed = (System.nanoTime() - start) / 1e9;
        } while (elapsed < INFERENCE_SECONDS);
        return done / elapsed;
    }

    /** VmHWM of /proc/self/status: the process's peak resident set, in MiB (-1 where there is no /proc). */
    static double peakRssMib() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return round(Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0);
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "";
        }
    }

    private static double median(double[] values) {
        double[] s = values.clone();
        Arrays.sort(s);
        return s.length == 0 ? Double.NaN
                : s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private static double round(double x) {
        return Double.parseDouble(String.format(Locale.ROOT, "%.4g", x));
    }

    private static String requireValue(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }
}
