package org.neuralj.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import org.neuralj.core.Tensor;

/**
 * One partition's rows for one epoch, in the order the epoch visits them: sorted by their position in the epoch's
 * permutation, so that the partition's share of global batch {@code b} is the contiguous run
 * {@code [start[b], start[b+1])}. Built once per epoch, so a round reads its rows without scanning the partition.
 */
final class EpochShard implements Serializable {
    private static final long serialVersionUID = 1L;

    private final int inputs;
    private final int outputs;
    private final float[] features;
    private final float[] targets;
    private final int[] start;

    private EpochShard(int inputs, int outputs, float[] features, float[] targets, int[] start) {
        this.inputs = inputs;
        this.outputs = outputs;
        this.features = features;
        this.targets = targets;
        this.start = start;
    }

    /**
     * Arranges {@code samples} for an epoch in which sample {@code i} comes at position {@code position[i]}, cut into
     * global batches of {@code batchSize} positions.
     */
    static EpochShard of(Iterator<Sample> samples, int[] position, int batchSize, int inputs, int outputs) {
        List<Sample> rows = new ArrayList<>();
        samples.forEachRemaining(rows::add);
        rows.sort(Comparator.comparingInt(s -> position[Math.toIntExact(s.index())]));
        int batches = (position.length + batchSize - 1) / batchSize;
        int[] start = new int[batches + 1];
        float[] x = new float[rows.size() * inputs];
        float[] y = new float[rows.size() * outputs];
        for (int r = 0; r < rows.size(); r++) {
            Sample s = rows.get(r);
            System.arraycopy(s.features(), 0, x, r * inputs, inputs);
            System.arraycopy(s.targets(), 0, y, r * outputs, outputs);
            start[position[Math.toIntExact(s.index())] / batchSize + 1]++;
        }
        for (int b = 0; b < batches; b++) {
            start[b + 1] += start[b];
        }
        return new EpochShard(inputs, outputs, x, y, start);
    }

    /** How many of this partition's rows belong to global batch {@code batch}. */
    int rows(int batch) {
        return start[batch + 1] - start[batch];
    }

    /** This partition's rows of global batch {@code batch}, {@code [rows, inputs]}, in batch order. */
    Tensor features(int batch) {
        return slice(features, inputs, batch);
    }

    /** The targets of the same rows, {@code [rows, outputs]}. */
    Tensor targets(int batch) {
        return slice(targets, outputs, batch);
    }

    private Tensor slice(float[] all, int width, int batch) {
        float[] part = java.util.Arrays.copyOfRange(all, start[batch] * width, start[batch + 1] * width);
        return Tensor.of(part, rows(batch), width);
    }
}
