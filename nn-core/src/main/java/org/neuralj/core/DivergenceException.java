package org.neuralj.core;

/**
 * Training diverged: a loss, a validation loss or a parameter is no longer finite, or a clamped loss sat at its
 * ceiling for a whole epoch. The message names where (epoch, batch, parameter) and suggests a smaller learning rate.
 * It is an {@link IllegalStateException}, so code that handled the earlier divergence errors still does.
 */
public class DivergenceException extends IllegalStateException {
    private static final long serialVersionUID = 1L;
    private final int epoch;

    public DivergenceException(int epoch, String message) {
        super("Training diverged: " + message);
        this.epoch = epoch;
    }

    /** The 1-based epoch in which training diverged. */
    public int epoch() {
        return epoch;
    }
}
