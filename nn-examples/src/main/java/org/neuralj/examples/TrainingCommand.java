package org.neuralj.examples;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.neuralj.core.Dataset;
import org.neuralj.core.FitOptions;
import org.neuralj.core.History;
import org.neuralj.core.Layer;
import org.neuralj.core.Predictor;
import org.neuralj.core.Preprocessing;
import org.neuralj.core.Sequential;
import org.neuralj.core.Shape;
import org.neuralj.core.Tensor;
import org.neuralj.core.TrainingListener;
import org.neuralj.core.metrics.ConfusionMatrix;
import org.neuralj.core.Trainer;
import org.neuralj.io.ModelFile;
import org.neuralj.layers.Conv2D;
import org.neuralj.layers.Dropout;
import org.neuralj.onnx.Onnx;
import org.neuralj.io.ModelFormatException;
import org.neuralj.io.Checkpoint;
import org.neuralj.io.ModelCheckpoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import org.neuralj.viz.ConvolutionImages;
import org.neuralj.viz.TrainingCurves;
import org.neuralj.viz.WeightImages;

/**
 * What the training commands share: the {@link NetworkOptions}, training with a per-epoch line, evaluating on the
 * test part, writing the loss and accuracy curves, and the {@link SavingOptions} (save, ONNX export, checkpoint, resume). Each
 * command adds its data and its own pictures.
 */
abstract class TrainingCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(TrainingCommand.class);

    @Mixin
    NetworkOptions network;

    @Mixin
    SavingOptions saving;

    @Spec
    CommandSpec spec;

    /**
     * The result of one run: the trained model, its history, the test predictions and the first layer's weights
     * as they were before training.
     */
    record Outcome(Sequential model, History history, int[] actual, int[] predicted, int classes,
                   Tensor initialFirstLayer, List<Path> pictures) {

        /** The same outcome with {@code more} pictures. */
        Outcome withPictures(List<Path> more) {
            List<Path> all = new java.util.ArrayList<>(pictures);
            all.addAll(more);
            return new Outcome(model, history, actual, predicted, classes, initialFirstLayer, List.copyOf(all));
        }

        ConfusionMatrix confusion() {
            return ConfusionMatrix.of(actual, predicted, classes);
        }

        double testAccuracy() {
            return confusion().accuracy();
        }
    }

    /** The learning rate {@code --learning-rate auto} stands for, which may depend on the chosen network. */
    abstract double autoLearningRate();

    /** Runs the command and returns its outcome; {@link #call()} wraps it for the command line. */
    abstract Outcome run() throws IOException;

    /** The checkpoint of {@code --resume}, loaded (and its settings applied) before the data is read. */
    private Checkpoint resumed;
    /**
     * The scaling this command applies to its raw data, kept with the model by {@code --save} and
     * {@code --export-onnx} so that predicting applies it to raw inputs. None by default.
     */
    Preprocessing preprocessing() {
        return Preprocessing.NONE;
    }

    @Override
    public Integer call() throws IOException {
        network.validate(spec.commandLine()); // before any data is read
        if (saving.resume != null) {
            resumed = loadResume();
        }
        run();
        return 0;
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    /**
     * Draws the first layer's weights, and how training changed them, as {@code side x side} tiles: {@code
     * <name>-hidden-weights.png} and {@code <name>-hidden-weights-change.png}. The change, W − W₀, shows what the
     * units learned without the random start that dominates the weights of a short run.
     */
    List<Path> writeHiddenWeights(String name, Outcome outcome, int side) throws IOException {
        Tensor weights = outcome.model().parameters().get(0).value();
        Path file = network.out.resolve(name + "-hidden-weights.png");
        Path change = network.out.resolve(name + "-hidden-weights-change.png");
        WeightImages.write(weights, side, file);
        WeightImages.write(weights.sub(outcome.initialFirstLayer()), side, change);
        out().printf("Wrote the first hidden layer's weights (one %dx%d tile per unit; red excites, blue inhibits)"
                + " to %s, and their change during training to %s%n", side, side, file, change);
        out().flush();
        return List.of(file, change);
    }

    /**
     * Builds the network for {@code inputs → classes} (or takes it from {@code --resume}), trains it on
     * {@code train} evaluating {@code test} after every epoch, prints the final accuracy, writes the curves as
     * {@code <name>-loss.png} and {@code <name>-accuracy.png}, and saves the model when {@code --save} asks.
     */
    Outcome train(String name, Dataset train, Dataset test, List<TrainingListener> extraListeners)
            throws IOException {
        network.validate(spec.commandLine());
        int inputs = train.features().cols(), classes = train.targets().cols();
        if (saving.resume != null && resumed == null) {
            resumed = loadResume(); // run() called without call(), as the tests do
        }
        // a resumed run's settings come from its checkpoint, the CNN defaults included
        boolean settingsFromCheckpoint = resumed != null && !resumed.run().isEmpty();
        if (network.model == ModelChoice.CNN && !settingsFromCheckpoint) {
            network.useConvolutionalDefaults(spec.commandLine().getParseResult(), convolutionalEpochs());
        }
        double eta = network.learningRate(autoLearningRate());
        PrintWriter out = out();
        FitOptions options = network.fitOptions(eta, test).listener(new EpochPrinter(out));
        Sequential model;
        if (resumed != null) {
            checkResumable(resumed, inputs, classes);
        }
        if (resumed == null) {
            model = network.model == ModelChoice.CNN ? convolutionalNetwork(sampleShape(train), classes)
                    : network.buildNetwork(inputs, classes);
            out.printf(Locale.ROOT, "%s: %d training and %d test samples; network %s%n", title(name), train.size(),
                    test.size(), network.describe(model, eta));
        } else {
            model = resumed.model();
            try {
                options = resumed.resume(options);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), "--resume: " + e.getMessage());
            }
            out.printf(Locale.ROOT, "%s: %d training and %d test samples; resuming %s from %s after epoch %d%n",
                    title(name), train.size(), test.size(), model, saving.resume, resumed.epoch());
        }
        out.flush();
        LOG.debug("model summary:\n{}", model.summary());
        Tensor initialFirstLayer = model.parameters().get(0).value().copy();
        if (saving.checkpoint != null) {
            ModelCheckpoint checkpoints = new ModelCheckpoint(saving.checkpoint).run(RunSettings.of(spec, network));
            options.listener(resumed == null ? checkpoints : checkpoints.continuing(resumed));
        }
        extraListeners.forEach(options::listener);
        History history = Trainer.fit(model, train, options);

        int[] actual = test.labels();
        int[] predicted = model.predictClasses(test.features());
        ConfusionMatrix confusion = ConfusionMatrix.of(actual, predicted, classes);
        long correct = 0;
        for (int k = 0; k < classes; k++) {
            correct += confusion.count(k, k);
        }
        out.printf(Locale.ROOT, "Test accuracy: %d / %d = %.2f%%%n", correct, confusion.total(),
                100 * confusion.accuracy());
        List<Path> curves = TrainingCurves.write(history, name, title(name), network.out);
        out.printf("Wrote the loss and accuracy curves to %s and %s%n", curves.get(0), curves.get(1));
        if (saving.save != null) {
            ModelFile.save(new Predictor(model, preprocessing()), saving.save);
            out.printf("Saved the model to %s (use it with: predict --model %s)%n", saving.save, saving.save);
        }
        if (saving.exportOnnx != null) {
            Onnx.export(new Predictor(model, preprocessing()), saving.exportOnnx);
            out.printf("Exported the model as ONNX (opset %d) to %s%n", Onnx.OPSET, saving.exportOnnx);
        }
        out.flush();
        return new Outcome(model, history, actual, predicted, classes, initialFirstLayer, curves);
    }

    /**
     * The command's convolutional network ({@code --model cnn}) for samples of shape {@code images}
     * ({@code [1, H, W]}) and {@code classes}; the hidden layers use {@code --activation}, {@code --init} and
     * {@code --dropout}. A command without images refuses it.
     */
    Sequential convolutionalNetwork(Shape images, int classes) {
        throw new ParameterException(spec.commandLine(), "--model cnn needs images; " + spec.name() + " has none");
    }

    /** What the data is called in the printed lines and the charts' titles; files keep {@code name}. */
    String title(String name) {
        return name;
    }

    /** The epochs {@code --model cnn} trains for when {@code --epochs} is not given. */
    int convolutionalEpochs() {
        return network.epochs;
    }

    /** A Dense layer of {@code units} and the hidden activation (and dropout, if asked), for a CNN's head. */
    Sequential.Builder addHidden(Sequential.Builder b, int units) {
        b.add(network.init.dense(units, network.activation)).add(network.activation.create());
        return network.dropout > 0 ? b.add(new Dropout(network.dropout)) : b;
    }

    /** The output layer: a Dense to the classes and the loss's output activation. */
    Sequential outputLayers(Sequential.Builder b, int classes) {
        return b.add(network.init.dense(classes, network.activation)).add(network.loss.outputActivation()).build();
    }

    private static Shape sampleShape(Dataset data) {
        int[] dims = data.features().shape();
        return Shape.of(java.util.Arrays.copyOfRange(dims, 1, dims.length));
    }

    /**
     * For a convolutional model: the first convolution's learned filters as a grid ({@code <name>-conv-filters.png})
     * and the feature maps of {@code image} ({@code [1, C, H, W]}) after each convolution
     * ({@code <name>-feature-maps-<k>.png}).
     */
    List<Path> writeConvolutionPictures(String name, Outcome outcome, Tensor image) throws IOException {
        List<Path> files = new java.util.ArrayList<>();
        Tensor x = image;
        int k = 0;
        for (Layer layer : outcome.model().layers()) {
            x = layer.forward(x, false);
            if (layer instanceof Conv2D conv) {
                if (k == 0) {
                    Path filters = network.out.resolve(name + "-conv-filters.png");
                    ConvolutionImages.writeFilters(conv.weights().value(), filters);
                    files.add(filters);
                }
                Path maps = network.out.resolve(name + "-feature-maps-" + ++k + ".png");
                if (ConvolutionImages.writeFeatureMaps(x, maps)) {
                    files.add(maps);
                }
            }
        }
        out().printf("Wrote the first convolution's filters and the feature maps of test image 0 after each"
                + " convolution (red positive, blue negative) to %s%n", files);
        out().flush();
        return files;
    }

    /**
     * Loads the {@code --resume} checkpoint and takes the run's settings from it: a flag left out gets the
     * checkpoint's value, a flag given with another value is refused ({@link RunSettings#apply}).
     */
    private Checkpoint loadResume() throws IOException {
        Checkpoint cp;
        try {
            cp = Checkpoint.load(saving.resume);
        } catch (ModelFormatException e) {
            throw new ParameterException(spec.commandLine(), "--resume: " + e.getMessage());
        }
        RunSettings.apply(cp, saving.resume, spec, network);
        return cp;
    }

    /** Checks that the checkpoint can continue on this data with these flags. */
    private void checkResumable(Checkpoint cp, int inputs, int classes) {
        Sequential m = cp.model();
        if (m.inputShape().size() != inputs || m.outputShape().size() != classes) {
            throw new ParameterException(spec.commandLine(), "--resume: " + saving.resume + " holds a network for "
                    + m.inputShape().size() + " inputs and " + m.outputShape().size() + " classes, but this data has "
                    + inputs + " inputs and " + classes + " classes");
        }
        if (m.seed() != network.seed) {
            throw new ParameterException(spec.commandLine(), "--resume: " + saving.resume + " was trained with --seed "
                    + m.seed() + "; pass the same --seed so the data split and the shuffles match (got " + network.seed
                    + ")");
        }
        if (network.epochs <= cp.epoch()) {
            throw new ParameterException(spec.commandLine(), "--resume: " + saving.resume + " is at epoch "
                    + cp.epoch() + " already; pass --epochs greater than " + cp.epoch() + " to train further");
        }
    }
}
