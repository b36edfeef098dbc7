package org.neuralj.optim;

/**
 * A learning rate as a function of training progress: {@code rate(epoch, step)} with the 1-based epoch and the
 * 0-based number of optimizer steps taken before the coming one. Write your own as a lambda, or use the factories:
 *
 * <pre>{@code LearningRateSchedule.warmup(500, LearningRateSchedule.cosine(1e-3, 30, 0))}</pre>
 *
 * Applied by {@link LearningRateScheduler}.
 */
@FunctionalInterface
public interface LearningRateSchedule {

    double rate(int epoch, long step);

    /** The same rate throughout. */
    static LearningRateSchedule constant(double rate) {
        return (epoch, step) -> rate;
    }

    /** Step decay: {@code η₀ · factor^⌊(epoch − 1) / every⌋}, e.g. halve every 10 epochs. */
    static LearningRateSchedule stepDecay(double initial, int every, double factor) {
        if (every <= 0) {
            throw new IllegalArgumentException("stepDecay: every must be positive but was " + every);
        }
        return (epoch, step) -> initial * Math.pow(factor, (epoch - 1) / every);
    }

    /** Exponential decay: {@code η₀ · γ^(epoch − 1)}. */
    static LearningRateSchedule exponential(double initial, double gamma) {
        return (epoch, step) -> initial * Math.pow(gamma, epoch - 1);
    }

    /**
     * Cosine annealing from {@code initial} to {@code minimum} over {@code epochs}:
     * {@code η_min + ½ (η₀ − η_min)(1 + cos(π (epoch − 1) / epochs))}, then {@code minimum}.
     */
    static LearningRateSchedule cosine(double initial, int epochs, double minimum) {
        if (epochs <= 0) {
            throw new IllegalArgumentException("cosine: epochs must be positive but was " + epochs);
        }
        return (epoch, step) -> epoch > epochs ? minimum
                : minimum + 0.5 * (initial - minimum) * (1 + Math.cos(Math.PI * (epoch - 1) / epochs));
    }

    /** Linear warm-up: {@code after}'s rate times {@code min(1, (step + 1) / steps)}. */
    static LearningRateSchedule warmup(long steps, LearningRateSchedule after) {
        if (steps <= 0) {
            throw new IllegalArgumentException("warmup: steps must be positive but was " + steps);
        }
        return (epoch, step) -> after.rate(epoch, step) * Math.min(1.0, (step + 1.0) / steps);
    }
}
