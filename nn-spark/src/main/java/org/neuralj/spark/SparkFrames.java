package org.neuralj.spark;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.neuralj.core.Classes;

/**
 * In-memory neuralj data as a Spark data frame, for examples, tests and data small enough to start on the driver
 * (real data is read by Spark itself, e.g. {@code spark.read().parquet(...)}; see docs/spark.md).
 */
public final class SparkFrames {
    /** The features column: {@code array<float>}. */
    public static final String FEATURES = "features";
    /** The class column: {@code int}, the class of each target row ({@link Classes}). */
    public static final String LABEL = "label";

    private SparkFrames() {
    }

    /**
     * {@code data} as rows {@code (features array<float>, label int)} in its order, cut into {@code partitions}
     * contiguous partitions, so that row {@code i} of the frame is row {@code i} of {@code data}.
     *
     * @throws IllegalArgumentException when partitions &lt; 1
     */
    public static Dataset<Row> of(SparkSession spark, org.neuralj.core.Dataset data, int partitions) {
        java.util.Objects.requireNonNull(spark, "spark must not be null");
        java.util.Objects.requireNonNull(data, "data must not be null");
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be at least 1 but was " + partitions);
        }
        int cols = data.features().cols();
        int[] labels = Classes.of(data.targets());
        float[] x = data.features().data();
        List<Row> rows = new ArrayList<>(data.size());
        for (int r = 0; r < data.size(); r++) {
            float[] f = new float[cols];
            System.arraycopy(x, r * cols, f, 0, cols);
            rows.add(RowFactory.create(f, labels[r]));
        }
        StructType schema = new StructType()
                .add(FEATURES, DataTypes.createArrayType(DataTypes.FloatType, false), false)
                .add(LABEL, DataTypes.IntegerType, false);
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        return spark.createDataFrame(jsc.parallelize(rows, partitions), schema);
    }
}
