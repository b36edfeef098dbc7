package org.neuralj.examples;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.neuralj.core.Classes;
import org.neuralj.core.Dataset;
import org.neuralj.core.Predictor;
import org.neuralj.core.Preprocessing;
import org.neuralj.core.Sequential;
import org.neuralj.core.Tensor;
import org.neuralj.datasets.Csv;
import org.neuralj.datasets.DataFormatException;
import org.neuralj.datasets.Idx;
import org.neuralj.io.ModelFile;
import org.neuralj.io.ModelFormatException;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** Classifies the rows of a CSV file or the images of an IDX file with a model saved by a training command. */
@Command(name = "predict", mixinStandardHelpOptions = true,
        footerHeading = Main.EXAMPLE,
        footer = "  neuralj predict --model digits.safetensors --csv rows.csv --show 5",
        description = {"Classify samples with a saved model (from a training command's --save).",
                "Prints the predicted class of the first rows and, when the data has labels, the accuracy."})
final class PredictCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "FILE", description = "The saved model.")
    Path model;

    /** Where the samples come from: exactly one of a CSV file or an IDX image file. */
    static final class Input {
        @Option(names = "--csv", paramLabel = "FILE", description = "CSV, plain or .gz: one sample per row, the"
                + " features, then optionally the class label: a row as long as the model's inputs has no label, one"
                + " column longer has the label last (then the accuracy is printed).")
        Path csv;

        @Option(names = "--images", paramLabel = "FILE", description = "IDX images, plain or .gz, e.g."
                + " t10k-images-idx3-ubyte.gz.")
        Path images;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Input input;

    @Option(names = "--labels", paramLabel = "FILE", description = "IDX labels for --images, to report accuracy.")
    Path labels;

    @Option(names = "--divide-by", paramLabel = "D", description = "For a model file without its preprocessing"
            + " (older files, checkpoints): divide every input by D first, as the training command did: 16 for"
            + " digits, 255 for MNIST (default: 1 for --csv, 255 for --images). A file saved by --save applies its own.")
    Float divideBy;

    @Option(names = "--show", paramLabel = "N", defaultValue = "10",
            description = "How many predictions to print (default: ${DEFAULT-VALUE}).")
    int show;

    /** The classes a model tells apart: its outputs, or 2 for a single sigmoid output. */
    private static int modelClasses(Sequential net) {
        int outputs = net.outputShape().size();
        return outputs == 1 ? 2 : outputs;
    }

    @Override
    public Integer call() throws IOException {
        // the flags first, before any file is read
        FlagCheck.require(spec, show >= 0, "--show must not be negative but was " + show);
        FlagCheck.require(spec, divideBy == null || divideBy > 0 && Float.isFinite(divideBy),
                "--divide-by must be positive and finite but was " + divideBy);
        FlagCheck.require(spec, labels == null || input.images != null,
                "--labels goes with --images; a CSV has its labels in its last column, if any");
        Predictor predictor;
        try {
            predictor = ModelFile.loadPredictor(model);
        } catch (ModelFormatException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        // a malformed data file is a failed run (exit code 1), not a wrong command line: its DataFormatException
        // names the file, row and column
        Tensor x;
        int[] truth;
        if (input.csv != null) {
            int inputs = predictor.network().inputShape().size();
            int columns = Csv.columns(input.csv, Csv.options());
            if (columns == inputs) {
                x = Csv.readFeatures(input.csv, Csv.options());
                truth = null;
            } else if (columns == inputs + 1) {
                // labels beyond the model's classes are refused by the reader, naming row and column
                Dataset data = Csv.read(input.csv, Csv.options().classes(modelClasses(predictor.network())));
                x = data.features();
                truth = data.labels();
            } else {
                throw new ParameterException(spec.commandLine(), model + " expects " + inputs + " inputs per sample"
                        + " (" + inputs + " columns, or " + (inputs + 1) + " with the label last) but the first row"
                        + " of " + input.csv + " has " + columns + " columns");
            }
        } else {
            x = Idx.readImages(input.images);
            truth = labels == null ? null : Idx.readLabels(labels);
        }
        Sequential net = predictor.network();
        Path source = input.csv != null ? input.csv : input.images;
        if (x.cols() != net.inputShape().size()) {
            throw new ParameterException(spec.commandLine(), model + " expects " + net.inputShape().size()
                    + " inputs per sample but " + source + " has " + x.cols());
        }
        if (truth != null && truth.length != x.rows()) {
            throw new ParameterException(spec.commandLine(), source + " holds " + x.rows() + " samples but " + labels
                    + " holds " + truth.length + " labels");
        }
        if (truth != null && input.images != null) {
            int classes = modelClasses(net);
            for (int i = 0; i < truth.length; i++) {
                if (truth[i] >= classes) {
                    throw new DataFormatException(labels + ": label " + truth[i] + " of item " + i
                            + " (byte offset " + (8 + i) + ") is outside the model's classes 0.." + (classes - 1));
                }
            }
        }
        String scaling;
        if (!predictor.preprocessing().equals(Preprocessing.NONE)) {
            if (divideBy != null) {
                throw new ParameterException(spec.commandLine(), "--divide-by " + divideBy + ": " + model + " keeps"
                        + " the preprocessing it was trained with, " + predictor.preprocessing() + ", and predict"
                        + " applies it; leave --divide-by out");
            }
            scaling = predictor.preprocessing() + ", from the model file";
        } else {
            float divisor = divideBy != null ? divideBy : input.csv != null ? 1f : 255f;
            predictor = new Predictor(net, Preprocessing.divide(divisor));
            scaling = "inputs divided by " + divisor;
        }
        Tensor scores = predictor.predict(x);
        int[] predicted = Classes.of(scores);

        PrintWriter out = spec.commandLine().getOut();
        out.printf(Locale.ROOT, "%s: %s, %d samples from %s (%s%s)%n", model, net, predicted.length, source, scaling,
                truth == null ? "; no labels" : "");
        for (int i = 0; i < Math.min(show, predicted.length); i++) {
            float score = scores.cols() == 1 ? scores.get(i, 0) : scores.get(i, predicted[i]);
            out.printf(Locale.ROOT, "sample %d: class %s (output %.3f)%s%n", i + 1,
                    predictor.className(predicted[i]), score,
                    truth == null ? "" : truth[i] == predicted[i] ? ", label " + truth[i]
                            : ", label " + truth[i] + "  <- wrong");
        }
        if (truth != null) {
            int correct = 0;
            for (int i = 0; i < predicted.length; i++) {
                correct += predicted[i] == truth[i] ? 1 : 0;
            }
            out.printf(Locale.ROOT, "Accuracy: %d / %d = %.2f%%%n", correct, predicted.length,
                    100.0 * correct / predicted.length);
        }
        out.flush();
        return 0;
    }
}
