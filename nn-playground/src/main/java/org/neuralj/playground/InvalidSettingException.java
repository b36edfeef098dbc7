package org.neuralj.playground;

/** A setting from the page that is out of its range, of the wrong type, or unknown: the message is shown on the page. */
public final class InvalidSettingException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    private final String field;

    public InvalidSettingException(String field, String message) {
        super(message);
        this.field = field;
    }

    /** The setting that was refused, e.g. {@code learningRate}. */
    public String field() {
        return field;
    }
}
