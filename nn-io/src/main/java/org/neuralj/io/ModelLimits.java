package org.neuralj.io;

import java.nio.file.Path;
import java.util.Locale;
import org.neuralj.core.HeapBudget;

/**
 * How much loading one model or checkpoint file may take, so that no file, however hostile (a header of many small
 * JSON values, a sparse file declaring gigabytes of weights), can exhaust the heap. Before parsing the header and
 * before allocating the tensors, the loader compares what the file declares with these limits and with what the heap
 * can still hold ({@link HeapBudget}), and refuses with a {@link ModelFormatException} naming the file, the declared
 * size and the limit.
 *
 * <pre>{@code ModelFile.load(file, ModelLimits.defaults().maxDataBytes(16L << 30))}</pre>
 *
 * Immutable: each setter returns a new instance.
 */
public final class ModelLimits {
    /** Default {@link #maxHeaderBytes}: 16 MiB, room for about a hundred thousand tensors. */
    public static final long DEFAULT_MAX_HEADER_BYTES = 16L << 20;
    /** Default {@link #maxDataBytes}: 4 GiB of tensor data (a billion float32 values). */
    public static final long DEFAULT_MAX_DATA_BYTES = 4L << 30;
    /**
     * Heap bytes a parsed JSON header takes per byte of text, at most (a tree node per small value): measured about
     * 22 for a header of many one-character values.
     */
    static final int PARSE_BYTES_PER_HEADER_BYTE = 32;
    /** Heap bytes per byte of tensor data: a parameter's value and its gradient. */
    static final int HEAP_BYTES_PER_DATA_BYTE = 2;

    private static final ModelLimits DEFAULTS = new ModelLimits(DEFAULT_MAX_HEADER_BYTES, DEFAULT_MAX_DATA_BYTES);

    private final long maxHeaderBytes;
    private final long maxDataBytes;

    private ModelLimits(long maxHeaderBytes, long maxDataBytes) {
        this.maxHeaderBytes = maxHeaderBytes;
        this.maxDataBytes = maxDataBytes;
    }

    public static ModelLimits defaults() {
        return DEFAULTS;
    }

    /** The largest JSON header read, at most {@link SafeTensors#MAX_HEADER_BYTES} (the format's own cap). */
    public ModelLimits maxHeaderBytes(long maxHeaderBytes) {
        if (maxHeaderBytes < 2 || maxHeaderBytes > SafeTensors.MAX_HEADER_BYTES) {
            throw new IllegalArgumentException("maxHeaderBytes must be in 2.." + SafeTensors.MAX_HEADER_BYTES
                    + " but was " + maxHeaderBytes);
        }
        return new ModelLimits(maxHeaderBytes, maxDataBytes);
    }

    /** The most bytes of tensor data (weights, optimizer state) loaded from one file. */
    public ModelLimits maxDataBytes(long maxDataBytes) {
        if (maxDataBytes <= 0) {
            throw new IllegalArgumentException("maxDataBytes must be positive but was " + maxDataBytes);
        }
        return new ModelLimits(maxHeaderBytes, maxDataBytes);
    }

    public long maxHeaderBytes() {
        return maxHeaderBytes;
    }

    public long maxDataBytes() {
        return maxDataBytes;
    }

    /** Refuses a header of {@code bytes} over the limit or too large to parse in the free heap. */
    void requireHeader(Path file, long bytes) throws ModelFormatException {
        require(file, "header", bytes, maxHeaderBytes, "maxHeaderBytes", bytes * PARSE_BYTES_PER_HEADER_BYTE);
    }

    /** Refuses tensor data of {@code bytes} over the limit or too large for the free heap. */
    void requireData(Path file, long bytes) throws ModelFormatException {
        require(file, "tensor data", bytes, maxDataBytes, "maxDataBytes", bytes * HEAP_BYTES_PER_DATA_BYTE);
    }

    private static void require(Path file, String what, long bytes, long limit, String setter, long heapBytes)
            throws ModelFormatException {
        if (bytes > limit) {
            throw new ModelFormatException(file, 0, String.format(Locale.ROOT, "the file declares %,d bytes of %s,"
                    + " more than the limit of %,d (raise it with ModelLimits.%s)", bytes, what, limit, setter));
        }
        String shortfall = HeapBudget.shortfall(heapBytes);
        if (shortfall != null) {
            throw new ModelFormatException(file, 0, String.format(Locale.ROOT, "the file declares %,d bytes of %s,"
                    + " which loaded %s", bytes, what, shortfall));
        }
    }

    @Override
    public String toString() {
        return "ModelLimits(maxHeaderBytes=" + maxHeaderBytes + ", maxDataBytes=" + maxDataBytes + ")";
    }
}
