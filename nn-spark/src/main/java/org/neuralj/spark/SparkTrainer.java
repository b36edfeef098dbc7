package org.neuralj.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.neuralj.core.DivergenceException;
import org.neuralj.core.EpochResult;
import org.neuralj.core.Evaluation;
import org.neuralj.core.FitOptions;
import org.neuralj.core.Layer;
import org.neuralj.core.Optimizer;
import org.neuralj.core.ParameterBuffer;
import org.neuralj.core.Rng;
import org.neuralj.core.Sequential;
import org.neuralj.core.Trainer;
import org.neuralj.core.TrainingCallbacks;
import org.neuralj.io.ModelFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Synchronous data-parallel training on Spark: the same steps as {@link org.neuralj.core.Trainer#fit}, with each
 * global mini-batch's gradient computed by the partitions that hold its rows.
 *
 * <pre>{@code
 * List<SparkEpoch> epochs = SparkTrainer.fit(net, rows, "features", "label",
 *         FitOptions.of(new CrossEntropy(), new Adam(1e-3)).epochs(5).batchSize(128));
 * }</pre>
 *
 * <p>Row {@code i} of {@code data} (in partition order) plays the part of row {@code i} of the {@code Dataset}
 * {@code fit} would get. Each epoch the driver draws the same permutation {@code fit} draws from the model's
 * {@link Rng}, and global batch {@code b} is rows {@code order[b·B .. min(n, (b+1)·B))}. A round per batch: the driver
 * broadcasts the flat weights θ; partition {@code p}, holding {@code n_p} of the batch's {@code n_b} rows, computes
 * {@code (n_p / n_b) · ∇θ L_p}, the gradient of its rows' mean loss weighted by its share; one job
 * ({@link RoundJob}) adds them in a fixed order ({@link GradientSum}) into {@code ∇θ L}, the gradient of the whole
 * batch's mean loss; the driver's optimizer steps once. So one partition reproduces {@code fit} bit for bit, and several partitions equal it
 * up to float rounding of the sum.
 *
 * <p>The other mode, {@link ParameterAveraging}: each partition takes {@code k} local steps, then the driver averages
 * the partitions' weights and optimizer state; one round per {@code k} batches, no longer {@code fit}'s SGD.
 *
 * <p>Limits: layers with buffers (batch normalisation's running statistics) are refused, since the executors' updated
 * statistics would not come back; layers that draw random numbers in training (dropout) take them from the
 * executors' copies, so such a model trains but does not repeat {@code fit}'s masks. Validation data (evaluated on
 * the driver after each epoch) and listeners work as in {@code fit} ({@link TrainingCallbacks}); a validation split
 * and a non-zero initial epoch are not supported.
 */
public final class SparkTrainer {
    private static final Logger LOG = LoggerFactory.getLogger(SparkTrainer.class);

    private SparkTrainer() {
    }

    /**
     * Trains {@code model} on {@code data}, whose {@code featuresColumn} holds each row's input (array of float or
     * double, or an ML vector) and whose {@code labelColumn} holds its class (an integer type, one-hot encoded to
     * the network's output width) or its target vector (array or vector), with {@code options}' loss, optimizer,
     * epochs, batch size and shuffling. The model's weights, its random generator and the optimizer advance as in
     * {@code fit}. Returns one {@link SparkEpoch} per epoch.
     *
     * @throws IllegalArgumentException before any weight changes, naming the argument: a missing or mistyped
     *                                  column, an option this trainer does not support, a layer with buffers, a loss
     *                                  that cannot travel, or empty data
     * @throws DivergenceException      when the loss or, after a step, a weight is no longer finite
     */
    public static List<SparkEpoch> fit(Sequential model, Dataset<Row> data, String featuresColumn, String labelColumn,
                                       FitOptions options) {
        return train(model, data, featuresColumn, labelColumn, options, null);
    }

    /**
     * Trains {@code model} as {@link #fit(Sequential, Dataset, String, String, FitOptions)} does, but with parameter
     * averaging: each partition takes {@code averaging.every()} local steps on its shares of that many global batches,
     * then the driver averages the partitions' weights and optimizer state, weighted by the rows each saw (see
     * {@link ParameterAveraging}). Each {@link SparkEpoch} then counts averaging rounds, and its step time is the
     * driver's applying of the averages. The driver's optimizer ends with the averaged state and the step count.
     *
     * @throws IllegalArgumentException as the other {@code fit}, and when {@code averaging}'s factory makes another
     *                                  optimizer than {@code options}' one
     * @throws DivergenceException      when the loss or, after an average, a weight is no longer finite
     */
    public static List<SparkEpoch> fit(Sequential model, Dataset<Row> data, String featuresColumn, String labelColumn,
                                       FitOptions options, ParameterAveraging averaging) {
        java.util.Objects.requireNonNull(averaging, "averaging must not be null");
        return train(model, data, featuresColumn, labelColumn, options, averaging);
    }

    /** Both modes: {@code averaging} null trains synchronously. */
    private static List<SparkEpoch> train(Sequential model, Dataset<Row> data, String featuresColumn,
                                          String labelColumn, FitOptions options, ParameterAveraging averaging) {
        java.util.Objects.requireNonNull(model, "model must not be null");
        java.util.Objects.requireNonNull(data, "data must not be null");
        java.util.Objects.requireNonNull(options, "options must not be null");
        requireSupported(model, options);
        if (averaging != null) {
            averaging.requireMatches(options.optimizer());
        }
        int inputs = model.inputShape().size(), outputs = model.outputShape().size();
        StructType schema = data.schema();
        VectorColumn features = VectorColumn.of(schema, featuresColumn, inputs);
        TargetColumn targets = TargetColumn.of(schema, labelColumn, outputs);
        ShippedLoss loss = ShippedLoss.of(options.loss());

        JavaSparkContext spark = JavaSparkContext.fromSparkContext(data.sparkSession().sparkContext());
        JavaRDD<Sample> samples = data.javaRDD().zipWithIndex()
                .map(t -> sample(t._2(), t._1(), features, targets, inputs, outputs))
                .persist(StorageLevel.MEMORY_AND_DISK());
        Broadcast<byte[]> shippedModel = null;
        try {
            long count = samples.count();
            if (count == 0) {
                throw new IllegalArgumentException("training data is empty: need at least one row");
            }
            if (count > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("training data has " + count + " rows; at most "
                        + Integer.MAX_VALUE + " are supported (fit's row indices are int)");
            }
            shippedModel = spark.broadcast(modelBytes(model));
            return new Run(spark, model, options, averaging, loss, samples, (int) count, shippedModel).epochs();
        } finally {
            samples.unpersist(false);
            if (shippedModel != null) {
                ExecutorNetworks.forget(shippedModel);
                shippedModel.destroy();
            }
        }
    }

    private static void requireSupported(Sequential model, FitOptions options) {
        if (options.validationSplit() > 0) {
            throw new IllegalArgumentException("options: validationSplit " + options.validationSplit() + " is not"
                    + " supported by SparkTrainer (a data frame has no fixed order to split); pass validation data");
        }
        if (options.validation() != null) {
            Trainer.checkData(model, "options: validation data", options.validation());
        }
        if (options.initialEpoch() != 0) {
            throw new IllegalArgumentException("options: initialEpoch " + options.initialEpoch() + " is not supported;"
                    + " SparkTrainer starts at epoch 1");
        }
        for (int i = 0; i < model.layers().size(); i++) {
            Layer layer = model.layers().get(i);
            if (!layer.buffers().isEmpty()) {
                throw new IllegalArgumentException("model: layer " + i + " (" + layer.name() + ") has buffers "
                        + layer.buffers() + ", which executors would update and not send back");
            }
        }
    }

    private static byte[] modelBytes(Sequential model) {
        try {
            return ModelFile.toBytes(model);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serialise the model for broadcasting", e);
        }
    }

    private static Sample sample(long index, Row row, VectorColumn features, TargetColumn targets, int inputs,
                                 int outputs) {
        float[] x = new float[inputs], y = new float[outputs];
        try {
            features.read(row, x, 0);
            targets.read(row, y);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("row " + index + ": " + e.getMessage(), e);
        }
        for (int i = 0; i < inputs; i++) {
            if (!Float.isFinite(x[i])) {
                throw new IllegalArgumentException("row " + index + ": feature " + i + " is " + x[i]
                        + "; inputs must be finite");
            }
        }
        return new Sample(index, x, y);
    }


    /** One training run: the driver's loop over epochs and rounds. */
    private static final class Run {
        private final JavaSparkContext spark;
        private final Sequential model;
        private final FitOptions options;
        private final ParameterAveraging averaging;
        private final ShippedLoss loss;
        private final JavaRDD<Sample> samples;
        private final int n;
        private final Broadcast<byte[]> shippedModel;
        private final Optimizer optimizer;
        private final int partitions;
        /** What one epoch's rounds add up to. */
        private double lossSum;
        private long correct;
        private long computeNanos;
        private long stepNanos;

        Run(JavaSparkContext spark, Sequential model, FitOptions options, ParameterAveraging averaging,
            ShippedLoss loss, JavaRDD<Sample> samples, int n, Broadcast<byte[]> shippedModel) {
            this.spark = spark;
            this.model = model;
            this.options = options;
            this.averaging = averaging;
            this.loss = loss;
            this.samples = samples;
            this.n = n;
            this.shippedModel = shippedModel;
            this.optimizer = options.optimizer();
            this.partitions = samples.getNumPartitions();
        }

        List<SparkEpoch> epochs() {
            int batchSize = Math.min(options.batchSize(), n);
            int batches = (n + batchSize - 1) / batchSize;
            int inputs = model.inputShape().size(), outputs = model.outputShape().size();
            Rng rng = model.rng();
            List<SparkEpoch> results = new ArrayList<>();
            TrainingCallbacks callbacks = new TrainingCallbacks(model, options, batches, options.listeners());
            callbacks.trainBegin();
            for (int epoch = 1; epoch <= options.epochs() && !callbacks.stopRequested(); epoch++) {
                long start = System.nanoTime();
                callbacks.epochBegin(epoch);
                int[] order = options.epochOrder(rng, n); // the draw Trainer.fit makes, from the same generator
                int[] position = new int[n];
                for (int p = 0; p < n; p++) {
                    position[order[p]] = p;
                }
                Broadcast<int[]> positions = spark.broadcast(position);
                JavaRDD<EpochShard> shards = samples.mapPartitions(it -> List.of(EpochShard.of(it, positions.value(),
                        batchSize, inputs, outputs)).iterator(), true).persist(StorageLevel.MEMORY_AND_DISK());
                try {
                    shards.count();
                    long arranged = System.nanoTime();
                    lossSum = 0;
                    correct = 0;
                    computeNanos = 0;
                    stepNanos = 0;
                    int rounds = averaging == null ? synchronousRounds(shards, epoch, batches, batchSize, callbacks)
                            : averagingRounds(shards, epoch, batches, batchSize, callbacks);
                    long trained = System.nanoTime();
                    // on the driver, as fit does: the validation set is an in-memory Dataset
                    Evaluation val = options.validation() == null ? null
                            : Trainer.evaluate(model, options.validation(), options.loss());
                    if (val != null && !Double.isFinite(val.loss())) {
                        throw new DivergenceException(epoch, "the validation " + loss.get().name() + " is "
                                + val.loss() + " after epoch " + epoch + ". Try a smaller learning rate.");
                    }
                    long end = System.nanoTime();
                    SparkEpoch result = new SparkEpoch(epoch, lossSum / n, (double) correct / n,
                            val == null ? Double.NaN : val.loss(), val == null ? Double.NaN : val.accuracy(), rounds,
                            (end - start) / 1_000_000, computeNanos / 1_000_000, stepNanos / 1_000_000,
                            (arranged - start) / 1_000_000, (end - trained) / 1_000_000);
                    if (options.logEpochs()) {
                        LOG.info(result.summary());
                    }
                    results.add(result);
                    callbacks.epochEnd(new EpochResult(epoch, result.loss(), result.trainAccuracy(),
                            result.validationLoss(), result.validationAccuracy(), val == null ? 0 : val.correct(),
                            val == null ? 0 : val.count(), optimizer.learningRate(), result.millis()));
                } finally {
                    shards.unpersist(false);
                    positions.destroy();
                }
            }
            callbacks.trainEnd();
            return results;
        }

        /** One round per global batch; returns the rounds. */
        private int synchronousRounds(JavaRDD<EpochShard> shards, int epoch, int batches, int batchSize,
                                      TrainingCallbacks callbacks) {
            for (int b = 0; b < batches; b++) {
                int rows = Math.min(n, (b + 1) * batchSize) - b * batchSize;
                GradientSum sum = round(shards, b, rows);
                if (!Double.isFinite(sum.loss())) {
                    throw new DivergenceException(epoch, loss.get().name() + " is " + sum.loss() + " at epoch "
                            + epoch + ", batch " + b + "; the weights were not updated with it."
                            + " Try a smaller learning rate.");
                }
                long stepStart = System.nanoTime();
                step(sum.gradient(), epoch, b);
                stepNanos += System.nanoTime() - stepStart;
                computeNanos += sum.computeNanos();
                lossSum += sum.loss() * rows;
                correct += sum.correct();
                callbacks.batchEnd(epoch, b, sum.loss());
            }
            return batches;
        }

        /** One synchronous round: broadcast θ, each partition's weighted gradient, their fixed-order sum. */
        private GradientSum round(JavaRDD<EpochShard> shards, int batch, int batchRows) {
            // bytes (FloatBytes: one block for the serializer), and a copy, which the next step cannot change
            Broadcast<byte[]> weights = spark.broadcast(FloatBytes.of(model.parameters().values()));
            try {
                return RoundJob.run(shards, partitions,
                        new GradientShare(shippedModel, weights, loss, batch, batchRows));
            } finally {
                weights.destroy();
            }
        }

        /** The driver's update from the summed gradient. */
        private void step(float[] gradient, int epoch, int batch) {
            if (gradient == null) {
                throw new IllegalStateException("batch " + batch + " of epoch " + epoch + " reached no partition");
            }
            float[] gradients = model.parameters().gradients();
            System.arraycopy(gradient, 0, gradients, 0, gradients.length);
            model.lock().lock();
            try {
                optimizer.step(model.parameters());
            } finally {
                model.lock().unlock();
            }
            int bad = optimizer.firstNonFinite(model.parameters());
            if (bad >= 0) {
                throw new DivergenceException(epoch, "after the update of epoch " + epoch + ", batch " + batch
                        + ", parameter " + bad + " (" + model.parameters().get(bad) + ") is no longer finite"
                        + " (learning rate " + optimizer.learningRate() + "). Try a smaller learning rate.");
            }
        }

        /**
         * One round per {@code k} global batches: broadcast θ and the optimizer state, each partition's
         * {@link LocalSteps}, their row-weighted fixed-order sum, which replaces the driver's θ and state. Returns the
         * rounds.
         */
        private int averagingRounds(JavaRDD<EpochShard> shards, int epoch, int batches, int batchSize,
                                    TrainingCallbacks callbacks) {
            ParameterBuffer parameters = model.parameters();
            String[] states = OptimizerState.names(optimizer, parameters);
            int length = parameters.length();
            int k = averaging.every();
            int rounds = (batches + k - 1) / k;
            for (int r = 0; r < rounds; r++) {
                int first = r * k, steps = Math.min(batches, first + k) - first;
                int rows = Math.min(n, (first + steps) * batchSize) - first * batchSize;
                float[] start = new float[length * (1 + states.length)];
                System.arraycopy(parameters.values(), 0, start, 0, length);
                OptimizerState.read(optimizer, parameters, states, start, length);
                Broadcast<byte[]> shipped = spark.broadcast(FloatBytes.of(start));
                GradientSum sum;
                try {
                    sum = RoundJob.run(shards, partitions, new LocalSteps(shippedModel, shipped,
                            averaging.optimizers(), loss, states, optimizer.steps(), first, steps, rows));
                } finally {
                    shipped.destroy();
                }
                if (sum.gradient() == null) {
                    throw new IllegalStateException("averaging round " + r + " of epoch " + epoch + " reached no"
                            + " partition");
                }
                if (!Double.isFinite(sum.loss())) {
                    throw new DivergenceException(epoch, loss.get().name() + " is " + sum.loss() + " in epoch "
                            + epoch + ", batches " + first + ".." + (first + steps - 1) + " (averaging round " + r
                            + "); the weights were not updated with it. Try a smaller learning rate.");
                }
                long applyStart = System.nanoTime();
                float[] average = sum.gradient();
                int bad = org.neuralj.core.kernel.Finite.first(average, 0, length);
                if (bad >= 0) {
                    throw new DivergenceException(epoch, "after averaging batches " + first + ".."
                            + (first + steps - 1) + " of epoch " + epoch + ", parameter " + parameters.indexAt(bad)
                            + " (" + parameters.get(parameters.indexAt(bad)) + ") is no longer finite (learning rate "
                            + optimizer.learningRate() + "). Try a smaller learning rate.");
                }
                model.lock().lock();
                try {
                    System.arraycopy(average, 0, parameters.values(), 0, length);
                    OptimizerState.write(optimizer, parameters, states, average, length);
                    optimizer.setSteps(optimizer.steps() + steps);
                } finally {
                    model.lock().unlock();
                }
                stepNanos += System.nanoTime() - applyStart;
                computeNanos += sum.computeNanos();
                lossSum += sum.loss();
                correct += sum.correct();
                // a round ends after its last batch: the listeners hear of the round, with its rows' mean loss
                callbacks.batchEnd(epoch, first + steps - 1, sum.loss() / rows);
            }
            return rounds;
        }
    }
}
