package org.neuralj.core;

import java.util.function.Consumer;
import java.util.function.IntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gradient of one mini-batch computed by {@code n} workers, each on its own copy of the network: what
 * {@link Trainer#fit} does per batch with {@link FitOptions#workers(int) workers(n)}, n &gt; 1.
 *
 * <p>A batch of {@code B} rows is cut at fixed boundaries: worker {@code i} takes rows
 * {@code [B·i/n, B·(i+1)/n)} of the batch (in the batch's shuffled order), {@code bᵢ} rows. Each worker copies the
 * main network's weights into its copy, zeroes its gradients and accumulates its share's gradient with weight
 * {@code bᵢ/B} ({@link BatchGradient}); worker 0 is the main network itself. Share {@code k} runs on the pool's
 * thread {@code k} whenever that thread is ready ({@link WorkerPool}), so a copy stays in one core's cache; which
 * thread computes a share does not change the result, since the shares are bound to the network copies, not to
 * threads. The others' gradients are then added
 * into the main network's, worker after worker, each worker summing one part of the buffer
 * ({@link ParameterBuffer#partStart}), the part it then steps ({@link #step}):
 *
 * <pre>g = g₀ + g₁ + … + g_{n−1}   (summed left to right, element by element) = Σᵢ (bᵢ/B)·∇Lᵢ = ∇L</pre>
 *
 * The per-element order is fixed, so the result is bit-identical for a given {@code n} on any machine, and equal to
 * the single-worker gradient up to float rounding. A batch of fewer than {@code n} rows leaves some shares empty;
 * those workers sit the batch out. The batch's loss is {@code Σᵢ (bᵢ/B)·Lᵢ}.
 *
 * <p>Random draws (dropout masks): worker 0 draws from the main network's generator; at the start of every epoch
 * worker {@code k ≥ 1}'s generator is reset to the {@code k}-th {@link Rng#split()} of a copy of the main generator,
 * which leaves the main generator (and hence the next epoch's shuffle) untouched and makes a resumed run draw the
 * same masks.
 */
final class DataParallelGradient implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DataParallelGradient.class);
    private final Sequential[] nets;
    private final BatchGradient[] gradients;
    private final Tensor[] xs;
    private final Tensor[] ys;
    private final double[] losses;
    private final int[] correct;
    private final WorkerPool pool;
    private final IntConsumer computeShare = this::computeShare;
    private final IntConsumer sumPart = this::sumPart;
    private final Consumer<IntConsumer> onTheWorkers;
    // the batch in progress, set by the caller before the pool's volatile hand-off publishes it
    private Dataset data;
    private int[] order;
    private int from;
    private int to;
    private int correctSum;

    /**
     * Makes {@code workers − 1} copies of {@code model} and starts their threads.
     *
     * @throws IllegalArgumentException when the network cannot be copied (a layer without a registered
     *                                  {@link LayerType}), naming the reason
     */
    DataParallelGradient(Sequential model, Loss loss, int workers) {
        if (workers < 2) {
            throw new IllegalArgumentException("data-parallel training needs at least 2 workers but got " + workers);
        }
        nets = new Sequential[workers];
        gradients = new BatchGradient[workers];
        nets[0] = model;
        for (int k = 1; k < workers; k++) {
            try {
                nets[k] = model.copy();
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("workers(" + workers + ") trains " + (workers - 1) + " copies of"
                        + " the network, but it cannot be copied: " + e.getMessage(), e);
            }
        }
        for (int k = 0; k < workers; k++) {
            gradients[k] = new BatchGradient(nets[k], loss);
        }
        xs = new Tensor[workers];
        ys = new Tensor[workers];
        losses = new double[workers];
        correct = new int[workers];
        String warning = oversubscription(workers, Runtime.getRuntime().availableProcessors());
        if (warning != null) {
            LOG.warn(warning);
        }
        pool = new WorkerPool(workers, "neuralj-worker", WorkerPool.LONG_SPIN_NANOS);
        onTheWorkers = pool::run;
    }

    /**
     * The warning for more workers than processors, or null: the workers' threads then take turns on the cores, and
     * a batch waits for the last share to get one (docs/training.md measures it).
     */
    static String oversubscription(int workers, int processors) {
        if (workers <= processors) {
            return null;
        }
        return "workers(" + workers + ") on " + processors + " available processor" + (processors == 1 ? "" : "s")
                + ": the workers take turns on the cores, which slows training; use at most workers(" + processors
                + ") (the model depends on the worker count, not on the processors)";
    }

    /** Gives workers 1.. their epoch's generators, split from a copy of {@code main}'s state (see the class comment). */
    void seedWorkers(Rng main) {
        Rng source = new Rng(1);
        source.restore(main.state());
        for (int k = 1; k < nets.length; k++) {
            nets[k].rng().restore(source.split().state());
        }
    }

    /**
     * Sets the main network's gradients to the mean gradient of the batch {@code order[from..to)} of {@code data} and
     * returns the batch's mean loss; {@link #correct()} then holds the batch's correctly classified rows.
     */
    double accumulate(Dataset data, int[] order, int from, int to) {
        this.data = data;
        this.order = order;
        this.from = from;
        this.to = to;
        pool.run(computeShare);
        pool.run(sumPart);
        double loss = 0;
        int rows = to - from, hits = 0;
        for (int k = 0; k < nets.length; k++) {
            int share = end(k) - end(k - 1);
            loss += (double) share / rows * losses[k];
            hits += correct[k];
        }
        correctSum = hits;
        this.data = null;
        this.order = null;
        return loss;
    }

    /** The last batch's correctly classified rows ({@link Classes#countEqual}), summed over the workers. */
    int correct() {
        return correctSum;
    }

    /** Where share {@code k} of the current batch ends (share −1 ends at the batch's start). */
    private int end(int k) {
        return from + (int) ((long) (to - from) * (k + 1) / nets.length);
    }

    private void computeShare(int k) {
        ParameterBuffer p = nets[k].parameters();
        if (k > 0) {
            // read-only on the main network's weights: the optimizer does not step while the workers run
            System.arraycopy(nets[0].parameters().values(), 0, p.values(), 0, p.length());
        }
        p.zeroGradients();
        int lo = end(k - 1), hi = end(k);
        losses[k] = 0;
        correct[k] = 0;
        if (hi == lo) {
            return;
        }
        xs[k] = Tensor.reuse(xs[k], hi - lo, nets[k].inputShape());
        ys[k] = Tensor.reuse(ys[k], hi - lo, data.targets().cols());
        data.features().gatherRows(order, lo, hi, xs[k]);
        data.targets().gatherRows(order, lo, hi, ys[k]);
        losses[k] = gradients[k].accumulate(xs[k], ys[k], (double) (hi - lo) / (to - from));
        correct[k] = Classes.countEqual(gradients[k].output(), ys[k]);
    }

    /**
     * Steps the main network's parameters with {@code optimizer}, each worker the part of the buffer whose gradient
     * sum it computed ({@link Optimizer#stepInParts}): that part's gradients, optimizer state and weights stay in its
     * core's cache, and the two halves of a step run at once.
     */
    void step(Optimizer optimizer) {
        optimizer.stepInParts(nets[0].parameters(), nets.length, onTheWorkers);
    }

    /** Worker {@code t}'s part of the gradient sum ({@link ParameterBuffer#partStart}), the part it steps too. */
    private void sumPart(int t) {
        ParameterBuffer main = nets[0].parameters();
        sumRange(main.partStart(t, nets.length), main.partStart(t + 1, nets.length));
    }

    /** Adds the active workers' gradients at positions {@code [lo, hi)} into the main network's, in worker order. */
    private void sumRange(int lo, int hi) {
        float[] sum = nets[0].parameters().gradients();
        for (int k = 1; k < nets.length; k++) {
            if (end(k) == end(k - 1)) {
                continue; // an empty share: this worker sat the batch out
            }
            float[] g = nets[k].parameters().gradients();
            for (int i = lo; i < hi; i++) {
                sum[i] += g[i];
            }
        }
    }

    /** Stops the worker threads. */
    @Override
    public void close() {
        pool.close();
    }
}
