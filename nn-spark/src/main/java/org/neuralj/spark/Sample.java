package org.neuralj.spark;

import java.io.Serializable;

/**
 * One training row: its index in the data's order (the row {@link org.neuralj.core.Trainer#fit} would see at that
 * index), its features and its target vector.
 *
 * <p>A class, not a record: Spark's Kryo serializer (Kryo 4, {@code spark.serializer=KryoSerializer}) cannot
 * serialize records, and a cached partition that spills to disk is serialized with it.
 */
final class Sample implements Serializable {
    private static final long serialVersionUID = 1L;

    private final long index;
    private final float[] features;
    private final float[] targets;

    Sample(long index, float[] features, float[] targets) {
        this.index = index;
        this.features = features;
        this.targets = targets;
    }

    long index() {
        return index;
    }

    float[] features() {
        return features;
    }

    float[] targets() {
        return targets;
    }
}
