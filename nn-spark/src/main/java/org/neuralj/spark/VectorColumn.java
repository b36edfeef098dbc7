package org.neuralj.spark;

import java.io.Serializable;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * A column of fixed-width float vectors: {@code array<float>}, {@code array<double>} or an ML {@link Vector}. The type
 * is checked once, on the driver, against the schema; each row's width when the row is read.
 */
final class VectorColumn implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String name;
    private final int index;
    private final int width;
    private final boolean vector;

    private VectorColumn(String name, int index, int width, boolean vector) {
        this.name = name;
        this.index = index;
        this.width = width;
        this.vector = vector;
    }

    /**
     * Column {@code name} of {@code schema}, whose rows must hold {@code width} values.
     *
     * @throws IllegalArgumentException naming the column when it is missing or not a float vector type
     */
    static VectorColumn of(StructType schema, String name, int width) {
        int index = indexOf(schema, name);
        DataType type = schema.fields()[index].dataType();
        boolean vector = type.equals(SQLDataTypes.VectorType());
        boolean array = type instanceof ArrayType a
                && (a.elementType().equals(DataTypes.FloatType) || a.elementType().equals(DataTypes.DoubleType));
        if (!vector && !array) {
            throw new IllegalArgumentException("column \"" + name + "\" is " + type.simpleString() + "; expected"
                    + " array<float>, array<double> or an ML vector of " + width + " values");
        }
        return new VectorColumn(name, index, width, vector);
    }

    /** The position of column {@code name} in {@code schema}, or an exception listing the columns there are. */
    static int indexOf(StructType schema, String name) {
        if (name == null) {
            throw new IllegalArgumentException("column name must not be null");
        }
        List<String> names = Arrays.asList(schema.fieldNames());
        int index = names.indexOf(name);
        if (index < 0) {
            throw new IllegalArgumentException("column \"" + name + "\" does not exist; the columns are " + names);
        }
        return index;
    }

    /** Copies the column's values in {@code row} to {@code out[offset .. offset + width)}. */
    void read(Row row, float[] out, int offset) {
        if (row.isNullAt(index)) {
            throw new IllegalArgumentException("column \"" + name + "\" is null in row " + row);
        }
        if (vector) {
            Vector v = (Vector) row.get(index);
            requireWidth(v.size());
            for (int i = 0; i < width; i++) {
                out[offset + i] = (float) v.apply(i);
            }
        } else {
            List<Object> values = row.getList(index);
            requireWidth(values.size());
            for (int i = 0; i < width; i++) {
                Object value = values.get(i);
                if (value == null) {
                    throw new IllegalArgumentException("column \"" + name + "\" holds a null at position " + i);
                }
                out[offset + i] = ((Number) value).floatValue();
            }
        }
    }

    private void requireWidth(int size) {
        if (size != width) {
            throw new IllegalArgumentException("column \"" + name + "\" holds " + size + " values in a row; the"
                    + " network expects " + width);
        }
    }
}
