package org.neuralj.spark;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A {@code float[]} as little-endian bytes and back, bit for bit (NaN payloads included), for what a round sends.
 *
 * <p>Why: Java serialization, Spark's default for broadcasts and task results, writes a {@code float[]} one value at
 * a time through its block buffer, which profiling showed costing more per round than the Fashion network's forward
 * and backward pass (docs/spark.md); a {@code byte[]} it writes as one block. The conversion is a bulk copy.
 */
final class FloatBytes {
    private FloatBytes() {
    }

    /** {@code values} as {@code 4 · length} little-endian bytes. */
    static byte[] of(float[] values) {
        byte[] bytes = new byte[4 * values.length];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().put(values);
        return bytes;
    }

    /** The floats of {@code bytes} (as {@link #of} wrote them) into {@code to}, which must hold exactly that many. */
    static void read(byte[] bytes, float[] to) {
        if (bytes.length != 4 * to.length) {
            throw new IllegalArgumentException("read: " + bytes.length + " bytes cannot fill " + to.length
                    + " floats; need " + 4L * to.length);
        }
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(to);
    }

    /** The floats of {@code bytes}, as {@link #of} wrote them. */
    static float[] floats(byte[] bytes) {
        if (bytes.length % 4 != 0) {
            throw new IllegalArgumentException("floats: " + bytes.length + " bytes is not a whole number of floats");
        }
        float[] values = new float[bytes.length / 4];
        read(bytes, values);
        return values;
    }
}
