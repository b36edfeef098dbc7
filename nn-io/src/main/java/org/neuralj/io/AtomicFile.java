package org.neuralj.io;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a file so that the target name holds either its old content or the complete new one, never a truncated
 * mix, whatever happens during the write (an exception, a full disk, a killed process, a power cut):
 *
 * <ol>
 * <li>write everything to a temporary file {@code .<name>.<pid>.<random>.tmp} in the target's folder (so the rename
 *     below stays on one file system), with the permissions of the file it replaces;
 * <li>flush and {@link FileChannel#force fsync} it, so its bytes are on disk before its name is;
 * <li>rename it over the target with {@link StandardCopyOption#ATOMIC_MOVE}, then fsync the folder (where the OS
 *     allows) so the rename itself is durable.
 * </ol>
 *
 * On failure the temporary file is deleted, the target is untouched and the exception names the target. A process
 * killed mid-write leaves its temporary file behind; the next save of the same target deletes those whose process
 * ({@code <pid>}) is no longer alive. Saving through a symbolic link writes the file the link points to, and the
 * link stays a link.
 */
public final class AtomicFile {
    private static final Logger log = LoggerFactory.getLogger(AtomicFile.class);
    /** {@code .<name>.<pid>.<random>.tmp}: group 1 is the name, group 2 the process id. */
    private static final Pattern TEMPORARY = Pattern.compile("\\.(.+)\\.([0-9]+)\\.[0-9a-z]+\\.tmp");

    /** What to write: the whole content, into a stream that the caller must not close. */
    @FunctionalInterface
    public interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    private AtomicFile() {
    }

    /** Atomically replaces (or creates) {@code target} with what {@code content} writes. */
    public static void write(Path target, Content content) throws IOException {
        java.util.Objects.requireNonNull(target, "target must not be null");
        java.util.Objects.requireNonNull(content, "content must not be null");
        write(target, content, UnaryOperator.identity());
    }

    /** As {@link #write(Path, Content)}, with the file stream wrapped by {@code wrap} (tests inject failures). */
    static void write(Path target, Content content, UnaryOperator<OutputStream> wrap) throws IOException {
        try {
            replace(resolveLinks(target.toAbsolutePath()), content, wrap);
        } catch (IOException e) {
            throw namingFile(target, "cannot save", e);
        }
    }

    /**
     * {@code e} if its message already names {@code file}, otherwise an exception of the same family that does (a full
     * disk reports only "No space left on device").
     */
    static IOException namingFile(Path file, String action, IOException e) {
        String message = String.valueOf(e.getMessage());
        if (e instanceof ModelFormatException || message.contains(file.toString())) {
            return e;
        }
        return new IOException(action + " " + file + ": " + message, e);
    }

    /** The file a chain of symbolic links ends at (which may not exist yet); {@code file} itself if it is no link. */
    private static Path resolveLinks(Path file) throws IOException {
        Path p = file;
        for (int hops = 0; Files.isSymbolicLink(p); hops++) {
            if (hops == 40) {
                throw new IOException(file + ": too many levels of symbolic links");
            }
            p = p.getParent().resolve(Files.readSymbolicLink(p)).normalize();
        }
        return p;
    }

    private static void replace(Path absolute, Content content, UnaryOperator<OutputStream> wrap) throws IOException {
        Path folder = absolute.getParent();
        String name = absolute.getFileName().toString();
        deleteStaleTemporaries(folder, name);
        Path temp = folder.resolve("." + name + "." + ProcessHandle.current().pid() + "."
                + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36) + ".tmp");
        // CREATE_NEW with the default permissions (not createTempFile's owner-only ones): a new model gets the same
        // permissions as any file the user creates; a name clash with another writer fails instead of mixing
        FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        boolean moved = false;
        try {
            // a file being replaced keeps its permissions: a private (0600) model must not become world-readable
            copyPermissions(absolute, temp);
            try (channel) {
                OutputStream out = new BufferedOutputStream(wrap.apply(Channels.newOutputStream(channel)), 1 << 16);
                content.writeTo(out);
                out.flush();
                channel.force(true);
            }
            try {
                Files.move(temp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("the file system of " + folder + " does not support atomic renames", e);
            }
            moved = true;
            syncFolder(folder);
        } finally {
            if (!moved) {
                Files.deleteIfExists(temp);
            }
        }
    }

    private static void copyPermissions(Path from, Path to) throws IOException {
        PosixFileAttributeView source = Files.getFileAttributeView(from, PosixFileAttributeView.class,
                LinkOption.NOFOLLOW_LINKS);
        if (source == null || !Files.exists(from, LinkOption.NOFOLLOW_LINKS)) {
            return; // a new file, or a file system without POSIX permissions
        }
        Set<PosixFilePermission> permissions = source.readAttributes().permissions();
        Files.setPosixFilePermissions(to, permissions);
    }

    /**
     * Deletes the temporary files that saves of {@code name} left when their process was killed: those whose process
     * id names no live process. Another live process's temporary file, or this process's, is left alone.
     */
    private static void deleteStaleTemporaries(Path folder, String name) {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(folder, "." + globEscape(name) + ".*.tmp")) {
            for (Path f : files) {
                Matcher m = TEMPORARY.matcher(f.getFileName().toString());
                if (!m.matches() || !m.group(1).equals(name)) {
                    continue;
                }
                long pid;
                try {
                    pid = Long.parseLong(m.group(2));
                } catch (NumberFormatException e) {
                    continue;
                }
                if (pid != ProcessHandle.current().pid() && ProcessHandle.of(pid).isEmpty()) {
                    Files.deleteIfExists(f);
                    log.info("deleted {}, left by an interrupted save of process {}", f, pid);
                }
            }
        } catch (IOException | RuntimeException e) {
            // cleaning up is a courtesy: it must never make the save itself fail
            log.debug("could not clean up stale temporary files of {} in {}: {}", name, folder, e.toString());
        }
    }

    private static String globEscape(String s) {
        return s.replaceAll("([\\\\*?\\[\\]{}])", "\\\\$1");
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
