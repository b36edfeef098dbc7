package org.neuralj.spark;

import org.apache.spark.TaskContext;
import org.apache.spark.broadcast.Broadcast;
import org.neuralj.core.BatchGradient;
import org.neuralj.core.Classes;
import org.neuralj.core.Optimizer;
import org.neuralj.core.ParameterBuffer;
import org.neuralj.core.Sequential;
import org.neuralj.core.Tensor;

/**
 * One partition's part of a parameter-averaging round, on its executor: from the broadcast weights and optimizer
 * state, local optimizer steps on the partition's shares of global batches {@code first .. first + steps − 1}, then
 * its weights and state scaled by its share of the round's rows, {@code n_p / n}, as its leaf of the round's
 * {@link GradientSum} (whose fixed-order sum is then the row-weighted average).
 *
 * <p>A round is a pure function of what the driver sent and the partition's cached rows: the network copy is
 * overwritten with the broadcast weights, and the optimizer is made afresh by the factory and loaded with the
 * broadcast state and step count. So a task Spark re-runs gives the same bits, wherever it runs.
 */
final class LocalSteps implements RoundJob.Contribution {
    private static final long serialVersionUID = 1L;

    private final Broadcast<byte[]> model;
    /** {@code [θ | state 0 | state 1 ...]}, each the buffer's length, as {@link FloatBytes}. */
    private final Broadcast<byte[]> start;
    private final ParameterAveraging.OptimizerFactory optimizers;
    private final ShippedLoss loss;
    private final String[] states;
    private final long stepsBefore;
    private final int first;
    private final int steps;
    private final int roundRows;

    /**
     * @param stepsBefore the driver optimizer's step count at the start of the round (Adam's bias correction)
     * @param roundRows   the rows of the round's global batches, over all partitions
     */
    LocalSteps(Broadcast<byte[]> model, Broadcast<byte[]> start, ParameterAveraging.OptimizerFactory optimizers,
               ShippedLoss loss, String[] states, long stepsBefore, int first, int steps, int roundRows) {
        this.model = model;
        this.start = start;
        this.optimizers = optimizers;
        this.loss = loss;
        this.states = states;
        this.stepsBefore = stepsBefore;
        this.first = first;
        this.steps = steps;
        this.roundRows = roundRows;
    }

    /**
     * Runs the steps on {@code shard} from the broadcast start and adds the partition's leaf to {@code acc}: the
     * scaled {@code [θ_p | states]}, the sum over its steps of mean loss × rows, and its correctly classified rows. A
     * partition without rows in the round adds zero.
     */
    @Override
    public GradientSum add(GradientSum acc, EpochShard shard) {
        int partition = TaskContext.getPartitionId();
        int rows = 0;
        for (int j = 0; j < steps; j++) {
            rows += shard.rows(first + j);
        }
        if (rows == 0) {
            return acc.add(partition, null, 0, 0, 0);
        }
        long begin = System.nanoTime();
        Sequential net = ExecutorNetworks.borrow(model);
        try {
            ParameterBuffer parameters = net.parameters();
            int length = parameters.length();
            float[] from = FloatBytes.floats(start.value());
            System.arraycopy(from, 0, parameters.values(), 0, length);
            Optimizer optimizer = optimizers.create();
            OptimizerState.write(optimizer, parameters, states, from, length);
            BatchGradient gradient = new BatchGradient(net, loss.get());
            double lossSum = 0;
            int correct = 0;
            for (int j = 0; j < steps; j++) {
                int batch = first + j, batchRows = shard.rows(batch);
                if (batchRows == 0) {
                    continue; // nothing to step on; the step count below keeps the other partitions' numbering
                }
                Tensor targets = shard.targets(batch);
                parameters.zeroGradients();
                lossSum += gradient.accumulate(shard.features(batch), targets, 1) * batchRows;
                correct += Classes.countEqual(gradient.output(), targets);
                optimizer.setSteps(stepsBefore + j);
                optimizer.step(parameters);
            }
            float[] leaf = new float[from.length];
            System.arraycopy(parameters.values(), 0, leaf, 0, length);
            OptimizerState.read(optimizer, parameters, states, leaf, length);
            float share = (float) ((double) rows / roundRows);
            for (int i = 0; i < leaf.length; i++) {
                leaf[i] *= share;
            }
            return acc.add(partition, leaf, lossSum, correct, System.nanoTime() - begin);
        } finally {
            ExecutorNetworks.release(model, net);
        }
    }
}
