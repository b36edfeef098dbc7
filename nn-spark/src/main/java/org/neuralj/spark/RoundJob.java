package org.neuralj.spark;

import java.io.Serializable;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import scala.collection.Iterator;
import scala.reflect.ClassTag$;
import scala.runtime.AbstractFunction2;

/**
 * The Spark job of one training round: every partition adds its leaf ({@link Contribution}) to a
 * {@link GradientSum}, and the partial sums meet on the driver, added in the sum's fixed order.
 *
 * <p>Up to a handful of partitions this is one job whose tasks return their leaves to the driver, run through
 * {@code SparkContext.runJob} with a named function class. That is what {@code treeAggregate} does there too (its
 * tree has one level below {@code scale + ⌈N/scale⌉} partitions, {@code scale = max(⌈√N⌉, 2)}, that is up to 5), but
 * {@code treeAggregate} wraps the functions in Scala closures, and Spark's closure cleaner parses each closure's
 * declaring class ({@code RDD}, {@code SparkContext}, ...) with ASM on every call to look for return statements:
 * 12% of the CPU samples in the profile of the Fashion benchmark. A named class is not a
 * closure and is passed through. With more partitions {@code treeAggregate} adds partial sums on the executors
 * ({@code √N} of them reach the driver), which is worth its cost.
 */
final class RoundJob {
    /** Levels of {@code treeAggregate}: partial sums on the executors before the driver, as Spark ML uses. */
    private static final int TREE_DEPTH = 2;

    /** One partition's part of a round, on its executor: adds the partition's leaf to {@code acc}. */
    @FunctionalInterface
    interface Contribution extends Serializable {
        GradientSum add(GradientSum acc, EpochShard shard);
    }

    private RoundJob() {
    }

    /** Runs the round over {@code shards}' {@code partitions} partitions; the sum is complete or this throws. */
    static GradientSum run(JavaRDD<EpochShard> shards, int partitions, Contribution contribution) {
        GradientSum sum;
        if (treeHasOneLevel(partitions)) {
            Object leaves = shards.context().runJob(shards.rdd(), new PartitionLeaf(contribution, partitions),
                    ClassTag$.MODULE$.apply(GradientSum.class));
            sum = GradientSum.empty(partitions);
            for (GradientSum leaf : (GradientSum[]) leaves) {
                sum.merge(leaf);
            }
        } else {
            sum = shards.treeAggregate(GradientSum.empty(partitions), contribution::add, GradientSum::merge,
                    TREE_DEPTH);
        }
        if (!sum.complete()) {
            throw new IllegalStateException("the round's sum is missing partitions");
        }
        return sum;
    }

    /** Whether {@code treeAggregate} at depth 2 would add no level of partial sums on the executors. */
    static boolean treeHasOneLevel(int partitions) {
        int scale = Math.max((int) Math.ceil(Math.pow(partitions, 1.0 / TREE_DEPTH)), 2);
        return partitions <= scale + (int) Math.ceil((double) partitions / scale);
    }

    /** The task's function: the partition's leaf, in a sum of its own. A named class, see the class comment. */
    private static final class PartitionLeaf extends AbstractFunction2<TaskContext, Iterator<EpochShard>, GradientSum>
            implements Serializable {
        private static final long serialVersionUID = 1L;

        private final Contribution contribution;
        private final int partitions;

        PartitionLeaf(Contribution contribution, int partitions) {
            this.contribution = contribution;
            this.partitions = partitions;
        }

        @Override
        public GradientSum apply(TaskContext task, Iterator<EpochShard> shards) {
            GradientSum sum = GradientSum.empty(partitions);
            while (shards.hasNext()) {
                sum = contribution.add(sum, shards.next());
            }
            return sum;
        }
    }
}
