package org.neuralj.datasets;

/**
 * A data file or data set is not what it claims to be: wrong magic number, truncated or corrupt data, mismatched
 * counts, a ragged or non-numeric row, a label out of range. The message names the source (file or resource), the
 * position (byte offset, or row and column) and what was expected.
 */
public class DataFormatException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public DataFormatException(String message) {
        super(message);
    }

    public DataFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
