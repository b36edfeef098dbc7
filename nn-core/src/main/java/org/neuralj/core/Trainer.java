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
 * epoch allocates nothing per batch. {@code evaluate} holds the network's {@link Sequential#lock()} while it runs;
 * {@code fit} holds it for one batch (and one validation) at a time, so a {@code predict} from another thread waits
 * for at most one batch.
 *
 * <p>With {@link FitOptions#workers(int) workers(n)}, n &gt; 1, each batch's gradient is computed by n threads on
 * n copies of the network, each on a fixed share of the batch, and summed in a fixed order before the one optimizer
 * step; the checks, listeners and lock work as with one worker.
 */
public final class Trainer {
    private static final int EVAL_BATCH = 1024;
    /**
     * Two epochs in a row whose second half of batches has a mean loss of at least this share of the loss's clamp
     * ceiling have most predictions confidently wrong at the clamp: for cross-entropy, 8.06, worse than a uniform
     * guess over up to 3,000 classes. The second half, because a run that diverges does so after a few good first
     * batches; two epochs, because a badly initialised network (N(0, 1) weights before a softmax) can start at the
     * clamp and spend its first epoch getting down from it.
     */
    private static final double SATURATED = 0.5;

    private final Sequential model;
    private final FitOptions options;
    private final Loss loss;
    private final Optimizer optimizer;
    private final BatchGradient gradient;
    private Tensor xBatch;
    private Tensor yBatch;
    /** The workers of a data-parallel fit ({@link FitOptions#workers(int)} &gt; 1), else null. */
    private DataParallelGradient workers;
    /** The last batch's correctly classified rows. */
    private int lastCorrect;
    /** The last batch's loss without the optimizer's penalty, for the clamp-ceiling check. */
    private double lastLoss;

    private Trainer(Sequential model, FitOptions options) {
        this.model = model;
        this.options = options;
        this.loss = options.loss();
        this.optimizer = options.optimizer();
        this.gradient = new BatchGradient(model, loss);
    }

    /**
     * Trains {@code model} on {@code train} as {@code options} say (loss, optimizer, epochs, batch size, validation,
     * listeners) and returns the per-epoch results. Checks the data (shapes, finite values, non-empty) before any
     * weight changes, and stops with a {@link DivergenceException} naming the epoch and batch when the loss or, after
     * a step, a parameter is no longer finite (naming it), when the validation loss is not finite, or when the second
     * half of two epochs in a row averages half the loss's clamp ceiling or above ({@link Loss#ceiling()}).
     */
    public static History fit(Sequential model, Dataset train, FitOptions options) {
        java.util.Objects.requireNonNull(model, "model must not be null");
        java.util.Objects.requireNonNull(train, "training data must not be null");
        java.util.Objects.requireNonNull(options, "options must not be null");
        // one run at a time; within it the network's fair lock is taken per batch, so predict waits one batch at most
        model.trainingLock.lock();
        try {
            return new Trainer(model, options).runWithWorkers(train);
        } finally {
            model.trainingLock.unlock();
        }
    }

    /**
     * Adds {@code weight · ∂L/∂θ} of the batch {@code (x, y)} to {@code model}'s gradients and returns the batch's mean
     * loss {@code L}: one {@link BatchGradient#accumulate}, for a caller that computes a gradient now and then (a
     * data-parallel worker, a Spark partition). Holds the network's lock while it runs. A loop should keep one
     * {@link BatchGradient}, which reuses its buffers.
     */
    public static double accumulateGradients(Sequential model, Tensor x, Tensor y, Loss loss, double weight) {
        java.util.Objects.requireNonNull(model, "model must not be null");
        model.lock().lock();
        try {
            return new BatchGradient(model, loss).accumulate(x, y, weight);
        } finally {
            model.lock().unlock();
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
        java.util.Objects.requireNonNull(model, "model must not be null");
        java.util.Objects.requireNonNull(data, "data must not be null");
        model.lock().lock();
        try {
            return evaluateUnlocked(model, data, loss);
        } finally {
            model.lock().unlock();
        }
    }

    /** {@link #run} with the data-parallel workers started before and stopped after, however it ends. */
    private History runWithWorkers(Dataset data) {
        try {
            return run(data);
        } finally {
            if (workers != null) {
                workers.close();
            }
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

        if (options.workers() > 1) {
            // after every check on the data and before the listeners: a network that cannot be copied changes nothing
            workers = new DataParallelGradient(model, loss, options.workers());
        }
        int n = train.size();
        int batchSize = Math.min(options.batchSize(), n);
        int batches = (n + batchSize - 1) / batchSize;
        List<TrainingListener> listeners = new ArrayList<>();
        if (options.logEpochs()) {
            listeners.add(new EpochLogger());
        }
        listeners.addAll(options.listeners());
        TrainingCallbacks callbacks = new TrainingCallbacks(model, options, batches, listeners);
        ParameterBuffer parameters = model.parameters();
        Rng rng = model.rng();

        callbacks.trainBegin();
        double previousLate = 0;
        // counted in long: with epochs = Integer.MAX_VALUE an int counter would overflow and never end
        for (long e = options.initialEpoch() + 1L; e <= options.epochs() && !callbacks.stopRequested(); e++) {
            int epoch = (int) e;
            long start = System.nanoTime();
            callbacks.epochBegin(epoch);
            int[] order = options.epochOrder(rng, n);
            if (workers != null) {
                workers.seedWorkers(rng);
            }
            double lossSum = 0;
            int correct = 0;
            double unpenalisedSum = 0, lateSum = 0;
            int lateRows = 0;
            for (int b = 0; b < batches; b++) {
                int from = b * batchSize, to = Math.min(n, from + batchSize);
                double batchLoss;
                model.lock().lock();
                try {
                    batchLoss = trainBatch(train, order, from, to, epoch, b, parameters);
                    correct += lastCorrect;
                } finally {
                    model.lock().unlock();
                }
                unpenalisedSum += lastLoss * (to - from);
                if (2 * b >= batches - 1) {
                    lateSum += lastLoss * (to - from);
                    lateRows += to - from;
                }
                lossSum += batchLoss * (to - from);
                callbacks.batchEnd(epoch, b, batchLoss);
            }
            double late = lateSum / lateRows;
            boolean saturated = late >= SATURATED * loss.ceiling();
            if (saturated && previousLate >= SATURATED * loss.ceiling()) {
                throw new DivergenceException(epoch, String.format(java.util.Locale.ROOT, "the %s of the second"
                        + " half of epochs %d and %d averaged at least half its clamp ceiling %.4g (%.4g in epoch %d):"
                        + " most predictions are confidently wrong at the clamp, which hides how far the weights went."
                        + " Try a smaller learning rate.", loss.name(), epoch - 1, epoch, loss.ceiling(), late, epoch));
            }
            previousLate = late;
            Evaluation val = validation == null ? null : evaluate(model, validation, loss);
            if (val != null && !Double.isFinite(val.loss())) {
                throw new DivergenceException(epoch, "the validation " + loss.name() + " is " + val.loss()
                        + " after epoch " + epoch + ". Try a smaller learning rate.");
            }
            EpochResult result = new EpochResult(epoch, lossSum / n, (double) correct / n,
                    val == null ? Double.NaN : val.loss(), val == null ? Double.NaN : val.accuracy(),
                    val == null ? 0 : val.correct(), val == null ? 0 : val.count(),
                    optimizer.learningRate(), (System.nanoTime() - start) / 1_000_000);
            callbacks.epochEnd(result);
        }
        return callbacks.trainEnd();
    }

    /** One step of mini-batch gradient descent on rows {@code order[from..to)}; returns the batch's mean loss. */
    private double trainBatch(Dataset train, int[] order, int from, int to, int epoch, int batch,
                              ParameterBuffer parameters) {
        if (workers != null) {
            lastLoss = workers.accumulate(train, order, from, to);
            lastCorrect = workers.correct();
        } else {
            int rows = to - from;
            xBatch = Tensor.reuse(xBatch, rows, model.inputShape());
            yBatch = Tensor.reuse(yBatch, rows, train.targets().cols());
            train.features().gatherRows(order, from, to, xBatch);
            train.targets().gatherRows(order, from, to, yBatch);
            parameters.zeroGradients();
            lastLoss = gradient.accumulate(xBatch, yBatch, 1);
            // the output is the last layer's buffer, which a predict reuses as soon as the lock is free: count now
            lastCorrect = Classes.countEqual(gradient.output(), yBatch);
        }
        // the optimizer's regularisation term (L2 weight decay) is part of the objective, so it is reported with it
        double value = lastLoss + optimizer.penalty(parameters);
        if (!Double.isFinite(value)) {
            throw new DivergenceException(epoch, loss.name() + " is " + value + " at epoch " + epoch + ", batch "
                    + batch + " (samples " + from + ".." + (to - 1) + " of the shuffled order); the weights were not"
                    + " updated with it. Try a smaller learning rate.");
        }
        if (workers != null) {
            workers.step(optimizer);
        } else {
            optimizer.step(parameters);
        }
        int bad = optimizer.firstNonFinite(parameters);
        if (bad >= 0) {
            throw new DivergenceException(epoch, "after the update of epoch " + epoch + ", batch " + batch + ", "
                    + describe(parameters.get(bad)) + " (learning rate " + optimizer.learningRate() + "). Try a smaller"
                    + " learning rate.");
        }
        return value;
    }

    /** e.g. {@code parameter "weights" of layer 0 (Dense(30)) holds Infinity at index 17}; only on failure. */
    private String describe(Parameter p) {
        List<Layer> layers = model.layers();
        String owner = "";
        for (int i = 0; i < layers.size(); i++) {
            if (layers.get(i).parameters().contains(p)) {
                owner = " of layer " + i + " (" + layers.get(i).name() + ")";
            }
        }
        int at = p.value().firstNonFinite();
        return "parameter \"" + p.name() + "\"" + owner + " holds " + p.value().get(at) + " at index " + at;
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

    /**
     * Checks that {@code data} can train or validate {@code model}: not empty, features of the network's input shape,
     * targets of its output width, every value finite. What {@code fit} checks before it changes anything; a training
     * loop of your own can check the same way.
     *
     * @throws IllegalArgumentException starting with {@code what}, naming the shape or the row and column found
     */
    public static void checkData(Sequential model, String what, Dataset data) {
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
                    + " is " + data.features().get(bad) + "; inputs must be finite");
        }
        bad = data.targets().firstNonFinite();
        if (bad >= 0) {
            throw new IllegalArgumentException(what + ": target at row " + bad / outputs + ", column "
                    + bad % outputs + " is " + data.targets().get(bad) + "; targets must be finite");
        }
    }
}
