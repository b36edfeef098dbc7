package org.neuralj.spark;

import java.io.Serializable;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * A column of training targets: a class index (an integer type), one-hot encoded to the network's output width, or
 * the target vector itself ({@link VectorColumn}).
 */
final class TargetColumn implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String name;
    private final int index;
    private final int width;
    /** Set when the column holds vectors rather than class indices. */
    private final VectorColumn vectors;

    private TargetColumn(String name, int index, int width, VectorColumn vectors) {
        this.name = name;
        this.index = index;
        this.width = width;
        this.vectors = vectors;
    }

    /** @throws IllegalArgumentException naming the column when it is missing or of an unusable type */
    static TargetColumn of(StructType schema, String name, int width) {
        int index = VectorColumn.indexOf(schema, name);
        DataType type = schema.fields()[index].dataType();
        boolean classIndex = type.equals(DataTypes.IntegerType) || type.equals(DataTypes.LongType)
                || type.equals(DataTypes.ShortType) || type.equals(DataTypes.ByteType);
        return new TargetColumn(name, index, width, classIndex ? null : VectorColumn.of(schema, name, width));
    }

    /** Writes the row's target vector to {@code out} (of the network's output width). */
    void read(Row row, float[] out) {
        if (vectors != null) {
            vectors.read(row, out, 0);
            return;
        }
        if (row.isNullAt(index)) {
            throw new IllegalArgumentException("column \"" + name + "\" is null");
        }
        long label = ((Number) row.get(index)).longValue();
        if (label < 0 || label >= width) {
            throw new IllegalArgumentException("column \"" + name + "\" holds class " + label + "; the network has "
                    + width + " outputs, classes 0.." + (width - 1));
        }
        java.util.Arrays.fill(out, 0f);
        out[(int) label] = 1f;
    }
}
