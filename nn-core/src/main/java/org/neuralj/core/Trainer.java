package org.neuralj.core;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The training loop and evaluation: epochs of shuffled mini-batches, each batch one forward pass, one loss
 * gradient, one backward pass and one optimizer step on the whole batch {@code [B, ...sample shape]}.
 *
 * <pre>{@code
 * History history = Trainer.fit(net, train, FitOptions.of(new CrossEntropy(), new SGD(0.5)).epochs(30));
 * Evaluation result = Trainer.evaluate(net, test);
 * }</pre>
 *
 * The loop drives the network through its public steps ({@link Sequential#forward},
 * {@link Sequential#backwardParameters}); the network knows nothing of training. Batch buffers are reused, so an
 * epoch allocates nothing per batch. Both methods hold the network's lock while they run.
 */
public final class Trainer {
    private static final int EVAL_BATCH = 1024;

    private final Sequential model;
    private final FitOptions options;
    private final Loss loss;
    private final Optimizer optimizer;
    private final boolean fusedSoftmax;
    private Tensor xBatch;
    private Tensor yBatch;
    private Tensor gradBuffer;
    private Tensor lastOutput;

    private Trainer(Sequential model, FitOptions options) {
        this.model = model;
        this.options = options;
        this.loss = options.loss();
        this.optimizer = options.optimizer();
        List<Layer> layers = model.layers();
        this.fusedSoftmax = layers.get(layers.size() - 1) instanceof SoftmaxOutput
                && loss instanceof SoftmaxFusedLoss;
    }

    /**
     * Trains {@code model} on {@code train} as {@code options} say (loss, optimizer, epochs, batch size, validation,
     * listeners) and returns the per-epoch results. Checks the data (shapes, finite values, non-empty) before any
     * weight changes, and stops with an {@link IllegalStateException} naming the epoch and batch if the loss is no
     * longer finite.
     */
    public static History fit(Sequential model, Dataset train, FitOptions options) {
        if (model == null || options == null) {
            throw new IllegalArgumentException("Trainer.fit needs a model and options but got " + model + ", "
                    + options);
        }
        synchronized (model) {
            return new Trainer(model, options).run(train);
        }
    }

    /** Accuracy on {@code data}, in inference mode, without a loss. */
    public static Evaluation evaluate(Sequential model, Dataset data) {
        return evaluate(model, data, null);
    }

    /**
     * Accuracy and mean {@code loss} (when not null) on {@code data}, in inference mode, in chunks of at most 1024
     * rows.
     */
    public static Evaluation evaluate(Sequential model, Dataset data, Loss loss) {
        synchronized (model) {
            return evaluateUnlocked(model, data, loss);
        }
    }

    private History run(Dataset data) {
        Dataset train = data;
        Dataset validation = options.validation();
        if (validation == null && options.validationSplit() > 0) {
            int cut = (int) Math.round(data.size() * (1 - options.validationSplit()));
            if (cut <= 0 || cut >= data.size()) {
                throw new IllegalArgumentException("validationSplit " + options.validationSplit() + " of "
                        + data.size() + " samples leaves an empty training or validation part");
            }
            train = data.slice(0, cut);
            validation = data.slice(cut, data.size());
        }
        if (options.initialEpoch() >= options.epochs()) {
            throw new IllegalArgumentException("initialEpoch " + options.initialEpoch() + " leaves nothing to train:"
                    + " it must be less than epochs " + options.epochs());
        }
        checkData("training data", train);
        if (validation != null) {
            checkData("validation data", validation);
        }

        int n = train.size();
        int batchSize = Math.min(options.batchSize(), n);
        int batches = (n + batchSize - 1) / batchSize;
        int[] identity = Rng.identity(n);
        List<TrainingListener> listeners = new ArrayList<>();
        if (options.logEpochs()) {
            listeners.add(new EpochLogger());
        }
        listeners.addAll(options.listeners());
        History history = new History();
        TrainingContext context = new TrainingContext(model, options, batches, history);
        List<Parameter> parameters = model.parameters();
        Rng rng = model.rng();

        listeners.forEach(l -> l.onTrainBegin(context));
        for (int epoch = options.initialEpoch() + 1; epoch <= options.epochs() && !context.stopRequested(); epoch++) {
            long start = System.nanoTime();
            for (TrainingListener l : listeners) {
                l.onEpochBegin(epoch, context);
            }
            // Each epoch shuffles a fresh identity order, so its permutation depends on the generator state alone and
            // a run resumed from a checkpoint (which restores that state) sees the same batches.
            int[] order = options.shuffle() ? rng.permutation(n) : identity;
            double lossSum = 0;
            int correct = 0;
            for (int b = 0; b < batches; b++) {
                int from = b * batchSize, to = Math.min(n, from + batchSize);
                double batchLoss = trainBatch(train, order, from, to, epoch, b, parameters);
                lossSum += batchLoss * (to - from);
                correct += Classes.countEqual(lastOutput, yBatch);
                for (TrainingListener l : listeners) {
                    l.onBatchEnd(epoch, b, batchLoss, context);
                }
            }
            Evaluation val = validation == null ? null : evaluateUnlocked(model, validation, loss);
            EpochResult result = new EpochResult(epoch, lossSum / n, (double) correct / n,
                    val == null ? Double.NaN : val.loss(), val == null ? Double.NaN : val.accuracy(),
                    val == null ? 0 : val.correct(), val == null ? 0 : val.count(),
                    optimizer.learningRate(), (System.nanoTime() - start) / 1_000_000);
            history.add(result);
            for (TrainingListener l : listeners) {
                l.onEpochEnd(result, context);
            }
        }
        listeners.forEach(l -> l.onTrainEnd(history, context));
        return history;
    }

    /** One step of mini-batch gradient descent on rows {@code order[from..to)}; returns the batch's mean loss. */
    private double trainBatch(Dataset train, int[] order, int from, int to, int epoch, int batch,
                              List<Parameter> parameters) {
        int rows = to - from;
        xBatch = Tensor.reuse(xBatch, rows, model.inputShape());
        yBatch = Tensor.reuse(yBatch, rows, train.targets().cols());
        train.features().gatherRows(order, from, to, xBatch);
        train.targets().gatherRows(order, from, to, yBatch);

        for (Parameter p : parameters) {
            p.zeroGrad();
        }
        Tensor output = model.forward(xBatch, true);
        lastOutput = output;
        // the optimizer's regularisation term (L2 weight decay) is part of the objective, so it is reported with it
        double value = loss.value(output, yBatch) + optimizer.penalty(parameters);
        if (!Double.isFinite(value)) {
            throw new IllegalStateException("Training diverged: " + loss.name() + " is " + value + " at epoch "
                    + epoch + ", batch " + batch + " (samples " + from + ".." + (to - 1) + " of the shuffled order);"
                    + " the weights were not updated with it. Try a smaller learning rate.");
        }
        gradBuffer = Tensor.reuse(gradBuffer, output.rows(), output.cols());
        int last = model.layers().size() - 1;
        if (fusedSoftmax && last == 0) {
            // the network is a lone softmax: nothing below it has parameters
        } else if (fusedSoftmax) {
            ((SoftmaxFusedLoss) loss).gradientWrtLogits(output, yBatch, gradBuffer);
            model.backwardParameters(last - 1, gradBuffer);
        } else {
            loss.gradient(output, yBatch, gradBuffer);
            model.backwardParameters(last, gradBuffer);
        }
        optimizer.step(parameters);
        return value;
    }

    private static Evaluation evaluateUnlocked(Sequential model, Dataset data, Loss loss) {
        checkData(model, "evaluation data", data);
        int n = data.size();
        int chunk = Math.min(EVAL_BATCH, n);
        Tensor x = Tensor.zeros(chunk, model.inputShape());
        Tensor y = Tensor.zeros(chunk, data.targets().cols());
        int[] identity = Rng.identity(n);
        double lossSum = 0;
        int correct = 0;
        for (int from = 0; from < n; from += chunk) {
            int to = Math.min(n, from + chunk);
            Tensor xb = Tensor.reuse(x, to - from, model.inputShape());
            Tensor yb = Tensor.reuse(y, to - from, y.cols());
            data.features().gatherRows(identity, from, to, xb);
            data.targets().gatherRows(identity, from, to, yb);
            Tensor out = model.forward(xb, false);
            if (loss != null) {
                lossSum += loss.value(out, yb) * (to - from);
            }
            correct += Classes.countEqual(out, yb);
        }
        return new Evaluation(loss == null ? Double.NaN : lossSum / n, (double) correct / n, correct, n);
    }

    private void checkData(String what, Dataset data) {
        checkData(model, what, data);
    }

    private static void checkData(Sequential model, String what, Dataset data) {
        if (data == null || data.size() == 0) {
            throw new IllegalArgumentException(what + " is empty: need at least one sample");
        }
        int inputs = model.inputShape().size();
        if (!model.inputShape().describesSamplesOf(data.features())) {
            throw new IllegalArgumentException(what + ": the network expects input width " + inputs + " (samples "
                    + model.inputShape() + ", as [N, " + inputs + "] or [N, ...shape]) but the features are "
                    + Arrays.toString(data.features().shape()));
        }
        int outputs = model.outputShape().size();
        if (data.targets().cols() != outputs) {
            throw new IllegalArgumentException(what + ": the network outputs " + outputs + " values per sample but"
                    + " the targets are " + Arrays.toString(data.targets().shape()));
        }
        int bad = data.features().firstNonFinite();
        if (bad >= 0) {
            throw new IllegalArgumentException(what + ": feature at row " + bad / inputs + ", column " + bad % inputs
                    + " is " + data.features().data()[bad] + "; inputs must be finite");
        }
        bad = data.targets().firstNonFinite();
        if (bad >= 0) {
            throw new IllegalArgumentException(what + ": target at row " + bad / outputs + ", column "
                    + bad % outputs + " is " + data.targets().data()[bad] + "; targets must be finite");
        }
    }
}
