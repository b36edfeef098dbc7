package org.neuralj.examples;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.neuralj.core.Dataset;
import org.neuralj.core.Rng;
import org.neuralj.datasets.Split;
import org.neuralj.datasets.ToyData;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import org.neuralj.viz.DecisionBoundary;

/** Two interleaving half circles (scikit-learn's make_moons), and the boundary a small network draws between them. */
@Command(name = "moons", mixinStandardHelpOptions = true,
        footerHeading = Main.EXAMPLE,
        footer = "  neuralj moons --samples 2000 --noise 0.3 --hidden 32,32 --activation relu",
        defaultValueProvider = MoonsCommand.Defaults.class,
        description = {"Separate two noisy interleaving half circles (scikit-learn's make_moons), 80/20 split.",
                "Writes the learned decision boundary with the points over it, and the training curves, as PNGs."})
final class MoonsCommand extends TrainingCommand {

    static final class Defaults extends CommandDefaults {
        Defaults() {
            super(Map.of("--seed", "7", "--hidden", "16,16", "--activation", "tanh", "--loss", "cross-entropy",
                    "--optimizer", "sgd", "--learning-rate", "0.3", "--batch-size", "16", "--epochs", "100",
                    "--init", "auto", "--out", "out"));
        }
    }

    @Option(names = "--samples", paramLabel = "N", defaultValue = "1000",
            description = "Number of points, split evenly between the moons (default: ${DEFAULT-VALUE}).")
    int samples;

    @Option(names = "--noise", paramLabel = "STD", defaultValue = "0.2",
            description = "Standard deviation of the Gaussian noise added to the points (default: ${DEFAULT-VALUE}).")
    double noise;

    @Option(names = "--tutorial", description = "The moons tutorial's settings ('From principle to implementation'):"
            + " 200 points, noise 0.2, 2-10-2 sigmoid, quadratic cost, N(0,1) init, SGD lr 0.1, batch 10, 5 epochs."
            + " Flags given explicitly still win.")
    boolean tutorial;

    @Override
    double autoLearningRate() {
        return 0.3;
    }

    @Override
    Outcome run() throws IOException {
        if (tutorial) {
            TutorialPreset.MOONS.apply(spec, out());
        }
        FlagCheck.atLeast(spec, "--samples", samples, 10);
        FlagCheck.require(spec, noise >= 0 && Double.isFinite(noise), "--noise must be finite and non-negative but was "
                + noise);
        Rng rng = new Rng(network.seed);
        Dataset moons = ToyData.moons(samples, noise, rng);
        Split split = Split.trainTest(moons, 0.2, rng);
        Outcome outcome = train("moons", split.train(), split.test(), List.of());

        Path boundary = network.out.resolve("moons-decision-boundary.png");
        DecisionBoundary.write(outcome.model(), moons, boundary);
        out().printf("Wrote the decision boundary (background: the network's answer; points: the true class) to"
                + " %s%n", boundary);
        out().flush();
        return outcome.withPictures(List.of(boundary));
    }
}
