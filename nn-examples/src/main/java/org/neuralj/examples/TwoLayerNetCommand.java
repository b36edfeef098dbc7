package org.neuralj.examples;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.neuralj.viz.ChartStyle;
import org.neuralj.core.Dataset;
import org.neuralj.core.Evaluation;
import org.neuralj.core.Parameter;
import org.neuralj.core.Rng;
import org.neuralj.core.Tensor;
import org.neuralj.core.Trainer;
import org.neuralj.datasets.Digits;
import org.neuralj.datasets.Idx;
import org.neuralj.datasets.Scaling;
import org.neuralj.datasets.Split;
import org.neuralj.optim.SGD;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The <i>Deep Learning from Scratch</i> two-layer network trained the way the book does it: batches of 100 drawn at
 * random (with replacement, like {@code np.random.choice}) for a fixed number of iterations, SGD with η = 0.1, train
 * and test accuracy once per epoch-equivalent ({@code max(N / batch, 1)} iterations), loss and accuracy curves.
 *
 * <p>The loop is written out (zero the gradients, compute them, {@code optimizer.step}) rather than handed to
 * {@code Trainer.fit}, whose epochs visit each sample once, because the lesson swaps the gradient's source:
 * {@code --gradient numerical} takes it from central differences ({@link TwoLayerNet#numericalGradient}), then
 * repeats the same steps by backpropagation from the same start on the same batches (the two runs end with the same
 * parameters, up to rounding), and times backpropagation over {@link #TIMING_STEPS} steps after as many to warm up
 * the JIT compiler: a handful of cold steps would flatter the numerical method.
 *
 * <p>Before training, the tutorial's gradient check: on the first {@code --check-samples} training samples, for each
 * of W1, b1, W2, b2, the mean absolute difference between the numerical and the backpropagated gradient.
 */
@Command(name = "two-layer-net", mixinStandardHelpOptions = true,
        footerHeading = Main.EXAMPLE,
        footer = "  neuralj two-layer-net --dataset digits --iterations 2000",
        description = {"The 'Deep Learning from Scratch' TwoLayerNet (the tutorials' 'Learning in neural networks'"
                + " chapter): input-50-10, sigmoid, softmax, cross-entropy, weights N(0, 0.01^2), SGD lr 0.1, random"
                + " batches of 100, 10,000 iterations.",
                "The book uses MNIST; this runs on Debian's Fashion-MNIST at " + MnistCommand.FASHION_MNIST
                        + " (same format, harder) and falls back to the embedded 8x8 digits when it is absent.",
                "Prints the gradient check per parameter tensor and train/test accuracy per epoch; writes loss and"
                        + " accuracy curves. --gradient numerical trains a small network on a subset by central"
                        + " differences and measures how much slower that is than backpropagation."})
final class TwoLayerNetCommand implements Callable<Integer> {
    /** The tutorial's step of the numerical gradient. */
    static final double H = 1e-4;
    /** Backpropagation steps timed (after as many warm-up steps) to compare with the numerical ones. */
    static final int TIMING_STEPS = 200;
    /** At most about this many accuracy lines are printed. */
    static final int MAX_LINES = 20;

    enum Gradient {
        BACKPROP, NUMERICAL;

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    enum DataChoice {
        FASHION_MNIST("fashion-mnist", "Fashion-MNIST"), DIGITS("digits", "the 8x8 digits");

        private final String cliName;
        /** The data's name in titles and sentences. */
        final String title;

        DataChoice(String cliName, String title) {
            this.cliName = cliName;
            this.title = title;
        }

        @Override
        public String toString() {
            return cliName;
        }
    }

    static final class Gradients extends CliNames<Gradient> {
        Gradients() {
            super(Gradient.class);
        }
    }

    static final class DataChoices extends CliNames<DataChoice> {
        DataChoices() {
            super(DataChoice.class);
        }
    }

    @Spec
    CommandSpec spec;

    @Option(names = "--gradient", converter = Gradients.class, paramLabel = "HOW", defaultValue = "backprop",
            description = "Where the gradients come from: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    Gradient gradient;

    @Option(names = "--dataset", converter = DataChoices.class, paramLabel = "NAME", defaultValue = "fashion-mnist",
            description = "${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}; digits when it is not installed).")
    DataChoice dataset;

    @Option(names = "--data", paramLabel = "DIR", defaultValue = MnistCommand.FASHION_MNIST,
            description = "The MNIST-format folder of --dataset fashion-mnist (default: ${DEFAULT-VALUE}).")
    Path data;

    @Option(names = "--hidden", paramLabel = "N",
            description = "Hidden units (default: 50; 10 with --gradient numerical).")
    Integer hidden;

    @Option(names = "--iterations", paramLabel = "N",
            description = "Training steps (default: 10000; 5 with --gradient numerical).")
    Integer iterations;

    @Option(names = "--limit", paramLabel = "N",
            description = "Train on the first N training samples (default: all; 1000 with --gradient numerical).")
    Integer limit;

    @Option(names = "--batch-size", paramLabel = "B", defaultValue = "100",
            description = "Samples drawn at random per step (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = {"--learning-rate", "--lr"}, paramLabel = "ETA", defaultValue = "0.1",
            description = "SGD learning rate (default: ${DEFAULT-VALUE}).")
    double learningRate;

    @Option(names = "--check-samples", paramLabel = "N", defaultValue = "3",
            description = "Training samples of the gradient check (default: ${DEFAULT-VALUE}, as the tutorial).")
    int checkSamples;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "42",
            description = "Seed of the weights and of the batches drawn (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "out",
            description = "Folder for the pictures (default: ${DEFAULT-VALUE}).")
    Path out;

    /** Accuracy after {@code iteration} steps. */
    record Measurement(int iteration, double trainAccuracy, double testAccuracy) {
    }

    /** One training run: the loss of every step, the accuracies per epoch-equivalent, the mean time per step. */
    record Run(double[] losses, List<Measurement> accuracy, double secondsPerStep) {
    }

    /**
     * What {@link #run} computed: the data used, the gradient check's mean absolute differences per tensor (W1, b1,
     * W2, b2), the training run, and for {@code --gradient numerical} the backpropagation run on the same batches,
     * the largest difference between the two runs' final parameters and backpropagation's warm time per step (else
     * null, NaN and NaN).
     */
    record Results(DataChoice data, Map<String, Double> check, Run run, Run backpropReplay, double finalDifference,
                   double backpropSecondsPerStep, List<Path> pictures) {
    }

    @Override
    public Integer call() throws IOException {
        run();
        return 0;
    }

    Results run() throws IOException {
        boolean numerical = gradient == Gradient.NUMERICAL;
        int units = hidden != null ? hidden : numerical ? 10 : 50;
        int steps = iterations != null ? iterations : numerical ? 5 : 10_000;
        Integer subset = limit != null ? limit : numerical ? Integer.valueOf(1000) : null;
        FlagCheck.atLeast(spec, "--hidden", units, 1);
        FlagCheck.atLeast(spec, "--iterations", steps, 1);
        FlagCheck.atLeast(spec, "--limit", subset == null ? 1 : subset, 1);
        FlagCheck.atLeast(spec, "--batch-size", batchSize, 1);
        FlagCheck.atLeast(spec, "--check-samples", checkSamples, 1);
        FlagCheck.positive(spec, "--learning-rate", learningRate);
        PrintWriter o = spec.commandLine().getOut();
        DataChoice used = dataset;
        if (used == DataChoice.FASHION_MNIST && !Files.isDirectory(data)) {
            o.printf("Fashion-MNIST is not installed at %s (apt-get install dataset-fashion-mnist): using the embedded"
                    + " 8x8 digits instead.%n", data);
            used = DataChoice.DIGITS;
        }
        Split split = load(used);
        Dataset train = subset == null || subset >= split.train().size() ? split.train()
                : split.train().slice(0, subset);
        int inputs = train.features().cols(), classes = train.targets().cols();
        o.printf(Locale.ROOT, "TwoLayerNet on %s (the tutorial uses MNIST): %d training and %d test samples;"
                        + " %d-%d-%d, sigmoid, softmax, cross-entropy, weights N(0, 0.01^2), biases 0, SGD lr %s,"
                        + " random batches of %d, %d iterations, gradients by %s, seed %d%n", used.title, train.size(),
                split.test().size(), inputs, units, classes, learningRate, batchSize, steps, gradient, seed);

        TwoLayerNet net = new TwoLayerNet(inputs, units, classes, seed);
        Map<String, Double> check = gradientCheck(net, train, o);

        Run run = train(net, train, split.test(), steps, numerical, o);
        o.printf(Locale.ROOT, "%s: %.3f ms per step (gradient and update)%n", gradient, 1e3 * run.secondsPerStep());
        Run replay = null;
        double difference = Double.NaN, backpropSeconds = Double.NaN;
        if (numerical) {
            TwoLayerNet twin = new TwoLayerNet(inputs, units, classes, seed);
            replay = train(twin, train, split.test(), steps, false, null);
            difference = maxDifference(net, twin);
            o.printf(Locale.ROOT, "The same %d steps by backpropagation from the same start end with parameters within"
                    + " %.1e of these.%n", steps, difference);
            int timed = Math.max(steps, TIMING_STEPS);
            train(new TwoLayerNet(inputs, units, classes, seed), train, split.test(), timed, false, null);
            backpropSeconds = train(new TwoLayerNet(inputs, units, classes, seed), train, split.test(), timed, false,
                    null).secondsPerStep();
            o.printf(Locale.ROOT, "backprop: %.3f ms per step (mean of %d steps, after as many to warm up)%n",
                    1e3 * backpropSeconds, timed);
            o.printf(Locale.ROOT, "Numerical gradients took %.0f times as long per step as backpropagation: %d"
                    + " parameters, two forward passes over the batch each, against one forward and one backward"
                    + " pass.%n", run.secondsPerStep() / backpropSeconds, net.network().parameterCount());
        }
        List<Path> pictures = drawCurves(run, used);
        o.printf("Wrote the loss curve to %s and the accuracy curve to %s%n", pictures.get(0), pictures.get(1));
        o.flush();
        return new Results(used, check, run, replay, difference, backpropSeconds, pictures);
    }

    private Split load(DataChoice choice) {
        if (choice == DataChoice.FASHION_MNIST) {
            return new Split(Scaling.divide(Idx.readFolder(data, true, 10), 255),
                    Scaling.divide(Idx.readFolder(data, false, 10), 255));
        }
        return Split.trainTest(Scaling.divide(Digits.load(), 16), 0.2, new Rng(seed));
    }

    /** The tutorial's gradient check: mean |numerical − backprop| per parameter tensor on the first samples. */
    private Map<String, Double> gradientCheck(TwoLayerNet net, Dataset train, PrintWriter o) {
        Dataset few = train.slice(0, Math.min(checkSamples, train.size()));
        double[][] numeric = net.numericalGradient(few.features(), few.targets(), H);
        net.backpropagate(few.features(), few.targets());
        o.printf(Locale.ROOT, "Gradient check on %d training samples, numerical (central differences, h = 1e-4, in"
                + " double) against backpropagation (float32):%n", few.size());
        Map<String, Double> differences = new LinkedHashMap<>();
        List<Parameter> ps = net.parameters();
        for (int p = 0; p < ps.size(); p++) {
            float[] analytic = ps.get(p).grad().toArray();
            double diff = 0, magnitude = 0;
            for (int i = 0; i < analytic.length; i++) {
                diff += Math.abs(numeric[p][i] - analytic[i]);
                magnitude += Math.abs(numeric[p][i]);
            }
            diff /= analytic.length;
            magnitude /= analytic.length;
            differences.put(TwoLayerNet.NAMES.get(p), diff);
            o.printf(Locale.ROOT, "   %-3s %-10s mean |numerical - backprop| = %.2e   (mean |gradient| = %.2e)%n",
                    TwoLayerNet.NAMES.get(p), Arrays.toString(ps.get(p).value().shape()), diff, magnitude);
        }
        net.parameters().forEach(Parameter::zeroGrad);
        return differences;
    }

    /**
     * {@code steps} steps of SGD on random batches. When {@code o} is not null, measures the accuracies at the start,
     * every epoch-equivalent and at the end, and prints them (every k-th epoch-equivalent when there would be more
     * than {@link #MAX_LINES} lines, as on the small digits set). The batches come from their own generator seeded
     * with {@code --seed}, so two runs draw the same ones.
     */
    private Run train(TwoLayerNet net, Dataset train, Dataset test, int steps, boolean numerical, PrintWriter o) {
        int n = train.size(), b = Math.min(batchSize, n);
        int perEpoch = Math.max(n / b, 1);
        int printEvery = perEpoch * (int) Math.ceil((double) steps / perEpoch / MAX_LINES);
        Rng batches = new Rng(seed).split();
        SGD sgd = new SGD(learningRate);
        List<Parameter> ps = net.parameters();
        int[] rows = new int[b];
        Tensor x = Tensor.zeros(b, train.features().cols()), t = Tensor.zeros(b, train.targets().cols());
        double[] losses = new double[steps];
        List<Measurement> accuracy = new ArrayList<>();
        if (o != null) {
            accuracy.add(measure(net, train, test, 0, perEpoch, o));
        }
        long nanos = 0;
        for (int step = 1; step <= steps; step++) {
            for (int i = 0; i < b; i++) {
                rows[i] = batches.nextInt(n);
            }
            train.features().gatherRows(rows, 0, b, x);
            train.targets().gatherRows(rows, 0, b, t);
            long begin = System.nanoTime();
            if (numerical) {
                double[][] g = net.numericalGradient(x, t, H);
                for (int p = 0; p < ps.size(); p++) {
                    Tensor grad = ps.get(p).grad();
                    for (int i = 0; i < grad.size(); i++) {
                        grad.set(i, (float) g[p][i]);
                    }
                }
                losses[step - 1] = net.lossInDouble(net.parametersInDouble(), x, t);
            } else {
                losses[step - 1] = net.backpropagate(x, t);
            }
            sgd.step(ps);
            nanos += System.nanoTime() - begin;
            if (o != null && (step % perEpoch == 0 || step == steps)) {
                accuracy.add(measure(net, train, test, step, perEpoch, step % printEvery == 0 || step == steps
                        ? o : null));
            }
        }
        return new Run(losses, accuracy, nanos / 1e9 / steps);
    }

    /** Train and test accuracy after {@code step} steps, printed when {@code o} is not null. */
    private static Measurement measure(TwoLayerNet net, Dataset train, Dataset test, int step, int perEpoch,
                                       PrintWriter o) {
        Evaluation tr = Trainer.evaluate(net.network(), train, net.loss());
        Evaluation te = Trainer.evaluate(net.network(), test, net.loss());
        if (o != null) {
            o.printf(Locale.ROOT, "iteration %5d (epoch %6.2f): train acc %.4f, test acc %.4f, train loss %.4f%n",
                    step, (double) step / perEpoch, tr.accuracy(), te.accuracy(), tr.loss());
            o.flush();
        }
        return new Measurement(step, tr.accuracy(), te.accuracy());
    }

    private static double maxDifference(TwoLayerNet a, TwoLayerNet b) {
        double max = 0;
        for (int p = 0; p < a.parameters().size(); p++) {
            float[] x = a.parameters().get(p).value().toArray(), y = b.parameters().get(p).value().toArray();
            for (int i = 0; i < x.length; i++) {
                max = Math.max(max, Math.abs(x[i] - y[i]));
            }
        }
        return max;
    }

    /** {@code two-layer-net-loss.png} (every step's batch loss) and {@code two-layer-net-accuracy.png}. */
    private List<Path> drawCurves(Run run, DataChoice data) throws IOException {
        Files.createDirectories(out);
        double[] steps = new double[run.losses().length];
        for (int i = 0; i < steps.length; i++) {
            steps[i] = i + 1;
        }
        XYChart loss = new XYChartBuilder().width(800).height(500)
                .title("TwoLayerNet on " + data.title + ": loss per iteration")
                .xAxisTitle("iteration").yAxisTitle("cross-entropy of the batch").build();
        ChartStyle.leadingZero(loss.getStyler()).setLegendVisible(false);
        loss.getStyler().setXAxisMin(0.0);
        loss.addSeries("batch loss", steps, run.losses()).setMarker(SeriesMarkers.NONE);

        int m = run.accuracy().size();
        double[] at = new double[m], trainAcc = new double[m], testAcc = new double[m];
        for (int i = 0; i < m; i++) {
            at[i] = run.accuracy().get(i).iteration();
            trainAcc[i] = run.accuracy().get(i).trainAccuracy();
            testAcc[i] = run.accuracy().get(i).testAccuracy();
        }
        XYChart accuracy = new XYChartBuilder().width(800).height(500)
                .title("TwoLayerNet on " + data.title + ": accuracy")
                .xAxisTitle("iteration").yAxisTitle("accuracy").build();
        ChartStyle.leadingZero(accuracy.getStyler()).setLegendPosition(Styler.LegendPosition.InsideSE);
        accuracy.getStyler().setYAxisMin(0.0).setYAxisMax(1.0);
        accuracy.addSeries("train", at, trainAcc).setMarker(SeriesMarkers.NONE);
        accuracy.addSeries("test", at, testAcc).setMarker(SeriesMarkers.NONE);

        Path lossFile = out.resolve("two-layer-net-loss.png"), accuracyFile = out.resolve("two-layer-net-accuracy.png");
        BitmapEncoder.saveBitmap(loss, lossFile.toString(), BitmapEncoder.BitmapFormat.PNG);
        BitmapEncoder.saveBitmap(accuracy, accuracyFile.toString(), BitmapEncoder.BitmapFormat.PNG);
        return List.of(lossFile, accuracyFile);
    }
}
