package org.neuralj.spark;

import java.util.function.Supplier;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.types.StructType;
import org.neuralj.core.FitOptions;
import org.neuralj.core.Sequential;

/**
 * Training on Spark as a Spark ML pipeline stage: {@link #fit} trains a copy of the network it was made with
 * ({@link SparkTrainer#fit}, synchronous data-parallel SGD) and returns the trained network as a
 * {@link NetworkTransformer}, so that {@code pipeline.fit(train)} trains it after the stages that build its features
 * and the fitted {@code PipelineModel} scores with it.
 *
 * <pre>{@code
 * NetworkEstimator estimator = new NetworkEstimator(net,
 *         () -> FitOptions.of(new CrossEntropy(), new Adam(1e-3)).epochs(5).batchSize(128).quiet());
 * PipelineModel model = new Pipeline().setStages(new PipelineStage[] {assembler, estimator}).fit(train);
 * }</pre>
 *
 * <p>Every fit starts from the network as it was when the estimator was made (its weights and random generator,
 * copied then), with options made afresh by {@code options} (so no optimizer state carries over from one fit to the
 * next): the same data gives the same model, fit after fit. Parameters: {@code featuresCol} ({@code "features"}),
 * {@code labelCol} ({@code "label"}: a class index or a target vector, as {@link SparkTrainer} takes it), and the
 * fitted stage's {@code predictionCol} and {@code probabilityCol}. The network and the options are code, not
 * parameters, so an unfitted pipeline holding this stage cannot be saved; the fitted {@code PipelineModel} can.
 */
public final class NetworkEstimator extends Estimator<NetworkTransformer> {
    private static final long serialVersionUID = 1L;

    private final String uid;
    private final transient Sequential network;
    private final transient Supplier<FitOptions> options;
    private final Param<String> featuresCol;
    private final Param<String> labelCol;
    private final Param<String> predictionCol;
    private final Param<String> probabilityCol;

    /**
     * An estimator that trains copies of {@code network} (copied now) with the options {@code options} makes, once
     * per fit.
     *
     * @throws IllegalArgumentException when the network cannot be copied (a layer without a registered type)
     */
    public NetworkEstimator(Sequential network, Supplier<FitOptions> options) {
        this(Identifiable.randomUID("neuralj-estimator"), java.util.Objects.requireNonNull(network,
                "network must not be null").copy(), java.util.Objects.requireNonNull(options,
                "options must not be null"));
    }

    private NetworkEstimator(String uid, Sequential network, Supplier<FitOptions> options) {
        this.uid = uid; // before the parameters, which take their parent's uid
        this.network = network;
        this.options = options;
        featuresCol = new Param<>(this, "featuresCol", NetworkTransformer.FEATURES_DOC);
        labelCol = new Param<>(this, "labelCol", "the label column: a class index or a target vector");
        predictionCol = new Param<>(this, "predictionCol", NetworkTransformer.PREDICTION_DOC);
        probabilityCol = new Param<>(this, "probabilityCol", NetworkTransformer.PROBABILITY_DOC);
        setDefault(featuresCol, "features");
        setDefault(labelCol, "label");
        setDefault(predictionCol, SparkInference.PREDICTION);
        setDefault(probabilityCol, SparkInference.PROBABILITY);
    }

    /** This stage's Spark ML identifier, kept by copies and by saving. */
    @Override
    public String uid() {
        return uid;
    }

    /** The features column parameter (default {@code "features"}). */
    public Param<String> featuresCol() {
        return featuresCol;
    }

    /** The label column parameter (default {@code "label"}). */
    public Param<String> labelCol() {
        return labelCol;
    }

    /** The class column parameter (default {@code "prediction"}). */
    public Param<String> predictionCol() {
        return predictionCol;
    }

    /** The outputs column parameter (default {@code "probability"}). */
    public Param<String> probabilityCol() {
        return probabilityCol;
    }

    /** Trains on the features of column {@code name}; returns this estimator. */
    public NetworkEstimator setFeaturesCol(String name) {
        set(featuresCol, name);
        return this;
    }

    /** Trains on the labels of column {@code name}; returns this estimator. */
    public NetworkEstimator setLabelCol(String name) {
        set(labelCol, name);
        return this;
    }

    /** Names the fitted stage's class column; returns this estimator. */
    public NetworkEstimator setPredictionCol(String name) {
        set(predictionCol, name);
        return this;
    }

    /** Names the fitted stage's outputs column; returns this estimator. */
    public NetworkEstimator setProbabilityCol(String name) {
        set(probabilityCol, name);
        return this;
    }

    /**
     * Trains a copy of the network on {@code dataset} and returns it as a stage whose columns are this estimator's.
     *
     * @throws IllegalArgumentException as {@link SparkTrainer#fit} does, before any training
     */
    @Override
    public NetworkTransformer fit(Dataset<?> dataset) {
        Sequential trained = network.copy();
        SparkTrainer.fit(trained, dataset.toDF(), getOrDefault(featuresCol), getOrDefault(labelCol), options.get());
        return new NetworkTransformer(trained).setFeaturesCol(getOrDefault(featuresCol))
                .setPredictionCol(getOrDefault(predictionCol)).setProbabilityCol(getOrDefault(probabilityCol))
                .setParent(this);
    }

    /**
     * The fitted stage's output schema: {@code schema} with the two scored columns appended, checked as there, after
     * checking the label column as {@link SparkTrainer} reads it.
     */
    @Override
    public StructType transformSchema(StructType schema) {
        TargetColumn.of(schema, getOrDefault(labelCol), network.outputShape().size());
        return SparkInference.scoredSchema(schema, network.inputShape().size(), getOrDefault(featuresCol),
                getOrDefault(predictionCol), getOrDefault(probabilityCol), SparkInference.Output.SPARK_ML);
    }

    /** The same network, options and uid, with this estimator's parameters overridden by {@code extra}. */
    @Override
    public NetworkEstimator copy(ParamMap extra) {
        return copyValues(new NetworkEstimator(uid, network, options), extra);
    }
}
