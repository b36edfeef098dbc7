package org.neuralj.datasets;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import org.neuralj.core.HeapBudget;

/**
 * How much a reader may take from one file, so that no input, however hostile (a lying header, a gzip bomb, a line
 * without end, a label that asks for a huge one-hot matrix), can exhaust the heap. Before allocating, a reader
 * compares what the file declares, or what it has read so far, with these limits and with what the heap can still
 * hold ({@link HeapBudget}), and refuses with a {@link DataFormatException} naming the file, the size and the limit.
 *
 * <pre>{@code Csv.read(file, Csv.options().limits(DataLimits.defaults().maxBytes(8L << 30)))}</pre>
 *
 * Immutable: each setter returns a new instance.
 */
public final class DataLimits {
    /** Default {@link #maxValues}: 2²⁸ values, 1 GiB as float32. */
    public static final long DEFAULT_MAX_VALUES = 1L << 28;
    /** Default {@link #maxBytes}: 1 GiB of (decompressed) input. */
    public static final long DEFAULT_MAX_BYTES = 1L << 30;
    /** Default {@link #maxLineChars}: 4 Mi characters in one CSV row. */
    public static final int DEFAULT_MAX_LINE_CHARS = 1 << 22;
    /** The most values one tensor can hold (the largest Java array, less the header some JVMs reserve). */
    static final long ARRAY_VALUES = Integer.MAX_VALUE - 8;

    private static final DataLimits DEFAULTS = new DataLimits(DEFAULT_MAX_VALUES, DEFAULT_MAX_BYTES,
            DEFAULT_MAX_LINE_CHARS);

    private final long maxValues;
    private final long maxBytes;
    private final int maxLineChars;

    private DataLimits(long maxValues, long maxBytes, int maxLineChars) {
        this.maxValues = maxValues;
        this.maxBytes = maxBytes;
        this.maxLineChars = maxLineChars;
    }

    public static DataLimits defaults() {
        return DEFAULTS;
    }

    /**
     * The most values one tensor read from a file may have (the features, or the one-hot targets), at most
     * {@value #ARRAY_VALUES}.
     */
    public DataLimits maxValues(long maxValues) {
        if (maxValues <= 0 || maxValues > ARRAY_VALUES) {
            throw new IllegalArgumentException("maxValues must be in 1.." + ARRAY_VALUES + " but was " + maxValues);
        }
        return new DataLimits(maxValues, maxBytes, maxLineChars);
    }

    /** The most bytes read from one file, counted after gzip decompression, so a small bomb stops early. */
    public DataLimits maxBytes(long maxBytes) {
        if (maxBytes <= 0) {
            throw new IllegalArgumentException("maxBytes must be positive but was " + maxBytes);
        }
        return new DataLimits(maxValues, maxBytes, maxLineChars);
    }

    /**
     * The longest CSV row a reader buffers, in characters of its fields and separators (a row is one line, or several
     * when a quoted field holds line breaks).
     */
    public DataLimits maxLineChars(int maxLineChars) {
        if (maxLineChars <= 0) {
            throw new IllegalArgumentException("maxLineChars must be positive but was " + maxLineChars);
        }
        return new DataLimits(maxValues, maxBytes, maxLineChars);
    }

    public long maxValues() {
        return maxValues;
    }

    public long maxBytes() {
        return maxBytes;
    }

    public int maxLineChars() {
        return maxLineChars;
    }

    /**
     * Refuses, before allocating, a tensor of {@code values} values that takes {@code bytesPerValue} bytes of heap
     * each (counting every copy the reader holds at once).
     *
     * @param where the start of the message: the source and what it declares, e.g. {@code "f.idx: byte offset 4: the
     *              header declares [70000, 28, 28]"}
     * @throws DataFormatException naming {@code where}, the size, and the limit or the free heap
     */
    void requireValues(String where, long values, int bytesPerValue) {
        if (values > maxValues) {
            throw new DataFormatException(String.format(Locale.ROOT, "%s: %,d values, more than the limit of %,d"
                    + " (raise it with DataLimits.maxValues)", where, values, maxValues));
        }
        String shortfall = HeapBudget.shortfall(values * bytesPerValue);
        if (shortfall != null) {
            throw new DataFormatException(String.format(Locale.ROOT, "%s: %,d values, which %s", where, values,
                    shortfall));
        }
    }

    /** {@code in} limited to {@link #maxBytes}: reading past it throws a {@link DataFormatException}. */
    InputStream cap(InputStream in, String source) {
        return new FilterInputStream(in) {
            private long count;

            @Override
            public int read() throws IOException {
                int b = super.read();
                if (b >= 0) {
                    count(1);
                }
                return b;
            }

            @Override
            public int read(byte[] buf, int off, int len) throws IOException {
                int n = super.read(buf, off, (int) Math.min(len, maxBytes + 1 - count));
                if (n > 0) {
                    count(n);
                }
                return n;
            }

            private void count(int n) {
                count += n;
                if (count > maxBytes) {
                    throw new DataFormatException(String.format(Locale.ROOT, "%s: more than %,d bytes (after"
                            + " decompression), the limit (raise it with DataLimits.maxBytes)", source, maxBytes));
                }
            }
        };
    }

    @Override
    public String toString() {
        return "DataLimits(maxValues=" + maxValues + ", maxBytes=" + maxBytes + ", maxLineChars=" + maxLineChars + ")";
    }
}
