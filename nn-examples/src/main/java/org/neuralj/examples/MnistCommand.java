package org.neuralj.examples;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.neuralj.core.Dataset;
import org.neuralj.core.Sequential;
import org.neuralj.core.Shape;
import org.neuralj.core.TrainingListener;
import org.neuralj.datasets.Idx;
import org.neuralj.datasets.Scaling;
import org.neuralj.layers.Conv2D;
import org.neuralj.layers.Flatten;
import org.neuralj.layers.MaxPool2D;
import org.neuralj.layers.Padding;
import org.neuralj.core.Preprocessing;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import org.neuralj.viz.ProgressBarListener;

/**
 * Any MNIST-format folder (MNIST, Fashion-MNIST, ...): a ReLU network with a softmax output, 784-256-128-10 by
 * default, trained on the training files and tested on the t10k files.
 */
@Command(name = "mnist", mixinStandardHelpOptions = true,
        footerHeading = Main.EXAMPLE,
        footer = "  neuralj mnist --model cnn --epochs 2 --limit 10000 --save mnist.safetensors",
        defaultValueProvider = MnistCommand.Defaults.class,
        description = {"Classify 28x28 images from an MNIST-format folder (train-/t10k- images and labels, IDX,"
                + " plain or .gz).",
                "Default: Debian's Fashion-MNIST at " + MnistCommand.FASHION_MNIST + "; network 784-256-128-10"
                        + " ReLU/softmax, cross-entropy, SGD lr 0.1, batch 32, 5 epochs.",
                "--model cnn: LeNet-5 on the 1x28x28 images, Adam lr 0.001, batch 64, 3 epochs; writes the learned"
                        + " filters and feature maps as PNGs."})
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

    /**
     * "Fashion-MNIST" when the folder's name says so (Debian's {@code fashion-mnist} does), "MNIST" for a folder
     * named {@code mnist}, otherwise the folder's name: the charts no longer call Fashion-MNIST "mnist".
     */
    @Override
    String title(String name) {
        Path folder = data.toAbsolutePath().normalize().getFileName();
        String folderName = folder == null ? name : folder.toString();
        String lower = folderName.toLowerCase(Locale.ROOT);
        return lower.contains("fashion") ? "Fashion-MNIST" : lower.equals("mnist") ? "MNIST" : folderName;
    }

    /** Pixels 0..255 to 0..1. */
    @Override
    Preprocessing preprocessing() {
        return Preprocessing.divide(255);
    }

    @Override
    Outcome run() throws IOException {
        // the upper bound, the data's size, is checked once the data is read
        FlagCheck.atLeast(spec, "--limit", limit == null ? 1 : limit, 1);
        FlagCheck.atLeast(spec, "--test-limit", testLimit == null ? 1 : testLimit, 1);
        if (!Files.isDirectory(data)) {
            throw new java.io.FileNotFoundException("MNIST-format folder " + data + " does not exist."
                    + " Pass --data DIR with train-images-idx3-ubyte[.gz], train-labels-idx1-ubyte[.gz],"
                    + " t10k-images-idx3-ubyte[.gz] and t10k-labels-idx1-ubyte[.gz]; on Debian,"
                    + " `apt-get install dataset-fashion-mnist` provides " + FASHION_MNIST + ".");
        }
        long start = System.nanoTime();
        Idx.Layout layout = network.model == ModelChoice.CNN ? Idx.Layout.IMAGES : Idx.Layout.FLAT;
        Dataset train = Scaling.divide(Idx.readFolder(data, true, 10, layout), preprocessing().divisor());
        Dataset test = Scaling.divide(Idx.readFolder(data, false, 10, layout), preprocessing().divisor());
        train = head(train, limit, "--limit");
        test = head(test, testLimit, "--test-limit");
        LOG.info("read {} training and {} test images from {} in {} ms", train.size(), test.size(), data,
                (System.nanoTime() - start) / 1_000_000);
        List<TrainingListener> listeners = progress ? List.of(new ProgressBarListener(System.err)) : List.of();
        Outcome outcome = train("mnist", train, test, listeners);
        out().println();
        out().println("Confusion matrix (rows: true class, columns: the network's answer):");
        out().print(outcome.confusion());
        out().println();
        out().print(outcome.confusion().classificationReport());
        out().flush();
        if (network.model == ModelChoice.CNN) {
            return outcome.withPictures(writeConvolutionPictures("mnist", outcome, test.features().sliceRows(0, 1)));
        }
        int side = (int) Math.round(Math.sqrt(train.features().cols()));
        if (side * side != train.features().cols()) {
            return outcome;
        }
        return outcome.withPictures(writeHiddenWeights("mnist", outcome, side));
    }

    /**
     * LeNet-5 as PyTorch's tutorials build it for 28x28 images: {@code Conv2D(6, 5x5, same) ReLU MaxPool2D(2)
     * Conv2D(16, 5x5) ReLU MaxPool2D(2) Flatten Dense(120) ReLU Dense(84) ReLU Dense(10) Softmax}.
     */
    @Override
    Sequential convolutionalNetwork(Shape images, int classes) {
        Sequential.Builder b = Sequential.builder().input(images).seed(network.seed)
                .add(new Conv2D(6, 5, Padding.SAME)).add(network.activation.create()).add(new MaxPool2D(2))
                .add(new Conv2D(16, 5)).add(network.activation.create()).add(new MaxPool2D(2))
                .add(new Flatten());
        addHidden(b, 120);
        addHidden(b, 84);
        return outputLayers(b, classes);
    }

    /** LeNet reaches PyTorch's 87% on Fashion-MNIST in 3 epochs. */
    @Override
    int convolutionalEpochs() {
        return 3;
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
