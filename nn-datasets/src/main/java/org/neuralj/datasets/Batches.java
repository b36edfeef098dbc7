package org.neuralj.datasets;

import java.util.Iterator;
import java.util.NoSuchElementException;
import org.neuralj.core.Dataset;
import org.neuralj.core.Rng;

/**
 * Mini-batches of a data set for a hand-written training loop: {@code for (Dataset b : Batches.of(data, 32, rng))}.
 * Each batch is a copy of up to {@code batchSize} rows, in an order shuffled by {@code rng} (or in order when it is
 * null). {@code Trainer.fit} does its own allocation-free batching; this is for loops of your own.
 */
public final class Batches implements Iterable<Dataset> {
    private final Dataset data;
    private final int batchSize;
    private final Rng rng;

    private Batches(Dataset data, int batchSize, Rng rng) {
        if (batchSize <= 0) {
            throw new IllegalArgumentException("batchSize must be positive but was " + batchSize);
        }
        this.data = data;
        this.batchSize = batchSize;
        this.rng = rng;
    }

    public static Batches of(Dataset data, int batchSize, Rng rng) {
        return new Batches(data, batchSize, rng);
    }

    /** Number of batches: {@code ⌈n / batchSize⌉}. */
    public int count() {
        return (data.size() + batchSize - 1) / batchSize;
    }

    @Override
    public Iterator<Dataset> iterator() {
        int[] order = rng == null ? Rng.identity(data.size()) : rng.permutation(data.size());
        return new Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
                return next < order.length;
            }

            @Override
            public Dataset next() {
                if (!hasNext()) {
                    throw new NoSuchElementException("no batch left: all " + count() + " were returned");
                }
                int to = Math.min(order.length, next + batchSize);
                Dataset b = data.subset(java.util.Arrays.copyOfRange(order, next, to));
                next = to;
                return b;
            }
        };
    }
}
