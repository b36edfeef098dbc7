package org.neuralj.examples;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.neuralj.core.Dataset;
import org.neuralj.core.TrainingListener;
import org.neuralj.datasets.Idx;
import org.neuralj.datasets.Scaling;
import org.neuralj.core.Preprocessing;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * Any MNIST-format folder (MNIST, Fashion-MNIST, ...): a ReLU network with a softmax output, 784-256-128-10 by
 * default, trained on the training files and tested on the t10k files.
 */
@Command(name = "mnist", mixinStandardHelpOptions = true, defaultValueProvider = MnistCommand.Defaults.class,
        description = {"Classify 28x28 images from an MNIST-format folder (train-/t10k- images and labels, IDX,"
                + " plain or .gz).",
                "Default: Debian's Fashion-MNIST at " + MnistCommand.FASHION_MNIST + "; network 784-256-128-10"
                        + " ReLU/softmax, cross-entropy, SGD lr 0.1, batch 32, 5 epochs."})
final class MnistCommand extends TrainingCommand {
    static final String FASHION_MNIST = "/usr/share/datasets/fashion-mnist";
    private static final Logger LOG = LoggerFactory.getLogger(MnistCommand.class);

    static final class Defaults extends CommandDefaults {
        Defaults() {
            super(Map.of("--seed", "42", "--hidden", "256,128", "--activation", "relu", "--loss", "cross-entropy",
                    "--optimizer", "sgd", "--learning-rate", "0.1", "--batch-size", "32", "--epochs", "5",
                    "--init", "auto", "--out", "out"));
        }
    }

    @Option(names = "--data", paramLabel = "DIR", defaultValue = FASHION_MNIST,
            description = "MNIST-format folder (default: ${DEFAULT-VALUE}).")
    Path data;

    @Option(names = "--limit", paramLabel = "N",
            description = "Train on only the first N training images (default: all).")
    Integer limit;

    @Option(names = "--test-limit", paramLabel = "N",
            description = "Test on only the first N test images (default: all).")
    Integer testLimit;

    @Option(names = "--progress", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Show a progress bar over each epoch's batches (default: ${DEFAULT-VALUE}).")
    boolean progress;

    @Override
    double autoLearningRate() {
        return 0.1;
    }

    /** Pixels 0..255 to 0..1. */
    @Override
    Preprocessing preprocessing() {
        return Preprocessing.divide(255);
    }

    @Override
    Outcome run() throws IOException {
        if (!Files.isDirectory(data)) {
            throw new java.io.FileNotFoundException("MNIST-format folder " + data + " does not exist."
                    + " Pass --data DIR with train-images-idx3-ubyte[.gz], train-labels-idx1-ubyte[.gz],"
                    + " t10k-images-idx3-ubyte[.gz] and t10k-labels-idx1-ubyte[.gz]; on Debian,"
                    + " `apt-get install dataset-fashion-mnist` provides " + FASHION_MNIST + ".");
        }
        long start = System.nanoTime();
        Dataset train = Scaling.divide(Idx.readFolder(data, true, 10), preprocessing().divisor());
        Dataset test = Scaling.divide(Idx.readFolder(data, false, 10), preprocessing().divisor());
        train = head(train, limit, "--limit");
        test = head(test, testLimit, "--test-limit");
        LOG.info("read {} training and {} test images from {} in {} ms", train.size(), test.size(), data,
                (System.nanoTime() - start) / 1_000_000);
        List<TrainingListener> listeners = progress ? List.of(new BatchProgressBar()) : List.of();
        Outcome outcome = train("mnist", train, test, listeners);
        out().println();
        out().println("Confusion matrix (rows: true class, columns: the network's answer):");
        out().print(outcome.confusion());
        out().println();
        out().print(outcome.confusion().classificationReport());
        out().flush();
        int side = (int) Math.round(Math.sqrt(train.features().cols()));
        if (side * side != train.features().cols()) {
            return outcome;
        }
        return outcome.withPictures(writeHiddenWeights("mnist", outcome, side));
    }

    /** The first {@code n} samples, or all when {@code n} is null. */
    private Dataset head(Dataset data, Integer n, String flag) {
        if (n == null) {
            return data;
        }
        if (n <= 0 || n > data.size()) {
            throw new ParameterException(spec.commandLine(), flag + " must be in 1.." + data.size() + " but was "
                    + n);
        }
        return data.slice(0, n);
    }
}
