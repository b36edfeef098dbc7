package org.neuralj.bench;

import java.util.function.IntConsumer;
import org.neuralj.core.BatchGradient;
import org.neuralj.core.Dataset;
import org.neuralj.core.Parallel;
import org.neuralj.core.Sequential;
import org.neuralj.core.Tensor;
import org.neuralj.layers.CrossEntropy;
import org.neuralj.optim.Adam;

/**
 * What {@code workers(2)} could gain if exchanging gradients and weights between the workers cost nothing, measured
 * on this machine: the upper bound of {@link WorkersBenchmark}'s speed-up.
 *
 * <pre>bound = (t_whole + t_step) / (t_halves + t_step / 2)</pre>
 *
 * {@code t_whole}: zeroing the gradients and accumulating one batch's gradient on the calling thread, as one worker
 * does (its products may use {@link Parallel}'s threads); {@code t_halves}: two private copies of the network each
 * doing the same for half the batch at once, one thread each ({@link Parallel#forEach}, whose shares compute their
 * products on their own thread, as the workers do), with nothing shared but the read-only data; {@code t_step}: one
 * Adam step over the whole buffer, which two workers split. Everything two real workers do besides (copying the
 * weights, summing the gradients across cores, the hand-offs) is what the measured speed-up loses against it.
 */
record ExchangeFreeBound(double wholeBatchSeconds, double twoHalvesSeconds, double stepSeconds) {
    /** Each of the three is timed over at least this long, after as long a warm-up. */
    private static final double SECONDS = 1.5;

    double speedup() {
        return (wholeBatchSeconds + stepSeconds) / (twoHalvesSeconds + stepSeconds / 2);
    }

    /** Times the three on {@code network} (changed: its gradients and, by the step, its weights) and the first batch. */
    static ExchangeFreeBound measure(Sequential network, Dataset train, int batch) {
        Tensor x = train.features().sliceRows(0, batch), y = train.targets().sliceRows(0, batch);
        BatchGradient whole = new BatchGradient(network, new CrossEntropy());
        Sequential[] copies = {network.copy(), network.copy()};
        BatchGradient[] halves = {new BatchGradient(copies[0], new CrossEntropy()),
            new BatchGradient(copies[1], new CrossEntropy())};
        Tensor[] xs = {x.sliceRows(0, batch / 2), x.sliceRows(batch / 2, batch)};
        Tensor[] ys = {y.sliceRows(0, batch / 2), y.sliceRows(batch / 2, batch)};
        IntConsumer half = k -> {
            copies[k].parameters().zeroGradients();
            halves[k].accumulate(xs[k], ys[k], 0.5);
        };
        Runnable wholeBatch = () -> {
            network.parameters().zeroGradients();
            whole.accumulate(x, y, 1);
        };
        // the step runs on a copy whose weights nothing else reads: repeated steps on one gradient move them far
        Sequential stepped = network.copy();
        System.arraycopy(network.parameters().gradients(), 0, stepped.parameters().gradients(), 0,
                stepped.parameters().length());
        Adam adam = new Adam(1e-3);
        return new ExchangeFreeBound(secondsPerCall(wholeBatch), secondsPerCall(() -> Parallel.forEach(2, half)),
                secondsPerCall(() -> adam.step(stepped.parameters())));
    }

    /** The mean time of a call of {@code work}, after a warm-up of as long. */
    private static double secondsPerCall(Runnable work) {
        double seconds = 0;
        for (int pass = 0; pass < 2; pass++) {
            long calls = 0, start = System.nanoTime(), end = start + (long) (SECONDS * 1e9), now;
            do {
                work.run();
                calls++;
            } while ((now = System.nanoTime()) < end);
            seconds = (now - start) / 1e9 / calls;
        }
        return seconds;
    }
}
