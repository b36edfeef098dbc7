package org.neuralj.playground;

/** A message from the page that is too large, not JSON, or not one of the protocol's messages. */
public final class ProtocolException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public ProtocolException(String message) {
        super(message);
    }
}
