package org.neuralj.io;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A model or checkpoint file that cannot be read: too short, a header that is not well-formed JSON, an unknown dtype,
 * tensor bytes outside the file or overlapping, shapes that contradict the architecture, an unsupported format
 * version, an unknown layer type. The message names the file, what was wrong and, where it helps, the byte offset.
 *
 * <p>It is an {@link IOException} because a bad file is an input problem of the same family as a missing one; these
 * (and plain {@code IOException}s from the file system) are the only exceptions that reading a file may throw.
 */
public final class ModelFormatException extends IOException {
    private final transient Path file;
    private final long offset;

    /** A problem at byte {@code offset} of {@code file}, or anywhere in it when {@code offset} is negative. */
    public ModelFormatException(Path file, long offset, String problem) {
        super(file + ": " + problem + (offset >= 0 ? " (at byte " + offset + ")" : ""));
        this.file = file;
        this.offset = offset;
    }

    /** A problem with {@code file} as a whole, found by a check that threw {@code cause}. */
    public ModelFormatException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
        this.file = file;
        this.offset = -1;
    }

    /** A problem with {@code file} as a whole. */
    public ModelFormatException(Path file, String problem) {
        this(file, -1, problem);
    }

    public Path file() {
        return file;
    }

    /** The byte offset in the file where the problem is, or -1 when it is not about one place. */
    public long offset() {
        return offset;
    }
}
