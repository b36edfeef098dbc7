package org.neuralj.io;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a file so that the target name holds either its old content or the complete new one, never a truncated
 * mix, whatever happens during the write (an exception, a full disk, a killed process, a power cut):
 *
 * <ol>
 * <li>write everything to a temporary file in the target's folder (so the rename below stays on one file system);
 * <li>flush and {@link FileChannel#force fsync} it, so its bytes are on disk before its name is;
 * <li>rename it over the target with {@link StandardCopyOption#ATOMIC_MOVE}, then fsync the folder (where the OS
 *     allows) so the rename itself is durable.
 * </ol>
 *
 * On failure the temporary file is deleted and the target is untouched. A process killed between steps leaves at
 * most a stray {@code .<name>.*.tmp} file beside the target, never a damaged target.
 */
public final class AtomicFile {
    private static final Logger log = LoggerFactory.getLogger(AtomicFile.class);

    /** What to write: the whole content, into a stream that the caller must not close. */
    @FunctionalInterface
    public interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    private AtomicFile() {
    }

    /** Atomically replaces (or creates) {@code target} with what {@code content} writes. */
    public static void write(Path target, Content content) throws IOException {
        write(target, content, UnaryOperator.identity());
    }

    /** As {@link #write(Path, Content)}, with the file stream wrapped by {@code wrap} (tests inject failures). */
    static void write(Path target, Content content, UnaryOperator<OutputStream> wrap) throws IOException {
        Path absolute = target.toAbsolutePath();
        Path folder = absolute.getParent();
        Path temp = folder.resolve("." + absolute.getFileName() + "."
                + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36) + ".tmp");
        // CREATE_NEW with the default permissions (not createTempFile's owner-only ones): a saved model gets the
        // same permissions as any file the user creates; a name clash with another writer fails instead of mixing
        FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        boolean moved = false;
        try {
            try (channel) {
                OutputStream out = new BufferedOutputStream(wrap.apply(Channels.newOutputStream(channel)), 1 << 16);
                content.writeTo(out);
                out.flush();
                channel.force(true);
            }
            try {
                Files.move(temp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("cannot save " + target + " atomically: the file system of " + folder
                        + " does not support atomic renames", e);
            }
            moved = true;
            syncFolder(folder);
        } finally {
            if (!moved) {
                Files.deleteIfExists(temp);
            }
        }
    }

    /** Makes the rename durable; some systems (e.g. Windows) cannot open a folder, and then the OS decides. */
    private static void syncFolder(Path folder) {
        try (FileChannel dir = FileChannel.open(folder, StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException e) {
            log.debug("could not fsync folder {} after an atomic rename: {}", folder, e.toString());
        }
    }
}
