package org.neuralj.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.neuralj.core.Classes;
import org.neuralj.core.Sequential;
import org.neuralj.core.Tensor;

/** The tests' Spark: two local cores, each task allowed two attempts, no UI; and data frames made from tensors. */
final class LocalSpark {
    private LocalSpark() {
    }

    static SparkSession start(String name) {
        return start(name, java.util.Map.of());
    }

    /** The tests' Spark with further {@code settings} (e.g. another serializer). */
    static SparkSession start(String name, java.util.Map<String, String> settings) {
        SparkSession.Builder builder = SparkSession.builder();
        settings.forEach(builder::config);
        return builder
                .master("local[2,2]")
                .appName(name)
                .config("spark.ui.enabled", "false")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.sql.shuffle.partitions", "2")
                .getOrCreate();
    }

    /** The column types a features column may have. */
    enum Features { FLOATS, DOUBLES, VECTOR }

    /**
     * Rows {@code (id int, features, label int)} from {@code x} and {@code labels}, in their order, cut into
     * {@code partitions} contiguous partitions.
     */
    static Dataset<Row> frame(SparkSession spark, Tensor x, int[] labels, int partitions, Features type) {
        int cols = x.cols();
        List<Row> rows = new ArrayList<>();
        for (int r = 0; r < x.rows(); r++) {
            float[] f = new float[cols];
            System.arraycopy(x.data(), r * cols, f, 0, cols);
            Object features = switch (type) {
                case FLOATS -> f;
                case DOUBLES -> doubles(f);
                case VECTOR -> Vectors.dense(doubles(f));
            };
            rows.add(RowFactory.create(r, features, labels[r]));
        }
        StructType schema = new StructType()
                .add("id", DataTypes.IntegerType, false)
                .add("features", switch (type) {
                    case FLOATS -> DataTypes.createArrayType(DataTypes.FloatType, false);
                    case DOUBLES -> DataTypes.createArrayType(DataTypes.DoubleType, false);
                    case VECTOR -> SQLDataTypes.VectorType();
                }, false)
                .add("label", DataTypes.IntegerType, false);
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        return spark.createDataFrame(jsc.parallelize(rows, partitions), schema);
    }

    private static double[] doubles(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }

    /**
     * Every row of {@code scored} (all of {@code data}; column {@code id} its row) holds what {@code net.predict}
     * gives for it, exactly, in either column types: {@code int} and {@code array<float>} ({@code score}) or
     * {@code double} and an ML vector (a pipeline stage).
     */
    static void assertScoresEqualPredict(List<Row> scored, Sequential net, org.neuralj.core.Dataset data,
                                         String predictionColumn, String probabilityColumn) {
        Tensor expected = net.predict(data.features());
        int[] classes = Classes.of(expected);
        assertThat(scored).hasSize(data.size());
        for (Row row : scored) {
            int id = row.getInt(row.fieldIndex("id"));
            Object predicted = row.get(row.fieldIndex(predictionColumn));
            assertThat(predicted).isEqualTo(predicted instanceof Double ? (double) classes[id] : (Object) classes[id]);
            Object probability = row.get(row.fieldIndex(probabilityColumn));
            double[] p = probability instanceof org.apache.spark.ml.linalg.Vector v ? v.toArray()
                    : row.<Float>getList(row.fieldIndex(probabilityColumn)).stream().mapToDouble(f -> f).toArray();
            double[] want = new double[expected.cols()];
            for (int c = 0; c < want.length; c++) {
                want[c] = expected.data()[id * want.length + c];
            }
            assertThat(p).isEqualTo(want);
        }
    }
}
