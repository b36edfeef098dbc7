package org.neuralj.playground;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.neuralj.core.Dataset;
import org.neuralj.core.Evaluation;
import org.neuralj.core.GradientCheck;
import org.neuralj.core.Layer;
import org.neuralj.core.Loss;
import org.neuralj.core.Parameter;
import org.neuralj.core.Rng;
import org.neuralj.core.Sequential;
import org.neuralj.core.SoftmaxFusedLoss;
import org.neuralj.core.SoftmaxOutput;
import org.neuralj.core.Tensor;
import org.neuralj.core.Trainer;
import org.neuralj.core.metrics.ConfusionMatrix;
import org.neuralj.datasets.Digits;
import org.neuralj.datasets.Scaling;
import org.neuralj.datasets.Split;
import org.neuralj.datasets.ToyData;
import org.neuralj.layers.CrossEntropy;
import org.neuralj.layers.Dense;
import org.neuralj.layers.Dropout;
import org.neuralj.layers.Initializer;
import org.neuralj.layers.MeanSquaredError;
import org.neuralj.layers.QuadraticCost;
import org.neuralj.layers.ReLU;
import org.neuralj.layers.Sigmoid;
import org.neuralj.layers.Softmax;
import org.neuralj.layers.Tanh;
import org.neuralj.optim.AdaGrad;
import org.neuralj.optim.Adam;
import org.neuralj.optim.GradientOptimizer;
import org.neuralj.optim.RMSProp;
import org.neuralj.optim.SGD;

/**
 * One page's experiment, without threads or sockets: the data, the network (a {@link Sequential} of the framework's
 * own layers), the loss and the optimizer, a training step, and the JSON the page draws.
 *
 * <p>{@link #step()} is {@link Trainer}'s training step written out (zero the gradients, forward, loss, backward,
 * optimizer step) so that it can keep what the page shows of backpropagation: the gradient arriving at every
 * neuron's output ({@code ∂L/∂a}, summed over the batch), every neuron's bias gradient ({@code ∂L/∂z}, the same
 * sum taken one step further down) and each {@link Dense} layer's weight-gradient norm {@code ‖∂L/∂W‖}.
 *
 * <p>Not thread-safe: a {@link Session} calls it from its own thread only.
 */
public final class Lab {
    /** The 2-D plane drawn is {@code [−VIEW, VIEW]²}. */
    public static final double VIEW = 1.8;
    /** The decision boundary is computed on a {@code BOUNDARY_GRID²} grid over the plane. */
    public static final int BOUNDARY_GRID = 40;
    /** Each hidden neuron's output is computed on a {@code NEURON_GRID²} grid over the plane. */
    public static final int NEURON_GRID = 20;
    /** How many training rows {@link #checkGradients()} checks the network on. */
    static final int CHECK_ROWS = 16;

    private Settings settings;
    private final long dataSeed;
    private long seed;
    private Dataset train;
    private Dataset test;
    private Sequential net;
    private Loss loss;
    private GradientOptimizer optimizer;
    private final List<Integer> denseLayers = new ArrayList<>();
    private final List<Integer> activationLayers = new ArrayList<>();
    private boolean fused;

    private Rng shuffle;
    private int[] order;
    private int cursor;
    private int epochs;
    private long steps;
    private double lastBatchLoss = Double.NaN;
    private Tensor xBatch;
    private Tensor yBatch;
    private Tensor gradBuffer;
    private float[][] arriving;
    private double[] normSums;
    private int normCount;
    private final Tensor boundaryGrid = grid(BOUNDARY_GRID);
    private final Tensor neuronGrid = grid(NEURON_GRID);

    /** A lab with {@code settings}, data drawn from {@code dataSeed} and initial weights from {@code seed}. */
    public Lab(Settings settings, long dataSeed, long seed) {
        this.settings = settings;
        this.dataSeed = dataSeed;
        this.seed = seed;
        makeData();
        makeNetwork();
    }

    public Settings settings() {
        return settings;
    }

    public Sequential network() {
        return net;
    }

    public Dataset train() {
        return train;
    }

    public Dataset test() {
        return test;
    }

    /** Completed passes over the training data. */
    public int epochs() {
        return epochs;
    }

    /** Training steps (mini-batches) taken since the network was built. */
    public long steps() {
        return steps;
    }

    /**
     * Applies validated settings: new data (and a new network) when the data settings change, a new network when
     * its layers, output or loss change, a new optimizer (same weights) when its kind changes; the learning rate,
     * L2, batch size and speed change in place.
     *
     * @return whether the data or the network was rebuilt (the page then redraws the points or the diagram)
     */
    public boolean apply(Settings next) {
        Settings old = settings;
        settings = next;
        boolean data = !old.dataset().equals(next.dataset()) || old.noise() != next.noise()
                || old.trainFraction() != next.trainFraction() || old.points() != next.points();
        boolean network = data || !old.hidden().equals(next.hidden()) || !old.activation().equals(next.activation())
                || !old.output().equals(next.output()) || !old.loss().equals(next.loss())
                || old.dropout() != next.dropout();
        if (data) {
            makeData();
        }
        if (network) {
            makeNetwork();
        } else if (!old.optimizer().equals(next.optimizer())) {
            optimizer = optimizer();
        } else {
            optimizer.setLearningRate(next.learningRate());
            optimizer.weightDecay(next.l2());
        }
        return network;
    }

    /** New initial weights from {@code newSeed}; the data stay. */
    public void reset(long newSeed) {
        seed = newSeed;
        makeNetwork();
    }

    public long seed() {
        return seed;
    }

    // ---------------------------------------------------------------- building

    private void makeData() {
        Rng rng = new Rng(dataSeed);
        Dataset all;
        int n = settings.points();
        double noise = settings.noise();
        switch (settings.dataset()) {
            case "digits" -> all = Scaling.divide(Digits.load(), 16);
            case "moons" -> all = transform(ToyData.moons(n, noise, rng), 1.1, -0.5, -0.25);
            case "circles" -> all = transform(ToyData.circles(n, noise, 0.5, rng), 1.4, 0, 0);
            case "xor" -> all = transform(ToyData.xor(n, noise, rng), 1.4, 0, 0);
            case "spiral" -> all = transform(ToyData.spiral(n, 2, noise, rng), 1.5, 0, 0);
            case "blobs" -> all = transform(ToyData.blobs(n, 2, 0.2 + noise, rng), 1, 0, 0);
            default -> throw new IllegalArgumentException("unknown data set " + settings.dataset());
        }
        Split split = Split.stratified(all, 1 - settings.trainFraction(), new Rng(dataSeed + 1));
        train = split.train();
        test = split.test();
    }

    /** {@code scale · (x + shift)}, so that every 2-D set fills about the same part of the plane. */
    private static Dataset transform(Dataset d, double scale, double dx, double dy) {
        Tensor x = d.features();
        for (int i = 0; i < x.rows(); i++) {
            x.set(i, 0, (float) (scale * (x.get(i, 0) + dx)));
            x.set(i, 1, (float) (scale * (x.get(i, 1) + dy)));
        }
        return d;
    }

    private void makeNetwork() {
        int inputs = train.features().cols(), outputs = train.targets().cols();
        Sequential.Builder b = Sequential.builder().input(inputs).seed(seed);
        denseLayers.clear();
        activationLayers.clear();
        int index = 0;
        Initializer init = settings.activation().equals("relu") ? Initializer.heNormal() : Initializer.xavierNormal();
        for (int width : settings.hidden()) {
            b.add(new Dense(width, init));
            denseLayers.add(index++);
            b.add(switch (settings.activation()) {
                case "relu" -> new ReLU();
                case "sigmoid" -> new Sigmoid();
                default -> new Tanh();
            });
            activationLayers.add(index++);
            if (settings.dropout() > 0) {
                b.add(new Dropout(settings.dropout()));
                index++;
            }
        }
        b.add(new Dense(outputs, Initializer.xavierNormal()));
        denseLayers.add(index);
        switch (settings.output()) {
            case "softmax" -> b.add(new Softmax());
            case "sigmoid" -> b.add(new Sigmoid());
            default -> { }
        }
        net = b.build();
        loss = switch (settings.loss()) {
            case "cross-entropy" -> new CrossEntropy();
            case "mse" -> new MeanSquaredError();
            default -> new QuadraticCost();
        };
        List<Layer> layers = net.layers();
        fused = layers.get(layers.size() - 1) instanceof SoftmaxOutput && loss instanceof SoftmaxFusedLoss;
        optimizer = optimizer();
        shuffle = new Rng(seed ^ 0x5DEECE66DL);
        order = null;
        cursor = 0;
        epochs = 0;
        steps = 0;
        lastBatchLoss = Double.NaN;
        arriving = null;
        normSums = new double[denseLayers.size()];
        normCount = 0;
    }

    private GradientOptimizer optimizer() {
        double lr = settings.learningRate();
        GradientOptimizer o = switch (settings.optimizer()) {
            case "sgd" -> new SGD(lr);
            case "momentum" -> new SGD(lr, 0.9);
            case "rmsprop" -> new RMSProp(lr);
            case "adagrad" -> new AdaGrad(lr);
            default -> new Adam(lr);
        };
        return o.weightDecay(settings.l2());
    }

    // ---------------------------------------------------------------- training

    /**
     * One step of mini-batch gradient descent on the next {@code batchSize} rows of the shuffled training data.
     *
     * @return the batch's loss (with the L2 penalty)
     * @throws IllegalStateException when the loss is no longer finite; the weights are then not updated
     */
    public double step() {
        int n = train.size();
        if (order == null || cursor >= n) {
            if (order != null) {
                epochs++;
            }
            order = shuffle.permutation(n);
            cursor = 0;
        }
        int from = cursor, to = Math.min(n, from + Math.min(settings.batchSize(), n));
        cursor = to;
        xBatch = Tensor.reuse(xBatch, to - from, train.features().cols());
        yBatch = Tensor.reuse(yBatch, to - from, train.targets().cols());
        train.features().gatherRows(order, from, to, xBatch);
        train.targets().gatherRows(order, from, to, yBatch);

        List<Parameter> parameters = net.parameters();
        parameters.forEach(Parameter::zeroGrad);
        Tensor output = net.forward(xBatch, true);
        double value = loss.value(output, yBatch) + optimizer.penalty(parameters);
        if (!Double.isFinite(value)) {
            throw new IllegalStateException("Training diverged: the loss is " + value + " at step " + (steps + 1)
                    + "; the weights were not updated. Lower the learning rate, then press reset.");
        }
        gradBuffer = Tensor.reuse(gradBuffer, output.rows(), output.cols());
        List<Layer> layers = net.layers();
        int last = layers.size() - 1;
        if (fused) {
            ((SoftmaxFusedLoss) loss).gradientWrtLogits(output, yBatch, gradBuffer);
            last--;
        } else {
            loss.gradient(output, yBatch, gradBuffer);
        }
        // Backpropagation, layer by layer as Sequential.backwardParameters does, keeping ∂L/∂a of each hidden layer
        float[][] seen = new float[activationLayers.size()][];
        Tensor g = gradBuffer;
        for (int i = last; i >= 0; i--) {
            int hidden = activationLayers.indexOf(i);
            if (hidden >= 0) {
                seen[hidden] = columnSums(g);
            }
            if (i == 0) {
                layers.get(0).backwardParametersOnly(g);
            } else {
                g = layers.get(i).backward(g);
            }
        }
        arriving = seen;
        for (int d = 0; d < denseLayers.size(); d++) {
            normSums[d] += norm(layers.get(denseLayers.get(d)).parameters().get(0).grad());
        }
        normCount++;
        optimizer.step(parameters);
        steps++;
        lastBatchLoss = value;
        return value;
    }

    private static float[] columnSums(Tensor g) {
        float[] s = new float[g.cols()];
        float[] d = g.data();
        for (int r = 0, c = g.cols(); r < g.rows(); r++) {
            for (int j = 0; j < c; j++) {
                s[j] += d[r * c + j];
            }
        }
        return s;
    }

    private static double norm(Tensor t) {
        double s = 0;
        float[] d = t.data();
        for (int i = t.offset(), end = i + t.size(); i < end; i++) {
            s += (double) d[i] * d[i];
        }
        return Math.sqrt(s);
    }

    /** Epochs as a fraction: completed passes plus the part of the current one. */
    public double progress() {
        return epochs + (order == null ? 0 : (double) cursor / train.size());
    }

    /**
     * Runs {@link GradientCheck} on the network as it is now, with the loss, on {@value #CHECK_ROWS} training rows:
     * every parameter tensor's largest relative error between backpropagation and finite differences.
     *
     * <p>With ReLU, a perturbation of a bias moves every row's pre-activation, and when each sampled entry has some
     * row within the stencil of a kink, {@code GradientCheck} skips them all and reports the tensor as not
     * {@linkplain GradientCheck.TensorCheck#resolved() resolved}. Such a tensor is checked again on 4 rows, then on 1
     * (fewer rows, fewer kinks nearby); one that is still unresolved is reported as such ({@code "resolved": false}),
     * apart from the errors, rather than as a failure. A NaN gradient is resolved, with a NaN error: a failure.
     */
    public ObjectNode checkGradients() {
        long start = System.nanoTime();
        Map<String, GradientCheck.TensorCheck> errors = new java.util.LinkedHashMap<>();
        Map<String, Integer> rowsUsed = new java.util.HashMap<>();
        for (int rows : new int[] {CHECK_ROWS, 4, 1}) {
            rows = Math.min(rows, train.size());
            int[] pick = new Rng(steps + 7 + rows).permutation(train.size());
            Tensor x = Tensor.zeros(rows, train.features().cols()), y = Tensor.zeros(rows, train.targets().cols());
            train.features().gatherRows(pick, 0, rows, x);
            train.targets().gatherRows(pick, 0, rows, y);
            GradientCheck.Report report = GradientCheck.check(net, loss, x, y, new Rng(steps + 11));
            boolean unresolved = false;
            for (Map.Entry<String, GradientCheck.TensorCheck> e : report.tensors().entrySet()) {
                GradientCheck.TensorCheck known = errors.get(e.getKey());
                if (known == null || !known.resolved()) {
                    errors.put(e.getKey(), e.getValue());
                    rowsUsed.put(e.getKey(), rows);
                    unresolved |= !e.getValue().resolved();
                }
            }
            if (!unresolved) {
                break;
            }
        }
        boolean passes = true;
        double max = 0;
        int unresolved = 0;
        ObjectNode n = JsonNodeFactory.instance.objectNode().put("type", "check")
                .put("tolerance", GradientCheck.TOLERANCE).put("rows", CHECK_ROWS).put("step", steps);
        ArrayNode results = n.putArray("results");
        for (Map.Entry<String, GradientCheck.TensorCheck> e : errors.entrySet()) {
            double v = e.getValue().maxRelativeError();
            boolean resolved = e.getValue().resolved();
            unresolved += resolved ? 0 : 1;
            passes &= !resolved || v <= GradientCheck.TOLERANCE;
            max = resolved && !Double.isNaN(v) ? Math.max(max, v) : max;
            results.addObject().put("tensor", e.getKey()).put("error", finite(v)).put("resolved", resolved)
                    .put("rows", rowsUsed.get(e.getKey())).put("passes", resolved && v <= GradientCheck.TOLERANCE);
        }
        return n.put("passes", passes).put("max", max).put("unresolved", unresolved)
                .put("milliseconds", (System.nanoTime() - start) / 1_000_000);
    }

    // ---------------------------------------------------------------- what the page draws

    /** The network's shape and the data's points (2-D only): sent when either changes. */
    public ObjectNode describe() {
        ObjectNode n = JsonNodeFactory.instance.objectNode().put("type", "network");
        n.set("settings", settings.toJson());
        n.put("seed", seed).put("parameters", net.parameterCount()).put("summary", net.summary());
        ArrayNode sizes = n.putArray("sizes");
        sizes.add(train.features().cols());
        for (int d : denseLayers) {
            sizes.add(((Dense) net.layers().get(d)).units());
        }
        n.put("view", VIEW).put("boundaryGrid", BOUNDARY_GRID).put("neuronGrid", NEURON_GRID);
        n.put("trainSize", train.size()).put("testSize", test.size());
        if (!settings.digits()) {
            n.set("train", points(train));
            n.set("test", points(test));
        }
        return n;
    }

    private static ArrayNode points(Dataset d) {
        ArrayNode a = JsonNodeFactory.instance.arrayNode();
        int[] labels = d.labels();
        for (int i = 0; i < d.size(); i++) {
            a.addArray().add(round(d.features().get(i, 0))).add(round(d.features().get(i, 1))).add(labels[i]);
        }
        return a;
    }

    /**
     * A frame: the losses and accuracies on the whole training and test sets, the mean weight-gradient norm of each
     * {@code Dense} layer since the last frame, and the pictures: the decision boundary, every hidden neuron's output
     * over the plane and the weights (2-D), or each first-layer unit's weights as an 8x8 image and the test set's
     * confusion matrix (digits); with {@code neuronGradients}, the last batch's per-neuron gradients.
     */
    public ObjectNode frame(boolean neuronGradients) {
        ObjectNode n = JsonNodeFactory.instance.objectNode().put("type", "frame");
        Evaluation tr = Trainer.evaluate(net, train, loss), te = Trainer.evaluate(net, test, loss);
        n.put("step", steps).put("epoch", epochs).put("progress", progress())
                .put("trainLoss", finite(tr.loss())).put("testLoss", finite(te.loss()))
                .put("trainAccuracy", tr.accuracy()).put("testAccuracy", te.accuracy())
                .put("batchLoss", finite(lastBatchLoss));
        ArrayNode norms = n.putArray("gradNorms");
        for (int d = 0; d < normSums.length; d++) {
            norms.add(normCount == 0 ? null : finite(normSums[d] / normCount));
        }
        java.util.Arrays.fill(normSums, 0);
        normCount = 0;
        if (settings.digits()) {
            digitsViews(n);
        } else {
            planeViews(n);
        }
        weights(n);
        if (neuronGradients && arriving != null) {
            ObjectNode g = n.putObject("neuronGradients");
            ArrayNode da = g.putArray("arriving");
            for (float[] layer : arriving) {
                ArrayNode l = da.addArray();
                for (float v : layer) {
                    l.add(finite(v));
                }
            }
            ArrayNode dz = g.putArray("bias");
            for (int d : denseLayers) {
                ArrayNode l = dz.addArray();
                for (float v : net.layers().get(d).parameters().get(1).grad().toArray()) {
                    l.add(finite(v));
                }
            }
        }
        return n;
    }

    private void planeViews(ObjectNode n) {
        List<Layer> layers = net.layers();
        // the decision boundary: class 1's share of the output, as a score in [−1, 1]
        Tensor out = net.forward(boundaryGrid, false);
        byte[] boundary = new byte[out.rows()];
        boolean probabilities = settings.output().equals("softmax");
        for (int r = 0; r < out.rows(); r++) {
            double s = out.get(r, 1) - out.get(r, 0);
            boundary[r] = quantise(probabilities ? s : Math.max(-1, Math.min(1, s)));
        }
        n.put("boundary", Base64.getEncoder().encodeToString(boundary));
        // every hidden neuron's output over the plane, layer by layer
        ArrayNode neurons = n.putArray("neurons");
        Tensor x = neuronGrid;
        for (int i = 0; i < layers.size(); i++) {
            x = layers.get(i).forward(x, false);
            if (activationLayers.contains(i)) {
                ArrayNode layer = neurons.addArray();
                for (int j = 0; j < x.cols(); j++) {
                    double max = 1;
                    for (int r = 0; r < x.rows(); r++) {
                        max = Math.max(max, Math.abs(x.get(r, j)));
                    }
                    byte[] map = new byte[x.rows()];
                    for (int r = 0; r < x.rows(); r++) {
                        map[r] = quantise(x.get(r, j) / max);
                    }
                    layer.add(Base64.getEncoder().encodeToString(map));
                }
            }
        }
    }

    /** Every Dense layer's weights {@code [in, units]} row by row, and biases; in digits mode the first layer's
     *  weights (64 per unit) are left empty: the images show them. */
    private void weights(ObjectNode n) {
        ArrayNode weights = n.putArray("weights"), biases = n.putArray("biases");
        for (int d : denseLayers) {
            List<Parameter> p = net.layers().get(d).parameters();
            ArrayNode w = weights.addArray();
            if (!(settings.digits() && d == denseLayers.get(0))) {
                for (float v : p.get(0).value().toArray()) {
                    w.add(round(v));
                }
            }
            ArrayNode b = biases.addArray();
            for (float v : p.get(1).value().toArray()) {
                b.add(round(v));
            }
        }
    }

    private void digitsViews(ObjectNode n) {
        Tensor w = net.layers().get(denseLayers.get(0)).parameters().get(0).value();   // [64, units]
        ArrayNode images = n.putArray("images");
        for (int j = 0; j < w.cols(); j++) {
            double max = 1e-9;
            for (int i = 0; i < w.rows(); i++) {
                max = Math.max(max, Math.abs(w.get(i, j)));
            }
            byte[] img = new byte[w.rows()];
            for (int i = 0; i < w.rows(); i++) {
                img[i] = quantise(w.get(i, j) / max);
            }
            images.add(Base64.getEncoder().encodeToString(img));
        }
        int classes = test.targets().cols();
        ConfusionMatrix cm = ConfusionMatrix.of(test.labels(), net.predictClasses(test.features()), classes);
        ArrayNode rows = n.putArray("confusion");
        for (int a = 0; a < classes; a++) {
            ArrayNode row = rows.addArray();
            for (int p = 0; p < classes; p++) {
                row.add(cm.count(a, p));
            }
        }
    }

    /** The points of a {@code size × size} grid over the plane, row by row from the top (y = VIEW) down. */
    static Tensor grid(int size) {
        Tensor g = Tensor.zeros(size * size, 2);
        for (int r = 0; r < size; r++) {
            for (int c = 0; c < size; c++) {
                g.set(r * size + c, 0, (float) (-VIEW + (c + 0.5) * 2 * VIEW / size));
                g.set(r * size + c, 1, (float) (VIEW - (r + 0.5) * 2 * VIEW / size));
            }
        }
        return g;
    }

    /** A value in [−1, 1] as a signed byte (NaN as 0). */
    static byte quantise(double v) {
        if (Double.isNaN(v)) {
            return 0;
        }
        return (byte) Math.round(Math.max(-1, Math.min(1, v)) * 127);
    }

    private static double round(double v) {
        return Double.isFinite(v) ? Math.round(v * 1e4) / 1e4 : 0;
    }

    /** JSON has no NaN: a non-finite value goes to the page as null. */
    private static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }
}
