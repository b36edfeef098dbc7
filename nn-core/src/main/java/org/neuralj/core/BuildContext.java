package org.neuralj.core;

import java.util.Arrays;

/**
 * What a layer receives when it is built: the network's random generator and the one place parameters are created.
 *
 * <p>Creating parameters here, rather than with {@code new Parameter}, lets the caller bound what a build may
 * allocate: a model loader builds each layer with a limit equal to the values its file stores, so a corrupt
 * configuration (say {@code units = 2³⁰}) is refused before any memory is taken.
 */
public final class BuildContext {
    private final Rng rng;
    private final long limit;
    private final String limitSource;
    private long used;

    private BuildContext(Rng rng, long limit, String limitSource) {
        this.rng = rng;
        this.limit = limit;
        this.limitSource = limitSource;
    }

    /** A context for building one layer with no limit beyond the heap. */
    public static BuildContext of(Rng rng) {
        return new BuildContext(rng, Long.MAX_VALUE, null);
    }

    /**
     * A context that allows at most {@code maxValues} parameter values in all; {@code source} says where the limit
     * comes from, for the refusal (e.g. {@code "the file stores"}).
     */
    public static BuildContext limited(Rng rng, long maxValues, String source) {
        return new BuildContext(rng, maxValues, source);
    }

    /** The network's generator: draw initial weights (and, if the layer needs it, training-time noise) from it. */
    public Rng rng() {
        return rng;
    }

    /**
     * A new parameter of zeros with the given shape, and its zero gradient.
     *
     * @throws IllegalArgumentException when a dimension is not positive, the limit would be exceeded or the heap
     *                                  cannot hold the value and its gradient, before allocating
     */
    public Parameter parameter(String name, int... dims) {
        String what = "parameter \"" + name + "\" of shape " + Arrays.toString(dims);
        long size = 1;
        for (int d : dims) {
            if (d <= 0) {
                throw new IllegalArgumentException(what + ": dimensions must be positive");
            }
            size = Math.multiplyHigh(size, d) == 0 && size * d >= 0 ? size * d : Long.MAX_VALUE;
        }
        if (size > limit - used) {
            throw new IllegalArgumentException(what + " brings the layer's parameters to "
                    + (size == Long.MAX_VALUE ? "more than " + Long.MAX_VALUE : used + size) + " values but "
                    + limitSource + " " + limit);
        }
        if (size > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(what + " has " + size + " values; a tensor holds at most "
                    + Integer.MAX_VALUE);
        }
        // a parameter is its value and its gradient: refuse what the heap cannot hold rather than die in zeros()
        String shortfall = HeapBudget.shortfall(size * 2 * Float.BYTES);
        if (shortfall != null) {
            throw new IllegalArgumentException(what + " with its gradient " + shortfall);
        }
        used += size;
        return new Parameter(name, Tensor.zeros(dims));
    }
}
