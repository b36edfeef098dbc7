package org.neuralj.spark;

import org.apache.spark.TaskContext;
import org.apache.spark.broadcast.Broadcast;
import org.neuralj.core.BatchGradient;
import org.neuralj.core.Classes;
import org.neuralj.core.ParameterBuffer;
import org.neuralj.core.Sequential;
import org.neuralj.core.Tensor;

/**
 * One partition's part of a synchronous round, on its executor: from the broadcast weights θ, the gradient of its
 * {@code n_p} rows of global batch {@code batch} ({@code n_b} rows in all), weighted by its share,
 * {@code (n_p / n_b) · ∇θ L_p}, as its leaf of the round's {@link GradientSum}, with its mean loss × share and its
 * correctly classified rows. The synchronous counterpart of {@link LocalSteps}.
 */
final class GradientShare implements RoundJob.Contribution {
    private static final long serialVersionUID = 1L;

    private final Broadcast<byte[]> model;
    private final Broadcast<byte[]> weights;
    private final ShippedLoss loss;
    private final int batch;
    private final int batchRows;

    /** @param weights θ as {@link FloatBytes} */
    GradientShare(Broadcast<byte[]> model, Broadcast<byte[]> weights, ShippedLoss loss, int batch, int batchRows) {
        this.model = model;
        this.weights = weights;
        this.loss = loss;
        this.batch = batch;
        this.batchRows = batchRows;
    }

    @Override
    public GradientSum add(GradientSum acc, EpochShard shard) {
        int partition = TaskContext.getPartitionId();
        int rows = shard.rows(batch);
        if (rows == 0) {
            return acc.add(partition, null, 0, 0, 0);
        }
        long start = System.nanoTime();
        Sequential net = ExecutorNetworks.borrow(model);
        try {
            ParameterBuffer parameters = net.parameters();
            FloatBytes.read(weights.value(), parameters.values());
            parameters.zeroGradients();
            double weight = (double) rows / batchRows;
            BatchGradient gradient = new BatchGradient(net, loss.get());
            Tensor targets = shard.targets(batch);
            double meanLoss = gradient.accumulate(shard.features(batch), targets, weight);
            int correct = Classes.countEqual(gradient.output(), targets);
            return acc.add(partition, parameters.gradients().clone(), meanLoss * weight, correct,
                    System.nanoTime() - start);
        } finally {
            ExecutorNetworks.release(model, net);
        }
    }
}
