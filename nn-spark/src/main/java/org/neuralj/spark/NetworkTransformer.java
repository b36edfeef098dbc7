package org.neuralj.spark;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWriter;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.neuralj.core.Sequential;
import org.neuralj.io.ModelFile;

/**
 * A network as a Spark ML pipeline stage (a {@link Model}: what {@link NetworkEstimator} fits, or made from a network
 * directly): {@link #transform} appends what {@link SparkInference#score} computes, in Spark ML's types (the class
 * as a {@code double}, the network's outputs as an ML {@code Vector}, which Spark's evaluators require) and under the
 * names its parameters give, so that the network takes its place in a {@link org.apache.spark.ml.Pipeline} after the
 * stages that assemble its features.
 *
 * <pre>{@code
 * Pipeline pipeline = new Pipeline().setStages(new PipelineStage[] {
 *         new VectorAssembler().setInputCols(pixelColumns).setOutputCol("features"),
 *         new NetworkTransformer(net).setPredictionCol("digit")});
 * Dataset<Row> scored = pipeline.fit(images).transform(images);
 * }</pre>
 *
 * <p>Parameters (Spark ML {@link Param}s, set with the setters or a {@link ParamMap}): {@code featuresCol}
 * (default {@code "features"}), {@code predictionCol} ({@code "prediction"}), {@code probabilityCol}
 * ({@code "probability"}) and {@code batchRows} (rows per forward pass within a partition,
 * {@value SparkInference#DEFAULT_BATCH_ROWS}). The stage holds the network as its model-file bytes
 * ({@link ModelFile#toBytes}), taken when it is made: later training of the network does not reach it.
 *
 * <p>It saves and loads as Spark ML stages do ({@link MLWritable}; {@link #read()}), alone or within a saved
 * {@code PipelineModel}: Spark's metadata (class, uid, parameters) in {@code metadata/}, the network's model file in
 * {@value #NETWORK_FILE}, on any file system Spark reaches (HDFS, S3, local).
 */
public final class NetworkTransformer extends Model<NetworkTransformer> implements MLWritable {
    /** The network's model file within a saved stage's folder. */
    public static final String NETWORK_FILE = "network.safetensors";
    /** The documentation of the column parameters this stage and {@link NetworkEstimator} share. */
    static final String FEATURES_DOC = "the features column: array<float>, array<double> or an ML vector of the"
            + " network's input width";
    static final String PREDICTION_DOC = "the added column of classes (double)";
    static final String PROBABILITY_DOC = "the added column of the network's outputs (an ML vector)";
    private static final long serialVersionUID = 1L;

    private final String uid;
    private final byte[] modelFile;
    private final int inputs;
    private final Param<String> featuresCol;
    private final Param<String> predictionCol;
    private final Param<String> probabilityCol;
    private final IntParam batchRows;

    /** A stage that scores rows with {@code model} as it is now. */
    public NetworkTransformer(Sequential model) {
        this(Identifiable.randomUID("neuralj"),
                SparkInference.modelFile(java.util.Objects.requireNonNull(model, "model must not be null")),
                model.inputShape().size());
    }

    private NetworkTransformer(String uid, byte[] modelFile, int inputs) {
        this.uid = uid; // before the parameters, which take their parent's uid
        this.modelFile = modelFile;
        this.inputs = inputs;
        featuresCol = new Param<>(this, "featuresCol", FEATURES_DOC);
        predictionCol = new Param<>(this, "predictionCol", PREDICTION_DOC);
        probabilityCol = new Param<>(this, "probabilityCol", PROBABILITY_DOC);
        batchRows = new IntParam(this, "batchRows", "rows per forward pass within a partition (>= 1)",
                ParamValidators.gtEq(1));
        setDefault(featuresCol, "features");
        setDefault(predictionCol, SparkInference.PREDICTION);
        setDefault(probabilityCol, SparkInference.PROBABILITY);
        setDefault(batchRows, SparkInference.DEFAULT_BATCH_ROWS);
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

    /** The class column parameter (default {@code "prediction"}). */
    public Param<String> predictionCol() {
        return predictionCol;
    }

    /** The outputs column parameter (default {@code "probability"}). */
    public Param<String> probabilityCol() {
        return probabilityCol;
    }

    /** Rows per forward pass within a partition (default 1024, at least 1). */
    public IntParam batchRows() {
        return batchRows;
    }

    /** Reads the features from column {@code name}; returns this stage. */
    public NetworkTransformer setFeaturesCol(String name) {
        set(featuresCol, name);
        return this;
    }

    /** Names the added class column; returns this stage. */
    public NetworkTransformer setPredictionCol(String name) {
        set(predictionCol, name);
        return this;
    }

    /** Names the added outputs column; returns this stage. */
    public NetworkTransformer setProbabilityCol(String name) {
        set(probabilityCol, name);
        return this;
    }

    /** Runs the network on {@code rows} rows at a time; returns this stage. */
    public NetworkTransformer setBatchRows(int rows) {
        set(batchRows, rows);
        return this;
    }

    /**
     * {@code dataset} with the two columns appended; lazy, like any Spark transformation.
     *
     * @throws IllegalArgumentException as {@link #transformSchema} does, before anything is broadcast
     */
    @Override
    public Dataset<Row> transform(Dataset<?> dataset) {
        return SparkInference.score(dataset.toDF(), modelFile, inputs, getOrDefault(featuresCol),
                getOrDefault(predictionCol), getOrDefault(probabilityCol), (Integer) getOrDefault(batchRows),
                SparkInference.Output.SPARK_ML);
    }

    /**
     * {@code schema} with the two columns appended.
     *
     * @throws IllegalArgumentException naming the column when the features column is missing, of another type or
     *                                  width, or an output column already exists
     */
    @Override
    public StructType transformSchema(StructType schema) {
        return SparkInference.scoredSchema(schema, inputs, getOrDefault(featuresCol), getOrDefault(predictionCol),
                getOrDefault(probabilityCol), SparkInference.Output.SPARK_ML);
    }

    /** A writer that saves this stage into a folder (see the class comment). */
    @Override
    public MLWriter write() {
        return new Writer(this);
    }

    /** The reader of saved stages: what {@code PipelineModel.load} calls for a stage of this class. */
    public static MLReader<NetworkTransformer> read() {
        return new Reader();
    }

    /** The stage saved in {@code path}, with the active Spark session. */
    public static NetworkTransformer load(String path) {
        return read().load(path);
    }

    private static final class Writer extends MLWriter {
        private final NetworkTransformer stage;

        Writer(NetworkTransformer stage) {
            this.stage = stage;
        }

        @Override
        public void saveImpl(String path) {
            SparkSession spark = sparkSession();
            DefaultParamsWriter.saveMetadata(stage, path, spark);
            Path file = new Path(path, NETWORK_FILE);
            try (OutputStream out = file.getFileSystem(spark.sparkContext().hadoopConfiguration()).create(file)) {
                out.write(stage.modelFile);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the network to " + file, e);
            }
        }
    }

    private static final class Reader extends MLReader<NetworkTransformer> {
        @Override
        public NetworkTransformer load(String path) {
            SparkSession spark = sparkSession();
            DefaultParamsReader.Metadata metadata = DefaultParamsReader.loadMetadata(path, spark,
                    NetworkTransformer.class.getName());
            Path file = new Path(path, NETWORK_FILE);
            byte[] bytes;
            Sequential network;
            try {
                FileSystem fs = file.getFileSystem(spark.sparkContext().hadoopConfiguration());
                try (InputStream in = fs.open(file)) {
                    bytes = in.readAllBytes();
                }
                // checked here, on the driver, rather than in every partition's task
                network = ModelFile.fromBytes(bytes);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the network of the stage saved in " + path + " from "
                        + file + ": " + e.getMessage(), e);
            }
            NetworkTransformer stage = new NetworkTransformer(metadata.uid(), bytes, network.inputShape().size());
            metadata.getAndSetParams(stage, scala.Option.empty());
            return stage;
        }
    }

    /** The same network and uid, with this stage's parameters overridden by {@code extra}. */
    @Override
    public NetworkTransformer copy(ParamMap extra) {
        return copyValues(new NetworkTransformer(uid, modelFile, inputs), extra).setParent(parent());
    }
}
