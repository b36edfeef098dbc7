package org.neuralj.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.neuralj.core.Classes;
import org.neuralj.core.Sequential;
import org.neuralj.core.Tensor;
import org.neuralj.io.ModelFile;

/**
 * Scores a Spark {@code Dataset<Row>} with a network: every row gets the network's output for its features column as
 * {@code probability} ({@code array<float>}, the softmax probabilities for a classifier) and its class, the index
 * of the largest output ({@link Classes}), as {@code prediction} ({@code int}).
 *
 * <pre>{@code
 * Dataset<Row> scored = SparkInference.score(images, net, "features");
 * }</pre>
 *
 * The network is broadcast once, as its model-file bytes ({@link ModelFile#toBytes}); each partition rebuilds one
 * copy from them and runs it on batches of up to {@link #DEFAULT_BATCH_ROWS} rows, so the per-row cost is the forward
 * pass alone. The result is lazy, like any Spark transformation; its values equal {@link Sequential#predict} on the
 * same rows exactly.
 */
public final class SparkInference {
    /** The name of the added class column. */
    public static final String PREDICTION = "prediction";
    /** The name of the added output column. */
    public static final String PROBABILITY = "probability";
    /** Rows per forward pass within a partition. */
    public static final int DEFAULT_BATCH_ROWS = 1024;

    private SparkInference() {
    }

    /** {@link #score(Dataset, Sequential, String, int)} with batches of {@link #DEFAULT_BATCH_ROWS} rows. */
    public static Dataset<Row> score(Dataset<Row> data, Sequential model, String featuresColumn) {
        return score(data, model, featuresColumn, DEFAULT_BATCH_ROWS);
    }

    /**
     * {@code data} with the columns {@code prediction} and {@code probability} appended, computed by {@code model}
     * from {@code featuresColumn} ({@code array<float>}, {@code array<double>} or an ML vector of the network's input
     * width) in batches of {@code batchRows} rows.
     *
     * @throws IllegalArgumentException naming the argument, before anything is broadcast, when the column is missing
     *                                  or of another type, an output column already exists, or batchRows &lt; 1
     */
    public static Dataset<Row> score(Dataset<Row> data, Sequential model, String featuresColumn, int batchRows) {
        java.util.Objects.requireNonNull(data, "data must not be null");
        java.util.Objects.requireNonNull(model, "model must not be null");
        return score(data, modelFile(model), model.inputShape().size(), featuresColumn, PREDICTION, PROBABILITY,
                batchRows, Output.COMPACT);
    }

    /** {@code model}'s model-file bytes: what is broadcast. */
    static byte[] modelFile(Sequential model) {
        try {
            return ModelFile.toBytes(model);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serialise the model for broadcasting", e);
        }
    }

    /** The types of the two added columns. */
    enum Output {
        /** {@code int} classes and {@code array<float>} outputs: {@link #score}'s, the network's own types. */
        COMPACT,
        /**
         * {@code double} classes and ML {@code Vector} outputs: Spark ML's conventions, which its evaluators require
         * ({@link NetworkTransformer}'s). Both hold the same numbers: a float converts to a double exactly.
         */
        SPARK_ML
    }

    /**
     * {@code schema} with the two output columns appended, after checking that {@code featuresColumn} holds vectors
     * of {@code inputs} values and that neither output column exists yet.
     *
     * @throws IllegalArgumentException naming the column, as {@link #score(Dataset, Sequential, String, int)} does
     */
    static StructType scoredSchema(StructType schema, int inputs, String featuresColumn, String predictionColumn,
                                   String probabilityColumn, Output output) {
        VectorColumn.of(schema, featuresColumn, inputs);
        if (predictionColumn.equals(probabilityColumn)) {
            throw new IllegalArgumentException("the prediction and probability columns must differ but both are \""
                    + predictionColumn + "\"");
        }
        for (String added : new String[] {predictionColumn, probabilityColumn}) {
            if (List.of(schema.fieldNames()).contains(added)) {
                throw new IllegalArgumentException("data already has a column \"" + added + "\"; rename or drop it"
                        + " before scoring");
            }
        }
        return output == Output.COMPACT
                ? schema.add(predictionColumn, DataTypes.IntegerType, false)
                        .add(probabilityColumn, DataTypes.createArrayType(DataTypes.FloatType, false), false)
                : schema.add(predictionColumn, DataTypes.DoubleType, false)
                        .add(probabilityColumn, SQLDataTypes.VectorType(), false);
    }

    /** Scoring by the network saved as {@code modelFile}, with the output columns named as given. */
    static Dataset<Row> score(Dataset<Row> data, byte[] modelFile, int inputs, String featuresColumn,
                              String predictionColumn, String probabilityColumn, int batchRows, Output output) {
        if (batchRows < 1) {
            throw new IllegalArgumentException("batchRows must be at least 1 but was " + batchRows);
        }
        StructType out = scoredSchema(data.schema(), inputs, featuresColumn, predictionColumn, probabilityColumn,
                output);
        VectorColumn features = VectorColumn.of(data.schema(), featuresColumn, inputs);
        Broadcast<byte[]> shipped = JavaSparkContext.fromSparkContext(data.sparkSession().sparkContext())
                .broadcast(modelFile);
        MapPartitionsFunction<Row, Row> scorer = rows -> new Scored(rows, network(shipped.value()), features,
                batchRows, output);
        return data.mapPartitions(scorer, Encoders.row(out));
    }

    private static Sequential network(byte[] bytes) {
        try {
            return ModelFile.fromBytes(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot rebuild the broadcast model", e);
        }
    }

    /** One partition's rows, scored a batch at a time as they are pulled. */
    private static final class Scored implements Iterator<Row> {
        private final Iterator<Row> input;
        private final Sequential net;
        private final VectorColumn features;
        private final int batchRows;
        private final Output types;
        private final int inputs;
        private final List<Row> batch = new ArrayList<>();
        private float[] x = new float[0];
        private Tensor output;
        private int next;

        Scored(Iterator<Row> input, Sequential net, VectorColumn features, int batchRows, Output types) {
            this.input = input;
            this.net = net;
            this.features = features;
            this.batchRows = batchRows;
            this.types = types;
            this.inputs = net.inputShape().size();
        }

        @Override
        public boolean hasNext() {
            if (next < batch.size()) {
                return true;
            }
            batch.clear();
            next = 0;
            while (batch.size() < batchRows && input.hasNext()) {
                batch.add(input.next());
            }
            if (batch.isEmpty()) {
                return false;
            }
            int rows = batch.size();
            if (x.length != rows * inputs) {
                x = new float[rows * inputs];
            }
            for (int r = 0; r < rows; r++) {
                features.read(batch.get(r), x, r * inputs);
            }
            output = net.forward(Tensor.of(x, rows, inputs), false);
            return true;
        }

        @Override
        public Row next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            Row row = batch.get(next);
            int cols = output.cols(), at = next * cols, predicted = Classes.ofRow(output, next);
            Object[] values = new Object[row.length() + 2];
            for (int i = 0; i < row.length(); i++) {
                values[i] = row.get(i);
            }
            if (types == Output.COMPACT) {
                values[row.length()] = predicted;
                values[row.length() + 1] = Arrays.copyOfRange(output.data(), at, at + cols);
            } else {
                double[] probability = new double[cols];
                for (int c = 0; c < cols; c++) {
                    probability[c] = output.data()[at + c];
                }
                values[row.length()] = (double) predicted;
                values[row.length() + 1] = Vectors.dense(probability);
            }
            next++;
            return RowFactory.create(values);
        }
    }
}
