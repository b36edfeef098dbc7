package org.neuralj.examples;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.neuralj.core.Dataset;
import org.neuralj.core.EpochResult;
import org.neuralj.core.FitOptions;
import org.neuralj.core.History;
import org.neuralj.core.Parameter;
import org.neuralj.core.Sequential;
import org.neuralj.core.Tensor;
import org.neuralj.core.TrainingContext;
import org.neuralj.core.TrainingListener;
import org.neuralj.core.Trainer;
import org.neuralj.layers.Dense;
import org.neuralj.layers.MeanSquaredError;
import org.neuralj.layers.Sigmoid;
import org.neuralj.optim.SGD;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The tutorials' worked examples, computed by the framework's own layers and printed step by step: one neuron, the
 * 2-2-1 network, the mean squared error, then a 2-2-1 network trained from scratch to tell two groups of people
 * apart by (shifted) weight and height.
 */
@Command(name = "neuron", mixinStandardHelpOptions = true,
        footerHeading = Main.EXAMPLE,
        footer = "  neuralj neuron --epochs 2000 --lr 0.05",
        description = {"The tutorials' worked examples, step by step.",
                "A single neuron, a 2-2-1 network, the MSE loss, then a small network trained from scratch with"
                        + " its loss falling."})
final class NeuronCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of the trained network's initial weights"
            + " (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--epochs", defaultValue = "1000", description = "Epochs of the from-scratch training"
            + " (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = {"--learning-rate", "--lr"}, defaultValue = "0.1", description = "Its learning rate"
            + " (default: ${DEFAULT-VALUE}).")
    double learningRate;

    /** The tutorials' four people: weight − 135 lb and height − 66 in, and 1 for female. */
    static final float[][] PEOPLE = {{-2, -1}, {25, 6}, {17, 4}, {-15, -6}};
    static final String[] NAMES = {"Alice", "Bob", "Charlie", "Diana"};
    static final float[] FEMALE = {1, 0, 0, 1};

    /** What {@link #run} computed, for the smoke test. */
    record Results(double neuron, double network, double mse, double firstLoss, double lastLoss, double emily,
                   double frank) {
    }

    @Override
    public Integer call() {
        run();
        return 0;
    }

    Results run() {
        FlagCheck.atLeast(spec, "--epochs", epochs, 1);
        FlagCheck.positive(spec, "--learning-rate", learningRate);
        PrintWriter out = spec.commandLine().getOut();

        out.println("1. A single neuron: y = sigmoid(w . x + b)");
        Dense neuron = new Dense(1);
        Sequential single = Sequential.builder().input(2).add(neuron).add(new Sigmoid()).build();
        setAll(neuron, new float[] {0, 1}, 4);
        float[] x = {2, 3};
        double dot = 0 * 2 + 1 * 3 + 4;
        float y1 = single.predict(Tensor.row(x)).get(0);
        out.printf(Locale.ROOT, "   w = [0, 1], b = 4, x = [2, 3]%n   w . x + b = 0*2 + 1*3 + 4 = %.0f%n"
                + "   sigmoid(%.0f) = %s   (the tutorials, in float64: 0.9990889488055994; float32 keeps 7 digits)%n%n",
                dot, dot, y1);

        out.println("2. A 2-2-1 network, every neuron with w = [0, 1], b = 0, input x = [2, 3]");
        Dense hidden = new Dense(2), output = new Dense(1);
        Sequential net = Sequential.builder().input(2).add(hidden).add(new Sigmoid()).add(output)
                .add(new Sigmoid()).build();
        setAll(hidden, new float[] {0, 1}, 0);
        setAll(output, new float[] {0, 1}, 0);
        double h = 1 / (1 + Math.exp(-3));
        float y2 = net.predict(Tensor.row(x)).get(0);
        out.printf(Locale.ROOT, "   h1 = h2 = sigmoid(0*2 + 1*3 + 0) = sigmoid(3) = %.4f%n"
                + "   o1 = sigmoid(0*h1 + 1*h2 + 0) = sigmoid(%.4f) = %s   (the tutorials: 0.7216325609518421)%n%n", h,
                h, y2);

        out.println("3. Mean squared error: (1/n) sum (y_true - y_pred)^2");
        double mse = new MeanSquaredError().value(Tensor.row(0, 0, 0, 0), Tensor.row(1, 0, 0, 1));
        out.printf(Locale.ROOT, "   y_true = [1, 0, 0, 1], y_pred = [0, 0, 0, 0]%n"
                + "   MSE = (1 + 0 + 0 + 1) / 4 = %s%n%n", mse);

        out.println("4. Training a 2-2-1 sigmoid network from scratch on four people:");
        for (int i = 0; i < PEOPLE.length; i++) {
            out.printf(Locale.ROOT, "   %-8s weight %+4.0f, height %+3.0f -> female %.0f%n", NAMES[i],
                    PEOPLE[i][0], PEOPLE[i][1], FEMALE[i]);
        }
        Dataset people = new Dataset(Tensor.fromRows(toDouble(PEOPLE)), Tensor.of(FEMALE.clone(), 4, 1));
        Sequential learner = Sequential.builder().input(2).add(new Dense(2)).add(new Sigmoid()).add(new Dense(1))
                .add(new Sigmoid()).seed(seed).build();
        double before = Trainer.evaluate(learner, people, new MeanSquaredError()).loss();
        out.printf(Locale.ROOT, "   SGD, learning rate %s, one person per step, %d epochs; MSE before training:"
                + " %.4f%n", learningRate, epochs, before);
        int every = Math.max(1, epochs / 10);
        History history = Trainer.fit(learner, people, FitOptions.of(new MeanSquaredError(), new SGD(learningRate))
                .epochs(epochs).batchSize(1).quiet().listener(new TrainingListener() {
                    @Override
                    public void onEpochEnd(EpochResult r, TrainingContext context) {
                        if (r.epoch() % every == 0 || r.epoch() == 1) {
                            out.printf(Locale.ROOT, "   Epoch %4d loss: %.4f%n", r.epoch(), r.loss());
                        }
                    }
                }));
        double emily = learner.predict(Tensor.row(-7, -3)).get(0);
        double frank = learner.predict(Tensor.row(20, 2)).get(0);
        out.printf(Locale.ROOT, "   Emily (weight -7, height -3): %.3f  (female)%n", emily);
        out.printf(Locale.ROOT, "   Frank (weight 20, height  2): %.3f  (male)%n", frank);
        out.flush();
        return new Results(y1, y2, mse, history.loss()[0], history.last().loss(), emily, frank);
    }

    /** Gives every unit of {@code dense} the same incoming weights and bias. */
    private static void setAll(Dense dense, float[] weights, float bias) {
        Parameter w = dense.parameters().get(0), b = dense.parameters().get(1);
        for (int j = 0; j < w.value().cols(); j++) {
            for (int i = 0; i < w.value().rows(); i++) {
                w.value().set(i, j, weights[i]);
            }
            b.value().set(j, bias);
        }
    }

    private static double[][] toDouble(float[][] a) {
        double[][] d = new double[a.length][];
        for (int i = 0; i < a.length; i++) {
            d[i] = new double[a[i].length];
            for (int j = 0; j < a[i].length; j++) {
                d[i][j] = a[i][j];
            }
        }
        return d;
    }
}
