package org.neuralj.examples;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.neuralj.core.Dataset;
import org.neuralj.core.EarlyStopping;
import org.neuralj.core.FitOptions;
import org.neuralj.core.Layer;
import org.neuralj.core.Monitor;
import org.neuralj.core.Sequential;
import org.neuralj.layers.Dropout;
import org.neuralj.optim.LearningRateScheduler;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;

/**
 * The flags every training command shares: the network, how it trains and where pictures go. Their defaults
 * differ per command and come from the command's {@link CommandDefaults}.
 */
final class NetworkOptions {

    @Option(names = "--seed", paramLabel = "N", description = "Seed of all randomness: data split, weights, shuffling (default: "
            + "${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--model", converter = CliNames.Models.class, paramLabel = "NAME", defaultValue = "mlp",
            description = "Network: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}). mlp is --hidden Dense layers;"
                    + " cnn is the command's convolutional network on the images [1, H, W], trained with ReLU,"
                    + " cross-entropy, adam lr 0.001 and batch 64 unless those flags are given.")
    ModelChoice model;

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
            description = "Learning rate, or auto: the command's choice for the network (default: ${DEFAULT-VALUE}).")
    String learningRate;

    @Option(names = "--batch-size", paramLabel = "B", description = "Mini-batch size (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--epochs", paramLabel = "E", description = "Passes over the training data (default: "
            + "${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--init", converter = CliNames.Inits.class, paramLabel = "NAME",
            description = "Weight initialisation: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}; auto is "
                    + "N(0,1) for sigmoid as in the tutorials, He for relu, Xavier for tanh).")
    InitChoice init;

    @Option(names = "--weight-decay", paramLabel = "LAMBDA", defaultValue = "0",
            description = "Weight decay: L2 for every optimizer, decoupled for adamw (default: ${DEFAULT-VALUE}).")
    double weightDecay;

    @Option(names = "--dropout", paramLabel = "P", defaultValue = "0",
            description = "Dropout rate after each hidden layer, in [0, 1) (default: ${DEFAULT-VALUE}).")
    double dropout;

    @Option(names = "--schedule", converter = CliNames.Schedules.class, paramLabel = "NAME", defaultValue = "constant",
            description = "Learning-rate schedule: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    ScheduleChoice schedule;

    @Option(names = "--early-stopping", paramLabel = "PATIENCE", defaultValue = "0",
            description = "Stop when the validation loss has not improved for PATIENCE epochs and keep the best "
                    + "weights; validation is then the last 10%% of the training part, not the test part "
                    + "(default: ${DEFAULT-VALUE}, off).")
    int earlyStopping;

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
            if (dropout > 0) {
                b.add(new Dropout(dropout));
            }
        }
        return b.add(init.dense(classes, activation)).add(loss.outputActivation()).build();
    }

    /**
     * For {@code --model cnn}: ReLU, cross-entropy, Adam with learning rate 0.001, batches of 64 and {@code epochs}
     * epochs, each unless its flag is on the command line ({@code parsed}); the command's defaults suit its MLP.
     */
    void useConvolutionalDefaults(ParseResult parsed, int epochs) {
        if (!parsed.hasMatchedOption("--activation")) {
            activation = ActivationChoice.RELU;
        }
        if (!parsed.hasMatchedOption("--loss")) {
            loss = LossChoice.CROSS_ENTROPY;
        }
        if (!parsed.hasMatchedOption("--optimizer")) {
            optimizer = OptimizerChoice.ADAM;
        }
        if (!parsed.hasMatchedOption("--learning-rate")) {
            learningRate = "0.001";
        }
        if (!parsed.hasMatchedOption("--batch-size")) {
            batchSize = 64;
        }
        if (!parsed.hasMatchedOption("--epochs")) {
            this.epochs = epochs;
        }
    }

    /** The learning rate given, or {@code auto} when it says "auto"; names the flag when it is not a number. */
    double learningRate(double auto) {
        if (learningRate.equalsIgnoreCase("auto")) {
            return auto;
        }
        try {
            return Double.parseDouble(learningRate);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--learning-rate must be a number or auto but was '" + learningRate
                    + "'");
        }
    }

    /**
     * Loss, optimizer with learning rate η, epochs and batch size, evaluating on {@code validation} after every
     * epoch (or on the last 10% of the training part with early stopping).
     */
    FitOptions fitOptions(double eta, Dataset validation) {
        FitOptions options = FitOptions.of(loss.create(), optimizer.create(eta, weightDecay)).epochs(epochs)
                .batchSize(batchSize).quiet();
        if (earlyStopping > 0) {
            options.validationSplit(0.1).listener(new EarlyStopping(Monitor.VAL_LOSS, earlyStopping, 0,
                    true));
        } else {
            options.validation(validation);
        }
        if (schedule != ScheduleChoice.CONSTANT) {
            options.listener(new LearningRateScheduler(schedule.create(eta, epochs)));
        }
        return options;
    }

    /**
     * e.g. {@code 64-30-10 sigmoid, quadratic, sgd lr 3.0, batch 10, 30 epochs, seed 4}, or for a convolutional
     * {@code net} its layers: {@code cnn Conv2D(6, 5x5, same) ReLU MaxPool2D(2) ... Softmax, cross-entropy, ...}.
     */
    String describe(Sequential net, double eta) {
        int inputs = net.inputShape().size(), classes = net.outputShape().size();
        String sizes = model == ModelChoice.CNN
                ? "cnn " + net.layers().stream().map(Layer::name).collect(Collectors.joining(" "))
                : inputs + "-" + hidden.stream().map(String::valueOf).collect(Collectors.joining("-"))
                        + (hidden.isEmpty() ? "" : "-") + classes + " " + activation;
        return sizes + ", " + loss + ", " + optimizer + " lr " + eta + ", batch "
                + batchSize + ", " + epochs + " epochs, init " + init + ", seed " + seed
                + (weightDecay > 0 ? ", weight decay " + weightDecay : "") + (dropout > 0 ? ", dropout " + dropout : "")
                + (schedule != ScheduleChoice.CONSTANT ? ", schedule " + schedule : "")
                + (earlyStopping > 0 ? ", early stopping " + earlyStopping : "");
    }
}
