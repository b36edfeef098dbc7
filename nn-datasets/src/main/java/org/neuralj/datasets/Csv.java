package org.neuralj.datasets;

import de.siegmar.fastcsv.reader.AbstractBaseCsvCallbackHandler;
import de.siegmar.fastcsv.reader.CsvParseException;
import de.siegmar.fastcsv.reader.CsvReader;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.neuralj.core.Dataset;
import org.neuralj.core.Tensor;

/**
 * Reads numeric CSV with one integer class-label column into a {@link Dataset} (features + one-hot targets).
 * Plain or gzip-compressed (recognised by its magic bytes), UTF-8 or with a byte-order mark. Parsed by FastCSV as
 * RFC 4180: a field in double quotes may hold the separator, line breaks and {@code ""} for a quote. Every row must
 * have the same number of columns; every feature must parse as a finite number and the label as an integer in
 * {@code 0..classes-1}. Errors name the source, the row (the 1-based line it starts on) and the column (1-based).
 */
public final class Csv {
    /** The most classes inferred from the labels alone; a larger label is more likely a wrong label column. */
    static final int MAX_INFERRED_CLASSES = 1 << 16;
    /** How many characters FastCSV reads at a time. */
    private static final int READ_CHARS = 8192;

    private Csv() {
    }

    /** Reading options: delimiter, header line, label column, number of classes. */
    public static final class Options {
        private char delimiter = ',';
        private boolean header;
        private int labelColumn = -1;
        private int classes = -1;
        private DataLimits limits = DataLimits.defaults();

        /** Column separator; default {@code ','}. */
        public Options delimiter(char delimiter) {
            if (delimiter == '\n' || delimiter == '\r' || delimiter == '"') {
                throw new IllegalArgumentException("delimiter must not be a line break or quote but was '"
                        + delimiter + "'");
            }
            this.delimiter = delimiter;
            return this;
        }

        /** Whether the first row is a header to skip; default false. */
        public Options header(boolean header) {
            this.header = header;
            return this;
        }

        /** 0-based index of the label column; negative counts from the end ({@code -1}, the default, is the last). */
        public Options labelColumn(int labelColumn) {
            this.labelColumn = labelColumn;
            return this;
        }

        /** Number of classes; labels must be in {@code 0..classes-1}. Default: the largest label + 1. */
        public Options classes(int classes) {
            if (classes <= 0) {
                throw new IllegalArgumentException("classes must be positive but was " + classes);
            }
            this.classes = classes;
            return this;
        }

        /** Limits on the input's size, a line's length and the tensors read; default {@link DataLimits#defaults()}. */
        public Options limits(DataLimits limits) {
            if (limits == null) {
                throw new IllegalArgumentException("limits must not be null");
            }
            this.limits = limits;
            return this;
        }
    }

    public static Options options() {
        return new Options();
    }

    /** Reads {@code file} with default options (no header, label in the last column). */
    public static Dataset read(Path file) {
        return read(file, options());
    }

    public static Dataset read(Path file, Options options) {
        return open(file, options, (in, source) -> read(in, source, options));
    }

    /** Reads CSV from {@code in}; {@code source} names it in error messages. Does not close {@code in}. */
    public static Dataset read(InputStream in, String source, Options options) {
        Table t = parse(in, source, options, Layout.LABELLED);
        int features = t.columns - 1;
        int classes = options.classes;
        if (classes < 0) {
            classes = Arrays.stream(t.labels, 0, t.rows).max().orElse(0) + 1;
            if (classes > MAX_INFERRED_CLASSES) {
                throw new DataFormatException(source + ": the largest label is " + (classes - 1) + "; more than "
                        + MAX_INFERRED_CLASSES + " classes needs an explicit Options.classes(...)");
            }
        }
        // a few bytes per row can declare many classes: bound the one-hot matrix before allocating it
        options.limits.requireValues(String.format(java.util.Locale.ROOT, "%s: the one-hot targets of %,d rows of %,d"
                + " classes", source, t.rows, classes), (long) t.rows * classes, Float.BYTES);
        Tensor x = Tensor.of(Arrays.copyOf(t.values, t.rows * features), t.rows, features);
        return Dataset.ofLabels(x, Arrays.copyOf(t.labels, t.rows), classes);
    }

    /**
     * Reads every column of {@code file} as a feature, for samples without labels (e.g. to predict them): a
     * {@code [rows, columns]} tensor. {@link Options#labelColumn} and {@link Options#classes} do not apply.
     */
    public static Tensor readFeatures(Path file, Options options) {
        return open(file, options, (in, source) -> readFeatures(in, source, options));
    }

    /** {@link #readFeatures(Path, Options)} from {@code in}; {@code source} names it in messages. Does not close it. */
    public static Tensor readFeatures(InputStream in, String source, Options options) {
        Table t = parse(in, source, options, Layout.FEATURES);
        return Tensor.of(Arrays.copyOf(t.values, t.rows * t.columns), t.rows, t.columns);
    }

    /**
     * The number of columns of the first data row of {@code file} (the row after the header, if any), reading no
     * further: to tell a file with a label column from one without before reading it all.
     */
    public static int columns(Path file, Options options) {
        return open(file, options, (in, source) -> parse(in, source, options, Layout.FIRST_ROW).columns);
    }

    /** What a reader does with the opened file's stream. */
    private interface Body<T> {
        T read(InputStream in, String source);
    }

    private static <T> T open(Path file, Options options, Body<T> body) {
        java.util.Objects.requireNonNull(file, "file must not be null");
        java.util.Objects.requireNonNull(options, "options must not be null");
        try (InputStream in = Files.newInputStream(file)) {
            return body.read(in, file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** What a pass over the rows collects. */
    private enum Layout {
        /** Features and one label column. */
        LABELLED,
        /** Every column a feature. */
        FEATURES,
        /** Only the first data row's column count. */
        FIRST_ROW
    }

    /** The rows read: {@code rows x features} values row-major, and the labels of a labelled file. */
    private record Table(float[] values, int[] labels, int rows, int columns) {
    }

    private static Table parse(InputStream in, String source, Options o, Layout layout) {
        java.util.Objects.requireNonNull(in, "in must not be null");
        java.util.Objects.requireNonNull(o, "options must not be null");
        try {
            BufferedInputStream buffered = new BufferedInputStream(in);
            buffered.mark(2);
            int b0 = buffered.read(), b1 = buffered.read();
            buffered.reset();
            InputStream body = b0 == 0x1f && b1 == 0x8b ? new GZIPInputStream(buffered) : buffered;
            // counted after decompression, so a gzip bomb stops at the limit instead of inflating first
            return parseRows(o.limits.cap(body, source), source, o, layout);
        } catch (ZipException | java.io.EOFException e) {
            throw new DataFormatException(source + ": corrupt or truncated gzip data: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + source + ": " + e.getMessage(), e);
        }
    }

    private static Table parseRows(InputStream in, String source, Options o, Layout layout) throws IOException {
        boolean labelled = layout == Layout.LABELLED;
        Records records = new Records(o.limits.maxLineChars(), source);
        float[] values = new float[1024];
        int[] labels = new int[labelled ? 64 : 0];
        int rows = 0, columns = -1, labelIndex = -1;
        long firstDataLine = 0;
        boolean headerSkipped = !o.header;
        try (CsvReader<String[]> reader = CsvReader.builder().fieldSeparator(o.delimiter).detectBomHeader(true)
                .allowExtraFields(true).allowMissingFields(true) // counted below, with both rows in the message
                .maxBufferSize(bufferFor(o.limits.maxLineChars()))
                .build(records, in, StandardCharsets.UTF_8)) {
            for (String[] cells : reader) {
                long line = records.startingLine();
                if (!headerSkipped) {
                    headerSkipped = true;
                    continue;
                }
                if (cells.length == 1 && cells[0].isBlank()) {
                    continue;
                }
                if (columns < 0) {
                    columns = cells.length;
                    firstDataLine = line;
                    if (labelled && columns < 2) { // a row always has one field at least
                        throw new DataFormatException(source + ": row " + line + " has " + columns
                                + " column; expected at least one feature and a label" + lineBreakHint(cells));
                    }
                    if (layout == Layout.FIRST_ROW) {
                        return new Table(new float[0], new int[0], 0, columns);
                    }
                    if (labelled) {
                        labelIndex = o.labelColumn < 0 ? columns + o.labelColumn : o.labelColumn;
                        if (labelIndex < 0 || labelIndex >= columns) {
                            throw new DataFormatException(source + ": label column " + o.labelColumn + " is outside"
                                    + " the " + columns + " columns of row " + line);
                        }
                    }
                } else if (cells.length != columns) {
                    throw new DataFormatException(source + ": row " + line + " has " + cells.length
                            + " columns but row " + firstDataLine + " has " + columns + lineBreakHint(cells));
                }
                int features = labelled ? columns - 1 : columns;
                long needed = (long) (rows + 1) * features;
                if (needed > o.limits.maxValues()) {
                    o.limits.requireValues(source + ": row " + line + ": the features so far", needed, Float.BYTES);
                }
                if (needed > values.length) {
                    long capacity = Math.max(needed, Math.min(o.limits.maxValues(), values.length * 2L));
                    // growing copies the array: the old and the new one are held at once
                    o.limits.requireValues(source + ": row " + line + ": the features so far, grown to", capacity,
                            2 * Float.BYTES);
                    values = Arrays.copyOf(values, (int) capacity);
                }
                if (labelled && rows == labels.length) {
                    labels = Arrays.copyOf(labels, labels.length * 2);
                }
                int f = rows * features;
                for (int c = 0; c < columns; c++) {
                    String cell = cells[c].trim();
                    if (c == labelIndex) {
                        labels[rows] = parseLabel(cell, source, line, c, o.classes);
                    } else {
                        values[f++] = parseFeature(cell, source, line, c);
                    }
                }
                rows++;
            }
        } catch (CsvParseException | UncheckedIOException e) {
            throw records.translate(e);
        }
        if (rows == 0) {
            throw new DataFormatException(source + ": no data rows" + (o.header ? " after the header" : ""));
        }
        return new Table(values, labels, rows, columns);
    }

    /**
     * FastCSV's buffer holds the field being read: room for the longest record and one more read of
     * {@value #READ_CHARS} characters, so that an over-long field reaches {@link Records}' own check (FastCSV 4.1
     * fails with an IndexOutOfBoundsException when a field fills its buffer exactly).
     */
    private static int bufferFor(int maxChars) {
        return (int) Math.min(Integer.MAX_VALUE - 8, (long) Math.max(maxChars, READ_CHARS) + READ_CHARS);
    }

    /** Why a row's column count may be off: a quote opened but never closed swallows the lines after it. */
    private static String lineBreakHint(String[] cells) {
        for (int c = 0; c < cells.length; c++) {
            if (cells[c].indexOf('\n') >= 0 || cells[c].indexOf('\r') >= 0) {
                return "; its column " + (c + 1) + " is a quoted field spanning several lines (an unclosed quote?)";
            }
        }
        return "";
    }

    /**
     * FastCSV's callback for one record: its fields as strings, held to {@code maxChars} characters (a field's text
     * plus its separator, so that a row of empty fields is bounded too), and the line it starts on, which names the
     * row in every message (a record spans several lines when a quoted field holds line breaks).
     */
    private static final class Records extends AbstractBaseCsvCallbackHandler<String[]> {
        private final int maxChars;
        private final String source;
        private final List<String> fields = new ArrayList<>();
        private long chars;

        Records(int maxChars, String source) {
            this.maxChars = maxChars;
            this.source = source;
        }

        long startingLine() {
            return getStartingLineNumber();
        }

        @Override
        protected void handleBegin(long startingLineNumber) {
            fields.clear();
            chars = 0;
        }

        @Override
        protected void handleField(int index, char[] buf, int offset, int len, boolean quoted) {
            chars += len + 1L;
            if (chars > maxChars) {
                throw tooLong();
            }
            fields.add(new String(buf, offset, len));
        }

        @Override
        protected String[] buildRecord() {
            return fields.toArray(String[]::new);
        }

        private DataFormatException tooLong() {
            return new DataFormatException(String.format(java.util.Locale.ROOT, "%s: row %d is longer than %,d"
                    + " characters, the limit (raise it with DataLimits.maxLineChars)", source, getStartingLineNumber(),
                    maxChars));
        }

        /**
         * What FastCSV threw, as this reader's exception: our own refusals (the size caps, from the stream or this
         * callback) unwrapped; a field too long for the buffer as {@link #tooLong}; a malformed quoted field with its
         * row and column; a read failure as such.
         */
        RuntimeException translate(RuntimeException e) {
            for (Throwable c = e; c != null; c = c.getCause()) {
                if (c instanceof DataFormatException d) {
                    return d;
                }
                if (c instanceof ZipException || c instanceof java.io.EOFException) {
                    return new DataFormatException(source + ": corrupt or truncated gzip data: " + c.getMessage(), c);
                }
                if (c instanceof IOException io) {
                    return new UncheckedIOException("cannot read " + source + ": " + io.getMessage(), io);
                }
            }
            Throwable cause = e.getCause() instanceof CsvParseException ? e.getCause() : e;
            String message = String.valueOf(cause.getMessage());
            if (message.contains("buffer size")) {
                return tooLong();
            }
            return new DataFormatException(source + ": row " + getStartingLineNumber() + ", column "
                    + (getFieldCount() + 1) + ": " + message, e);
        }
    }

    private static float parseFeature(String cell, String source, long row, int column) {
        if (isDecimal(cell)) {
            try {
                float v = Float.parseFloat(cell);
                if (Float.isFinite(v)) {
                    return v;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
        }
        throw new DataFormatException(source + ": row " + row + ", column " + (column + 1) + ": \"" + abbreviate(cell)
                + "\" is not a finite number");
    }

    private static int parseLabel(String cell, String source, long row, int column, int classes) {
        int label;
        try {
            if (!isDecimal(cell)) {
                throw new NumberFormatException();
            }
            double d = Double.parseDouble(cell);
            if (d != Math.rint(d) || d < 0 || d > Integer.MAX_VALUE - 1) {
                throw new NumberFormatException();
            }
            label = (int) d;
        } catch (NumberFormatException e) {
            throw new DataFormatException(source + ": row " + row + ", column " + (column + 1) + ": label \""
                    + abbreviate(cell) + "\" is not a non-negative integer");
        }
        if (classes > 0 && label >= classes) {
            throw new DataFormatException(source + ": row " + row + ", column " + (column + 1) + ": label " + label
                    + " is outside 0.." + (classes - 1));
        }
        return label;
    }

    /**
     * Only plain decimal notation ({@code -1.5}, {@code 3e2}): Java's own parser would also take {@code 1f},
     * {@code 0x1p3} and {@code NaN}, none of which is a number in a CSV file.
     */
    private static boolean isDecimal(String cell) {
        if (cell.isEmpty()) {
            return false;
        }
        for (int i = 0; i < cell.length(); i++) {
            char c = cell.charAt(i);
            if (!(c >= '0' && c <= '9' || c == '.' || c == '-' || c == '+' || c == 'e' || c == 'E')) {
                return false;
            }
        }
        return true;
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }
}
