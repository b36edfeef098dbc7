package org.neuralj.examples;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.neuralj.core.Dataset;
import org.neuralj.core.FitOptions;
import org.neuralj.core.Sequential;
import picocli.CommandLine.Option;

/**
 * The flags every training command shares: the network, how it trains and where pictures go. Their defaults
 * differ per command and come from the command's {@link CommandDefaults}.
 */
final class NetworkOptions {

    @Option(names = "--seed", description = "Seed of all randomness: data split, weights, shuffling (default: "
            + "${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--hidden", split = ",", paramLabel = "N[,N...]",
            description = "Hidden layer sizes, comma-separated (default: ${DEFAULT-VALUE}).")
    List<Integer> hidden;

    @Option(names = "--activation", converter = CliNames.Activations.class, paramLabel = "NAME",
            description = "Hidden activation: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    ActivationChoice activation;

    @Option(names = "--loss", converter = CliNames.Losses.class, paramLabel = "NAME",
            description = "Loss: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}). Cross-entropy puts a softmax"
                    + " on the output, the others a sigmoid.")
    LossChoice loss;

    @Option(names = "--optimizer", converter = CliNames.Optimizers.class, paramLabel = "NAME",
            description = "Optimizer: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    OptimizerChoice optimizer;

    @Option(names = {"--learning-rate", "--lr"}, paramLabel = "ETA",
            description = "Learning rate (default: ${DEFAULT-VALUE}).")
    double learningRate;

    @Option(names = "--batch-size", paramLabel = "B", description = "Mini-batch size (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--epochs", paramLabel = "E", description = "Passes over the training data (default: "
            + "${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--init", converter = CliNames.Inits.class, paramLabel = "NAME",
            description = "Weight initialisation: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}; auto is "
                    + "N(0,1) for sigmoid as in the seeds, He for relu, Xavier for tanh).")
    InitChoice init;

    @Option(names = "--out", paramLabel = "DIR", description = "Folder for the pictures (default: ${DEFAULT-VALUE}).")
    Path out;

    /**
     * {@code inputs → hidden… → classes}: each hidden layer a Dense and the chosen activation, then a Dense to the
     * classes and the loss's output activation.
     */
    Sequential buildNetwork(int inputs, int classes) {
        for (int h : hidden) {
            if (h <= 0) {
                throw new IllegalArgumentException("--hidden sizes must be positive but got " + hidden);
            }
        }
        Sequential.Builder b = Sequential.builder().input(inputs).seed(seed);
        for (int h : hidden) {
            b.add(init.dense(h, activation)).add(activation.create());
        }
        return b.add(init.dense(classes, activation)).add(loss.outputActivation()).build();
    }

    /** Loss, optimizer, epochs and batch size, evaluating on {@code validation} after every epoch. */
    FitOptions fitOptions(Dataset validation) {
        return FitOptions.of(loss.create(), optimizer.create(learningRate)).epochs(epochs).batchSize(batchSize)
                .validation(validation).quiet();
    }

    /** e.g. {@code 64-30-10 sigmoid, quadratic, sgd lr 3.0, batch 10, 30 epochs, seed 4}. */
    String describe(int inputs, int classes) {
        String sizes = inputs + "-" + hidden.stream().map(String::valueOf).collect(Collectors.joining("-"))
                + (hidden.isEmpty() ? "" : "-") + classes;
        return sizes + " " + activation + ", " + loss + ", " + optimizer + " lr " + learningRate + ", batch "
                + batchSize + ", " + epochs + " epochs, init " + init + ", seed " + seed;
    }
}
