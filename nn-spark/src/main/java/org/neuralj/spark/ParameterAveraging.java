package org.neuralj.spark;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.NotSerializableException;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.util.Objects;
import org.neuralj.core.Optimizer;

/**
 * Parameter averaging for {@link SparkTrainer#fit(org.neuralj.core.Sequential, org.apache.spark.sql.Dataset, String,
 * String, org.neuralj.core.FitOptions, ParameterAveraging)}: each partition takes {@code k} local optimizer steps on
 * its own rows, then the driver averages the partitions' weights and optimizer state and sends the average back.
 *
 * <pre>{@code
 * SparkTrainer.fit(net, rows, "features", "label", FitOptions.of(new CrossEntropy(), new Adam(1e-3)).batchSize(128),
 *         ParameterAveraging.every(4, () -> new Adam(1e-3)));
 * }</pre>
 *
 * <p>Local step {@code j} of a round takes the partition's share of the epoch's global batch {@code r·k + j}, the
 * batches synchronous training uses: partition {@code p}, holding {@code b_pj} of its rows, steps on the mean loss of
 * those rows (a partition with none skips that step). After the round, with {@code n_p = Σ_j b_pj} and
 * {@code n = Σ_p n_p}:
 *
 * <pre>
 * θ ← Σ_p (n_p / n) θ_p        s ← Σ_p (n_p / n) s_p   for each optimizer state s (Adam's m and v)
 * </pre>
 *
 * <p>summed in one fixed order, and the step count advances by the round's steps. With {@code k = 1} and plain SGD
 * this is synchronous training: {@code Σ_p (b_p/B)(θ − η g_p) = θ − η Σ_p (b_p/B) g_p}. With {@code k > 1} each
 * partition follows its own trajectory between averages: fewer, larger messages per epoch, at a cost in convergence
 * (docs/spark.md measures it).
 *
 * <p>Why a factory: every executor needs an optimizer of its own, and an {@link Optimizer} cannot be copied or sent
 * as such. {@code optimizers} must make an optimizer equal to the options' one (class, learning rate and
 * {@link Optimizer#settings()}), which {@code fit} checks on the driver; it must be {@link Serializable} (a lambda
 * passed straight to {@link #every} is).
 */
public final class ParameterAveraging {
    /** Makes the optimizer each partition steps with; sent to the executors, so serializable. */
    @FunctionalInterface
    public interface OptimizerFactory extends Serializable {
        /** A fresh optimizer, configured like the options' one. */
        Optimizer create();
    }

    private final int every;
    private final OptimizerFactory optimizers;

    private ParameterAveraging(int every, OptimizerFactory optimizers) {
        this.every = every;
        this.optimizers = optimizers;
    }

    /**
     * Averaging after every {@code k} local steps, each partition stepping with an optimizer from {@code optimizers}.
     *
     * @throws IllegalArgumentException when {@code k} &lt; 1, or {@code optimizers} cannot be serialized
     */
    public static ParameterAveraging every(int k, OptimizerFactory optimizers) {
        if (k < 1) {
            throw new IllegalArgumentException("k (local steps between averages) must be at least 1 but was " + k);
        }
        Objects.requireNonNull(optimizers, "optimizers must not be null");
        try (ObjectOutputStream out = new ObjectOutputStream(new ByteArrayOutputStream())) {
            out.writeObject(optimizers);
        } catch (NotSerializableException e) {
            throw new IllegalArgumentException("optimizers: " + optimizers.getClass().getName() + " cannot be sent to"
                    + " the executors, it holds the non-serializable " + e.getMessage(), e);
        } catch (IOException e) {
            throw new IllegalArgumentException("optimizers: " + optimizers.getClass().getName() + " cannot be"
                    + " serialized: " + e.getMessage(), e);
        }
        return new ParameterAveraging(k, optimizers);
    }

    /** {@code k}: local steps between two averages. */
    public int every() {
        return every;
    }

    /** The factory of the partitions' optimizers. */
    public OptimizerFactory optimizers() {
        return optimizers;
    }

    /**
     * Checks that the factory makes an optimizer like {@code expected} (the options' one, which keeps the averaged
     * state on the driver).
     *
     * @throws IllegalArgumentException naming what differs
     */
    void requireMatches(Optimizer expected) {
        Optimizer made = optimizers.create();
        if (made == null) {
            throw new IllegalArgumentException("optimizers: the factory returned null");
        }
        if (made == expected) {
            throw new IllegalArgumentException("optimizers: the factory returned the options' own optimizer; it must"
                    + " make a new one on each call");
        }
        if (made.getClass() != expected.getClass() || made.learningRate() != expected.learningRate()
                || !made.settings().equals(expected.settings())) {
            throw new IllegalArgumentException("optimizers: the factory makes " + describe(made) + " but the options"
                    + " train with " + describe(expected) + "; the partitions must step like the driver's optimizer");
        }
    }

    private static String describe(Optimizer o) {
        return o.getClass().getSimpleName() + " (learning rate " + o.learningRate() + ", " + o.settings() + ")";
    }

    @Override
    public String toString() {
        return "ParameterAveraging(every " + every + " local steps)";
    }
}
