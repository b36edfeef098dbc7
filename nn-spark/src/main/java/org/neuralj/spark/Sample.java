package org.neuralj.spark;

import java.io.Serializable;

/**
 * One training row: its index in the data's order (the row {@link org.neuralj.core.Trainer#fit} would see at that
 * index), its features and its target vector.
 */
record Sample(long index, float[] features, float[] targets) implements Serializable {
}
