package org.neuralj.spark;

import java.io.Serializable;
import java.util.HashMap;
import java.util.Map;

/**
 * The sum of the partitions' vectors for one round, added in a fixed order whatever order Spark delivers them in: in
 * synchronous training their weighted gradients, in parameter averaging their row-weighted weights and optimizer
 * state ({@link LocalSteps}).
 *
 * <p>Float addition is not associative, and {@code treeAggregate} combines partial results as tasks finish. To keep
 * the project's promise (same seed, same model), the sum follows one canonical binary tree over the partition
 * indices: leaf {@code p} is partition {@code p}'s gradient, and block {@code (level, i)}, covering partitions
 * {@code [i·2^level, (i+1)·2^level)}, is {@code left + right} of its two halves, added only once both are present.
 * A half lying wholly beyond the last partition is empty and passes its sibling up unchanged. With one partition the
 * result is that partition's gradient, untouched.
 *
 * <p>Each block also carries the partitions' loss terms (summed the same way), the count of correctly classified rows
 * and the slowest partition's compute time.
 */
final class GradientSum implements Serializable {
    private static final long serialVersionUID = 1L;

    private final int partitions;
    /** Finished blocks waiting for their sibling, keyed by {@link #key}. */
    private final Map<Long, Block> pending = new HashMap<>();

    /**
     * A block's summed gradient (null: all zero), weighted loss, correctly classified rows and the longest compute
     * time within it. A class, not a record: Spark's Kryo serializer (Kryo 4) cannot serialize records, and task
     * results go through {@code spark.serializer}.
     */
    private static final class Block implements Serializable {
        private static final long serialVersionUID = 1L;

        private final float[] gradient;
        private final double loss;
        private final int correct;
        private final long computeNanos;

        Block(float[] gradient, double loss, int correct, long computeNanos) {
            this.gradient = gradient;
            this.loss = loss;
            this.correct = correct;
            this.computeNanos = computeNanos;
        }

        float[] gradient() {
            return gradient;
        }

        double loss() {
            return loss;
        }

        int correct() {
            return correct;
        }

        long computeNanos() {
            return computeNanos;
        }

        /** Java serialization sends {@link Wire} instead: the vector as one block of bytes ({@link FloatBytes}). */
        private Object writeReplace() {
            return new Wire(gradient == null ? null : FloatBytes.of(gradient), loss, correct, computeNanos);
        }
    }

    /**
     * A {@link Block} as Java serialization sends it (a record is fine here: Kryo never sees it, since it ignores
     * {@code writeReplace} and sends the block's own fields).
     */
    private record Wire(byte[] gradient, double loss, int correct, long computeNanos) implements Serializable {
        private Object readResolve() {
            return new Block(gradient == null ? null : FloatBytes.floats(gradient), loss, correct, computeNanos);
        }
    }

    private GradientSum(int partitions) {
        this.partitions = partitions;
    }

    /** Nothing yet, for a sum over {@code partitions} partitions. */
    static GradientSum empty(int partitions) {
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be at least 1 but was " + partitions);
        }
        return new GradientSum(partitions);
    }

    /** Adds partition {@code partition}'s contribution; {@code gradient} null means zero (no rows in the batch). */
    GradientSum add(int partition, float[] gradient, double loss, int correct, long computeNanos) {
        if (partition < 0 || partition >= partitions) {
            throw new IllegalArgumentException("partition " + partition + " is not in 0.." + (partitions - 1));
        }
        place(0, partition, new Block(gradient, loss, correct, computeNanos));
        return this;
    }

    /** Both sums' blocks in one; {@code other} is consumed. */
    GradientSum merge(GradientSum other) {
        if (other.partitions != partitions) {
            throw new IllegalArgumentException("cannot merge a sum over " + other.partitions + " partitions into one"
                    + " over " + partitions);
        }
        for (Map.Entry<Long, Block> e : other.pending.entrySet()) {
            place((int) (e.getKey() >>> 32), (int) (long) e.getKey(), e.getValue());
        }
        return this;
    }

    /** True when every partition has been added. */
    boolean complete() {
        return pending.containsKey(key(height(), 0));
    }

    /** The summed vector (gradient, or average), or null when every partition contributed zero. */
    float[] gradient() {
        return root().gradient();
    }

    /**
     * The summed loss terms: in synchronous training each partition's mean loss × its share, so the mean loss over
     * the global batch; in averaging each partition's mean loss × rows, summed over its steps.
     */
    double loss() {
        return root().loss();
    }

    /** The batch's rows whose predicted class is their target's. */
    int correct() {
        return root().correct();
    }

    /** The longest time one partition spent computing its gradient. */
    long computeNanos() {
        return root().computeNanos();
    }

    private Block root() {
        Block root = pending.get(key(height(), 0));
        if (root == null) {
            throw new IllegalStateException("the gradient sum is missing partitions: has blocks " + pending.keySet()
                    + " of " + partitions + " partitions");
        }
        return root;
    }

    /** The tree's height: the smallest h with 2^h ≥ partitions. */
    private int height() {
        return 32 - Integer.numberOfLeadingZeros(partitions - 1);
    }

    private void place(int level, int index, Block block) {
        int top = height();
        while (level < top) {
            int sibling = index ^ 1;
            long siblingStart = (long) sibling << level;
            Block partner;
            if (siblingStart >= partitions) {
                partner = null; // an empty half beyond the last partition
            } else {
                partner = pending.remove(key(level, sibling));
                if (partner == null) {
                    break;
                }
            }
            if (partner != null) {
                block = (index & 1) == 0 ? combine(block, partner) : combine(partner, block);
            }
            level++;
            index >>= 1;
        }
        if (pending.putIfAbsent(key(level, index), block) != null) {
            throw new IllegalStateException("block " + level + "/" + index + " was added twice");
        }
    }

    /** {@code left + right}, element by element, always in that order. */
    private static Block combine(Block left, Block right) {
        float[] sum;
        if (left.gradient() == null) {
            sum = right.gradient();
        } else if (right.gradient() == null) {
            sum = left.gradient();
        } else {
            sum = left.gradient();
            float[] r = right.gradient();
            for (int i = 0; i < sum.length; i++) {
                sum[i] += r[i];
            }
        }
        return new Block(sum, left.loss() + right.loss(), left.correct() + right.correct(), Math.max(left.computeNanos(), right.computeNanos()));
    }

    private static long key(int level, int index) {
        return ((long) level << 32) | (index & 0xFFFFFFFFL);
    }
}
