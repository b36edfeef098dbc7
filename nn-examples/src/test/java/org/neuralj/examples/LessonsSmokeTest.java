package org.neuralj.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The lessons ({@code perceptron}, {@code gradient-descent}, {@code two-layer-net}) print the numbers a learner
 * checks by hand; these tests assert them, with small iteration counts where a command trains.
 */
class LessonsSmokeTest {

    @TempDir
    Path out;

    private final StringWriter printed = new StringWriter();
    private final StringWriter errors = new StringWriter();

    /** Parses {@code args} like {@code main} does and returns the subcommand, printing into {@link #printed}. */
    private <T> T command(String... args) {
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(printed, true));
        CommandLine.ParseResult parsed = cl.parseArgs(args);
        return parsed.subcommand().commandSpec().commandLine().getCommand();
    }

    /** Runs {@code args} through {@code execute} as {@code main} would; returns the exit code. */
    private int execute(String... args) {
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(printed, true));
        cl.setErr(new PrintWriter(errors, true));
        return cl.execute(args);
    }

    private static BufferedImage png(Path file) throws IOException {
        assertThat(file).exists();
        BufferedImage image = ImageIO.read(file.toFile());
        assertThat(image).as("%s is a readable PNG", file).isNotNull();
        return image;
    }

    /** Whether the pixel is in class 1's colour (orange: more red than blue) rather than class 0's (blue). */
    private static boolean orange(BufferedImage image, int x, int y) {
        int rgb = image.getRGB(x, y);
        return (rgb >> 16 & 0xff) > (rgb & 0xff);
    }

    @Test
    void perceptronDecidesLearnsAndFailsOnXorUntilAHiddenLayerHelps() throws IOException {
        PerceptronCommand perceptron = command("perceptron", "--out", out.toString());
        PerceptronCommand.Results r = perceptron.run();

        // rows 000, 001, 010, ..., 111 with weights 8, 10, 1 and threshold 5: go unless neither x1 nor x2
        assertThat(r.sums()).containsExactly(0, 1, 10, 11, 8, 9, 18, 19);
        assertThat(r.decisions()).containsExactly(0, 0, 1, 1, 1, 1, 1, 1);
        // weather weight 10 -> 4: good weather alone (4, or 5 with a convenient trip) no longer exceeds 5
        assertThat(r.changedDecisions()).containsExactly(0, 0, 0, 0, 1, 1, 1, 1);

        PerceptronCommand.Learning and = r.rules().get(0), or = r.rules().get(1), xor = r.rules().get(2);
        assertThat(and.converged()).isTrue();
        assertThat(and.errors()).hasSize(6).endsWith(0);
        assertThat(and.weights()).containsExactly(2, 1);
        assertThat(and.bias()).isEqualTo(-2);
        assertThat(or.converged()).isTrue();
        assertThat(or.errors()).hasSize(4).endsWith(0);
        assertThat(xor.converged()).isFalse();
        assertThat(xor.errors()).allMatch(e -> e > 0);
        assertThat(xor.cycleFrom()).isEqualTo(2);
        assertThat(xor.cyclePeriod()).isEqualTo(1);

        float[] y = r.xorOutputs();
        assertThat(y[0]).isLessThan(0.1f);
        assertThat(y[1]).isGreaterThan(0.9f);
        assertThat(y[2]).isGreaterThan(0.9f);
        assertThat(y[3]).isLessThan(0.1f);
        assertThat(printed.toString()).contains("10 > 5                go").contains("1 <= 5                stay")
                .contains("2 of 8 decisions changed").contains("converged: all four right after 6 epochs")
                .contains("never converges: epoch 3 ended with the weights of epoch 2").contains("Solved");
        for (String name : new String[] {"and", "or", "xor"}) {
            png(out.resolve("perceptron-" + name + ".png"));
        }
        // the network's regions: (0, 0) and (1, 1) on one side, (1, 0) and (0, 1) on the other (640 px over
        // -0.1..1.1; sampled 20 px inside each corner point, clear of its dot)
        BufferedImage regions = png(out.resolve("perceptron-xor-network.png"));
        int low = 53 + 20, high = 587 - 20;
        assertThat(orange(regions, low, high)).as("(0, 0)").isFalse();
        assertThat(orange(regions, high, high)).as("(1, 0)").isTrue();
        assertThat(orange(regions, low, low)).as("(0, 1)").isTrue();
        assertThat(orange(regions, high, low)).as("(1, 1)").isFalse();
        assertThat(r.pictures()).hasSize(4);
    }

    @Test
    void perceptronRefusesAWrongNumberOfWeights() {
        assertThat(execute("perceptron", "--weights", "8,10")).isEqualTo(2);
        assertThat(errors.toString()).contains("--weights needs 3 comma-separated numbers, one per factor, but got [8.0, 10.0]");
    }

    @Test
    void gradientDescentShowsRoundingAndReachesTheMinimum() throws IOException {
        GradientDescentCommand gd = command("gradient-descent", "--out", out.toString());
        GradientDescentCommand.Results r = gd.run();

        List<GradientDescentCommand.DerivativeRow> table = r.table();
        assertThat(table).hasSize(10);
        GradientDescentCommand.DerivativeRow h4 = table.get(3), h2 = table.get(1);
        assertThat(h4.h()).isEqualTo(1e-4);
        // double: the central difference at the tutorial's h is good to 1e-8, the forward one only to ~h
        assertThat(h4.central64()).isLessThan(1e-8);
        assertThat(h4.forward64()).isBetween(1e-4, 2e-4);
        // float32 at h = 1e-4 is worse than at 1e-2; at 1e-8 x + h == x and the estimate is 0 (error e)
        assertThat(h4.central32()).isGreaterThan(10 * h2.central32());
        assertThat(table.get(7).central32()).isCloseTo(Math.E, within(1e-6));

        double[] end = r.main().end();
        assertThat(Math.hypot(end[0], end[1])).isLessThan(1e-4);
        assertThat(r.main().path()).hasNumberOfRows(101);
        double[] big = r.compared().get(0).end(), tiny = r.compared().get(1).end();
        assertThat(Math.hypot(big[0], big[1])).isGreaterThan(1e10);
        assertThat(tiny[0]).isCloseTo(-3, within(1e-6));
        assertThat(tiny[1]).isCloseTo(4, within(1e-6));

        BufferedImage picture = png(out.resolve("gradient-descent-path.png"));
        assertThat(picture.getWidth()).isEqualTo(picture.getHeight());
        assertThat(printed.toString()).contains("best h for central, double  1e-5").contains("Diverged")
                .contains("No progress").contains("lr 1e-10");
    }

    @Test
    void twoLayerNetPassesTheGradientCheckAndLearnsTheDigits() throws IOException {
        // a missing Fashion-MNIST folder: the command says so and uses the embedded digits
        TwoLayerNetCommand net = command("two-layer-net", "--data", out.resolve("absent").toString(), "--iterations",
                "2000", "--out", out.toString());
        TwoLayerNetCommand.Results r = net.run();

        assertThat(r.data()).isEqualTo(TwoLayerNetCommand.DataChoice.DIGITS);
        assertThat(r.check()).containsOnlyKeys("W1", "b1", "W2", "b2");
        assertThat(r.check().values()).allMatch(d -> d < 1e-6);
        TwoLayerNetCommand.Run run = r.run();
        assertThat(run.losses()).hasSize(2000);
        assertThat(run.losses()[1999]).isLessThan(run.losses()[0] / 3);
        TwoLayerNetCommand.Measurement first = run.accuracy().get(0), last = run.accuracy().get(run.accuracy().size() - 1);
        assertThat(first.iteration()).isZero();
        assertThat(first.testAccuracy()).isLessThan(0.2);
        assertThat(last.iteration()).isEqualTo(2000);
        assertThat(last.testAccuracy()).isGreaterThanOrEqualTo(0.85);
        // one measurement per epoch-equivalent (1438 / 100 = 14 iterations), plus the start and the end
        assertThat(run.accuracy()).hasSize(1 + 2000 / 14 + 1);
        assertThat(r.backpropReplay()).isNull();
        png(out.resolve("two-layer-net-loss.png"));
        png(out.resolve("two-layer-net-accuracy.png"));
        assertThat(printed.toString()).contains("Fashion-MNIST is not installed at").contains("the tutorial uses MNIST")
                .contains("64-50-10").contains("mean |numerical - backprop|").contains("iteration  2000")
                .contains("ms per step");
    }

    @Test
    void twoLayerNetWithNumericalGradientsTrainsLikeBackpropagation() throws IOException {
        TwoLayerNetCommand net = command("two-layer-net", "--gradient", "numerical", "--dataset", "digits",
                "--hidden", "5", "--iterations", "3", "--out", out.toString());
        TwoLayerNetCommand.Results r = net.run();

        assertThat(r.run().losses()).hasSize(3);
        assertThat(r.backpropReplay().losses()).hasSize(3);
        for (int i = 0; i < 3; i++) {
            assertThat(r.run().losses()[i]).isCloseTo(r.backpropReplay().losses()[i], within(1e-5));
        }
        // numerical gradients in double and float32 backpropagation give the same network, up to float rounding
        assertThat(r.finalDifference()).isLessThan(1e-6);
        assertThat(r.check().values()).allMatch(d -> d < 1e-6);
        assertThat(printed.toString()).contains("64-5-10").contains("1000 training").contains("gradients by numerical")
                .containsPattern("Numerical gradients took \\d+ times as long per step as backpropagation: 385"
                        + " parameters").contains("backprop: ").contains("mean of 200 steps");
        assertThat(r.backpropSecondsPerStep()).isPositive();
    }

    @Test
    void twoLayerNetRefusesAnUnknownGradientSource() {
        assertThat(execute("two-layer-net", "--gradient", "symbolic")).isEqualTo(2);
        assertThat(errors.toString()).contains("symbolic").contains("backprop, numerical");
    }

    @Test
    void moonsTutorialPresetRunsTheTutorialsNetworkAndPrintsItsEpochLines() throws IOException {
        MoonsCommand moons = command("moons", "--tutorial", "--out", out.toString());
        TrainingCommand.Outcome outcome = moons.run();

        assertThat(outcome.history().size()).isEqualTo(5);
        assertThat(outcome.actual()).hasSize(40);
        // the tutorial's short run barely moves from its N(0, 1) start: 16 / 40 with the default seed 7
        assertThat(printed.toString()).contains("--tutorial: the settings of the moons tutorial")
                .contains("160 training and 40 test samples")
                .contains("2-10-2 sigmoid, quadratic, sgd lr 0.1, batch 10, 5 epochs, init gaussian")
                .contains("Epoch 1: 16 / 40").contains("Epoch 5: 16 / 40");
    }

    @Test
    void aFlagGivenWithTheTutorialPresetWins() throws IOException {
        MoonsCommand moons = command("moons", "--tutorial", "--epochs", "7", "--out", out.toString());
        TrainingCommand.Outcome outcome = moons.run();

        assertThat(outcome.history().size()).isEqualTo(7);
        assertThat(printed.toString()).contains("given on the command line instead: --epochs 7")
                .contains("2-10-2 sigmoid, quadratic, sgd lr 0.1, batch 10, 7 epochs");
    }

    @Test
    void digitsTutorialPresetRunsTheTutorialsNetwork() throws IOException {
        DigitsCommand digits = command("digits", "--tutorial", "--hidden", "30", "--epochs", "3", "--out",
                out.toString());
        TrainingCommand.Outcome outcome = digits.run();

        assertThat(outcome.history().size()).isEqualTo(3);
        assertThat(outcome.testAccuracy()).isGreaterThan(0.85);
        assertThat(printed.toString()).contains("--tutorial: the settings of the digits tutorial")
                .contains("64-30-10 sigmoid, quadratic, sgd lr 3.0, batch 10, 3 epochs, init gaussian")
                .containsPattern("Epoch 3: \\d+ / 359");
    }

    @Test
    void theHelpSaysWhichTutorialEachPresetFollows() {
        assertThat(execute("moons", "--help")).isZero();
        assertThat(execute("digits", "--help")).isZero();
        assertThat(printed.toString().replaceAll("\\s+", " ")).contains("--tutorial The moons tutorial's settings"
                + " ('From principle to implementation')").contains("--tutorial The digits tutorial's network"
                + " ('Analysing how a neural network works')");
    }

    @Test
    void everyLessonHasHelpNamingItsTutorial() {
        for (String name : new String[] {"perceptron", "gradient-descent", "two-layer-net"}) {
            assertThat(execute(name, "--help")).as(name).isZero();
        }
        assertThat(printed.toString().replaceAll("\\s+", " ")).contains("'Introduction to neural networks'")
                .contains("'Learning in neural networks' chapter").contains("The book uses MNIST")
                .contains("--gradient=HOW").contains("backprop, numerical").contains("--compare-rates");
    }

    @Test
    void lessonsRefuseBadNumbersNamingTheFlag() {
        assertThat(execute("gradient-descent", "--start", "1", "--out", out.toString())).isEqualTo(2);
        assertThat(execute("gradient-descent", "--compare-rates", "10,-1", "--out", out.toString())).isEqualTo(2);
        assertThat(execute("two-layer-net", "--hidden", "0", "--out", out.toString())).isEqualTo(2);
        assertThat(execute("perceptron", "--max-epochs", "0")).isEqualTo(2);
        assertThat(errors.toString()).contains("--start needs two numbers X0,X1 but got [1.0]")
                .contains("--compare-rates must all be positive finite numbers but were [10.0, -1.0]")
                .contains("--hidden must be at least 1 but was 0").contains("--max-epochs must be at least 1 but was 0")
                .doesNotContain("Exception");
        assertThat(printed.toString()).isEmpty();
    }
}
