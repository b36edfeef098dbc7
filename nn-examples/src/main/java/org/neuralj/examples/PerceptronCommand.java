package org.neuralj.examples;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.neuralj.core.Dataset;
import org.neuralj.core.FitOptions;
import org.neuralj.core.Sequential;
import org.neuralj.core.Tensor;
import org.neuralj.core.Trainer;
import org.neuralj.layers.Dense;
import org.neuralj.layers.QuadraticCost;
import org.neuralj.layers.Sigmoid;
import org.neuralj.layers.Step;
import org.neuralj.optim.SGD;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import org.neuralj.viz.DecisionBoundary;

/**
 * The perceptron, from a hand-set decision unit to the limit that motivates hidden layers.
 *
 * <ol>
 *   <li>A decision unit {@code y = step(w·x − θ)} on yes/no inputs: the tutorials' weekend hike, with weights 8 (no
 *       overtime), 10 (good weather) and 1 (convenient trip) and threshold θ = 5; every input combination with its
 *       weighted sum and decision, then the same table after a weight change.</li>
 *   <li>The perceptron learning rule {@code w ← w + η (t − y) x}, {@code b ← b + η (t − y)}, sample by sample, on
 *       AND, OR and XOR from zero weights. On a linearly separable gate it stops changing after finitely many
 *       epochs (the perceptron convergence theorem). The rule is deterministic, so when the weights at the end of
 *       an epoch equal those at the end of an earlier one, every later epoch repeats the cycle: on XOR that proves
 *       it never converges.</li>
 *   <li>XOR learned by a 2-2-1 sigmoid network with the framework's {@code Trainer}: one hidden layer suffices.</li>
 * </ol>
 *
 * The units are the framework's own layers: a {@link Dense} with one output followed by a {@link Step}, the bias
 * holding {@code −θ}.
 */
@Command(name = "perceptron", mixinStandardHelpOptions = true,
        footerHeading = Main.EXAMPLE,
        footer = "  neuralj perceptron --weights 6,2,2 --threshold 5 --out pictures",
        description = {"The perceptron, step by step (the tutorials' 'Introduction to neural networks').",
                "A hand-set decision unit (go hiking or not), the perceptron learning rule converging on AND and OR and"
                        + " cycling forever on XOR, then XOR learned by a 2-2-1 network with a hidden layer."})
final class PerceptronCommand implements Callable<Integer> {
    static final String[] FACTORS = {"no overtime", "good weather", "convenient trip"};
    static final float[] AND = {0, 0, 0, 1};
    static final float[] OR = {0, 1, 1, 1};
    static final float[] XOR = {0, 1, 1, 0};

    @Spec
    CommandSpec spec;

    @Option(names = "--weights", split = ",", paramLabel = "W1,W2,W3", hideParamSyntax = true, defaultValue = "8,10,1",
            description = "Weights of the three hiking factors (default: ${DEFAULT-VALUE}).")
    List<Float> weights;

    @Option(names = "--threshold", paramLabel = "T", defaultValue = "5",
            description = "Go when the weighted sum exceeds T (default: ${DEFAULT-VALUE}).")
    float threshold;

    @Option(names = "--then-weights", split = ",", paramLabel = "W1,W2,W3", hideParamSyntax = true, defaultValue = "8,4,1",
            description = "The changed weights of the second table: which decisions change? (default: "
                    + "${DEFAULT-VALUE}).")
    List<Float> thenWeights;

    @Option(names = {"--learning-rate", "--lr"}, paramLabel = "ETA", defaultValue = "1",
            description = "η of the perceptron learning rule (default: ${DEFAULT-VALUE}).")
    float learningRate;

    @Option(names = "--max-epochs", paramLabel = "N", defaultValue = "20",
            description = "Epochs the learning rule may take per gate before giving up (default: ${DEFAULT-VALUE}).")
    int maxEpochs;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "2",
            description = "Seed of the 2-2-1 network's initial weights (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "out",
            description = "Folder for the pictures (default: ${DEFAULT-VALUE}).")
    Path outDir;

    @Option(names = "--epochs", paramLabel = "E", defaultValue = "3000",
            description = "Epochs of the 2-2-1 network on XOR (SGD lr 2, full batch of 4) (default: "
                    + "${DEFAULT-VALUE}).")
    int epochs;

    /**
     * How the learning rule went on one gate: the weights and bias it ended with, the errors of each epoch, whether
     * it converged (an epoch without errors), and for a cycle the epoch it first returned to and the period.
     */
    record Learning(String gate, float[] weights, float bias, List<Integer> errors, boolean converged,
                    int cycleFrom, int cyclePeriod) {
    }

    /** What {@link #run} computed, for the smoke test. */
    record Results(float[] sums, int[] decisions, int[] changedDecisions, List<Learning> rules, float[] xorOutputs,
                   List<Path> pictures) {
    }

    @Override
    public Integer call() throws IOException {
        run();
        return 0;
    }

    Results run() throws IOException {
        FlagCheck.require(spec, weights.size() == FACTORS.length, "--weights needs " + FACTORS.length
                + " comma-separated numbers, one per factor, but got " + weights);
        FlagCheck.require(spec, thenWeights.size() == FACTORS.length, "--then-weights needs " + FACTORS.length
                + " comma-separated numbers, one per factor, but got " + thenWeights);
        FlagCheck.finite(spec, "--weights", weights);
        FlagCheck.finite(spec, "--then-weights", thenWeights);
        FlagCheck.finite(spec, "--threshold", List.of(threshold));
        FlagCheck.positive(spec, "--learning-rate", learningRate);
        FlagCheck.atLeast(spec, "--max-epochs", maxEpochs, 1);
        FlagCheck.atLeast(spec, "--epochs", epochs, 1);
        PrintWriter out = spec.commandLine().getOut();
        float[] w = toArray(weights), w2 = toArray(thenWeights);
        Tensor combos = allCombinations(FACTORS.length);

        out.println("1. A perceptron decides whether to go hiking: go (1) when the weighted sum of three yes/no"
                + " factors exceeds " + num(threshold));
        for (int i = 0; i < FACTORS.length; i++) {
            out.printf(Locale.ROOT, "   x%d = 1 if %-16s weight %s%n", i + 1, FACTORS[i], num(w[i]));
        }
        float[] sums = new float[combos.rows()];
        int[] decisions = decide(w, combos, sums);
        out.println("   x1 x2 x3   weighted sum          decision");
        for (int r = 0; r < combos.rows(); r++) {
            out.printf(Locale.ROOT, "    %s  %s  %s   %-20s  %s%n", num(combos.get(r, 0)), num(combos.get(r, 1)),
                    num(combos.get(r, 2)), num(sums[r]) + (sums[r] > threshold ? " > " : " <= ") + num(threshold),
                    decisions[r] == 1 ? "go" : "stay");
        }
        out.println();

        out.println("2. The same unit with the weights " + num(w) + " changed to " + num(w2) + ":");
        float[] sums2 = new float[combos.rows()];
        int[] changed = decide(w2, combos, sums2);
        int flips = 0;
        for (int r = 0; r < combos.rows(); r++) {
            boolean flip = changed[r] != decisions[r];
            flips += flip ? 1 : 0;
            out.printf(Locale.ROOT, "    %s  %s  %s   sum %-4s  %-4s -> %-4s%s%n", num(combos.get(r, 0)),
                    num(combos.get(r, 1)), num(combos.get(r, 2)), num(sums2[r]), decisions[r] == 1 ? "go" : "stay",
                    changed[r] == 1 ? "go" : "stay", flip ? "   <- changed" : "");
        }
        out.printf(Locale.ROOT, "   %d of %d decisions changed: the weights are what the unit knows.%n%n", flips,
                combos.rows());

        out.printf(Locale.ROOT, "3. The perceptron learning rule, one sample at a time: y = step(w . x + b),"
                + " w <- w + %s (t - y) x, b <- b + %s (t - y); start from w = [0, 0], b = 0%n", num(learningRate),
                num(learningRate));
        List<Learning> rules = new ArrayList<>();
        List<Path> pictures = new ArrayList<>();
        String[] gates = {"AND", "OR", "XOR"};
        float[][] targets = {AND, OR, XOR};
        for (int g = 0; g < gates.length; g++) {
            Learning learning = learn(gates[g], targets[g], out);
            rules.add(learning);
            Path file = outDir.resolve("perceptron-" + gates[g].toLowerCase(Locale.ROOT) + ".png");
            DecisionBoundary.write(perceptron(learning.weights(), learning.bias()), gate(targets[g]), file);
            pictures.add(file);
        }
        out.println("   Wrote each gate's final perceptron (its line w . x + b = 0 over the four inputs) to "
                + pictures.stream().map(Path::toString).collect(Collectors.joining(", ")));
        out.println();

        out.println("4. XOR with one hidden layer: a 2-2-1 sigmoid network, quadratic cost, SGD lr 2 on all four"
                + " inputs at once, " + epochs + " epochs, seed " + seed);
        Path xorPicture = outDir.resolve("perceptron-xor-network.png");
        float[] xor = trainXorNetwork(out, xorPicture);
        pictures.add(xorPicture);
        out.flush();
        return new Results(sums, decisions, changed, rules, xor, pictures);
    }

    /** A perceptron {@code step(w·x + bias)} as a Dense(1) + Step network; the bias is minus the threshold. */
    private Sequential perceptron(float[] w, float bias) {
        Dense unit = new Dense(1);
        Sequential net = Sequential.builder().input(w.length).add(unit).add(new Step()).build();
        unit.parameters().get(0).value().copyFrom(Tensor.of(w.clone(), w.length, 1));
        unit.parameters().get(1).value().fill(bias);
        return net;
    }

    /** The decisions for every row of {@code inputs}; writes the weighted sums {@code w·x} into {@code sums}. */
    private int[] decide(float[] w, Tensor inputs, float[] sums) {
        Tensor y = perceptron(w, -threshold).predict(inputs);
        int[] d = new int[inputs.rows()];
        for (int r = 0; r < d.length; r++) {
            float s = 0;
            for (int i = 0; i < w.length; i++) {
                s += w[i] * inputs.get(r, i);
            }
            sums[r] = s;
            d[r] = (int) y.get(r);
        }
        return d;
    }

    /**
     * Runs the perceptron rule on a two-input gate until an epoch makes no error, the end-of-epoch weights repeat
     * an earlier epoch's (a cycle: the rule will repeat it forever), or {@code --max-epochs} pass.
     */
    private Learning learn(String gate, float[] targets, PrintWriter out) {
        Sequential net = perceptron(new float[] {0, 0}, 0);
        // the network's parameter buffer is the perceptron's whole state, [w₁, w₂, b]: the rule updates it in place
        float[] theta = net.parameters().values();
        out.printf(Locale.ROOT, "   %s, targets %s:%n", gate, num(targets));
        List<float[]> states = new ArrayList<>();
        states.add(new float[] {theta[0], theta[1], theta[2]});
        List<Integer> errors = new ArrayList<>();
        Tensor inputs = gateInputs();
        for (int epoch = 1; epoch <= maxEpochs; epoch++) {
            int wrong = 0;
            for (int s = 0; s < inputs.rows(); s++) {
                float[] x = inputs.sliceRows(s, s + 1).toArray();
                float y = net.predict(Tensor.row(x)).get(0);
                float delta = learningRate * (targets[s] - y);
                if (delta != 0) {
                    wrong++;
                    theta[0] += delta * x[0];
                    theta[1] += delta * x[1];
                    theta[2] += delta;
                }
            }
            errors.add(wrong);
            float[] state = {theta[0], theta[1], theta[2]};
            out.printf(Locale.ROOT, "     epoch %2d: %d wrong, w = %s, b = %s%n", epoch, wrong,
                    num(new float[] {theta[0], theta[1]}), num(theta[2]));
            if (wrong == 0) {
                out.printf(Locale.ROOT, "     converged: all four right after %d epochs%n", epoch);
                return new Learning(gate, new float[] {theta[0], theta[1]}, theta[2], errors, true, 0, 0);
            }
            for (int earlier = 0; earlier < states.size(); earlier++) {
                if (Arrays.equals(states.get(earlier), state)) {
                    int period = epoch - earlier;
                    out.printf(Locale.ROOT, "     never converges: epoch %d ended with the weights of %s, and the rule"
                            + " is deterministic, so it repeats %s forever, never without errors%n", epoch,
                            earlier == 0 ? "the start" : "epoch " + earlier,
                            period == 1 ? "that epoch" : "those " + period + " epochs");
                    out.println("     (no line w . x + b = 0 puts [0, 1] and [1, 0] on one side and [0, 0] and [1, 1]"
                            + " on the other: XOR is not linearly separable)");
                    return new Learning(gate, new float[] {theta[0], theta[1]}, theta[2], errors, false, earlier, period);
                }
            }
            states.add(state);
        }
        out.printf(Locale.ROOT, "     no convergence within %d epochs (--max-epochs)%n", maxEpochs);
        return new Learning(gate, new float[] {theta[0], theta[1]}, theta[2], errors, false, 0, 0);
    }

    /**
     * Trains a 2-2-1 sigmoid network on XOR, prints its outputs and hidden units and draws its decision regions to
     * {@code picture}; returns the four outputs.
     */
    private float[] trainXorNetwork(PrintWriter out, Path picture) throws IOException {
        Dense hidden = new Dense(2);
        Sequential net = Sequential.builder().input(2).add(hidden).add(new Sigmoid()).add(new Dense(1))
                .add(new Sigmoid()).seed(seed).build();
        Dataset xor = gate(XOR);
        Tensor x = xor.features();
        double before = Trainer.evaluate(net, xor, new QuadraticCost()).loss();
        double after = Trainer.fit(net, xor, FitOptions.of(new QuadraticCost(), new SGD(2)).epochs(epochs)
                .batchSize(4).shuffle(false).quiet()).last().loss();
        Tensor h = net.layers().get(1).forward(hidden.forward(x, false), false).copy();
        Tensor y = net.predict(x);
        out.printf(Locale.ROOT, "   cost %.4f before training, %.6f after%n", before, after);
        out.println("   x1 x2   h1     h2     output  -> answer  (target)");
        float[] outputs = new float[4];
        for (int r = 0; r < 4; r++) {
            outputs[r] = y.get(r);
            out.printf(Locale.ROOT, "    %s  %s   %.3f  %.3f  %.4f  -> %d       (%s)%n", num(x.get(r, 0)),
                    num(x.get(r, 1)), h.get(r, 0), h.get(r, 1), outputs[r], outputs[r] > 0.5f ? 1 : 0,
                    num(XOR[r]));
        }
        boolean solved = true;
        for (int r = 0; r < 4; r++) {
            solved &= (outputs[r] > 0.5f ? 1 : 0) == XOR[r];
        }
        if (solved) {
            out.println("   Solved: each hidden unit draws one line across the plane (a perceptron-like split), and"
                    + " the output unit combines the two, which no single unit can do.");
        } else {
            out.println("   Not solved: from this start the network settled in a local minimum (with N(0, 1) weights"
                    + " some starts do: with the default settings seeds 1, 3, 5 and 9); try another --seed.");
        }
        DecisionBoundary.write(net, xor, picture);
        out.println("   Wrote the network's regions over the four inputs to " + picture);
        return outputs;
    }

    /** The four inputs of a two-input gate, in the order the learning rule visits them: 00, 01, 10, 11. */
    private static Tensor gateInputs() {
        return allCombinations(2);
    }

    /** The four inputs of a two-input gate with its {@code targets}, one column of 0/1. */
    private static Dataset gate(float[] targets) {
        return new Dataset(gateInputs(), Tensor.of(targets.clone(), targets.length, 1));
    }

    /** Every 0/1 vector of length n as the rows of a matrix, counting up in binary with x1 the leading digit. */
    private static Tensor allCombinations(int n) {
        Tensor rows = Tensor.zeros(1 << n, n);
        for (int r = 0; r < rows.rows(); r++) {
            for (int i = 0; i < n; i++) {
                rows.set(r, i, (r >> (n - 1 - i)) & 1);
            }
        }
        return rows;
    }

    private static float[] toArray(List<Float> values) {
        float[] a = new float[values.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = values.get(i);
        }
        return a;
    }

    /** A number as a learner writes it: {@code 8}, {@code -1}, {@code 0.5}. */
    static String num(float v) {
        return v == Math.rint(v) && Math.abs(v) < 1e9 ? String.valueOf((long) v) : String.valueOf(v);
    }

    static String num(float[] v) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < v.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(num(v[i]));
        }
        return sb.append(']').toString();
    }
}
