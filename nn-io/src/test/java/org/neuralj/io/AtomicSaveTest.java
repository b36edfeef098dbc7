package org.neuralj.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neuralj.core.Sequential;
import org.neuralj.core.Tensor;
import org.neuralj.layers.Dense;
import org.neuralj.layers.Tanh;

/** A save that fails half-way leaves the previous file intact and no temporary file behind. */
class AtomicSaveTest {
    @TempDir
    Path dir;

    /** A disk that fills up after {@code limit} bytes. */
    private static final class FailingAfter extends FilterOutputStream {
        private long left;

        FailingAfter(OutputStream out, long limit) {
            super(out);
            this.left = limit;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            int n = (int) Math.min(len, left);
            out.write(b, off, n);
            left -= n;
            if (n < len) {
                throw new IOException("No space left on device (simulated)");
            }
        }
    }

    private static Sequential net(long seed) {
        return Sequential.builder().input(100).add(new Dense(200)).add(new Tanh()).add(new Dense(10)).seed(seed)
                .build();
    }

    private Stream<Path> files() throws IOException {
        return Files.list(dir);
    }

    @Test
    void aWriteFailingHalfWayLeavesTheOldModelIntactAndNoTemporaryFile() throws IOException {
        Path file = dir.resolve("model.safetensors");
        Sequential old = net(1);
        ModelFile.save(old, file);
        byte[] before = Files.readAllBytes(file);

        Sequential newer = net(2);
        long halfWay = before.length / 2;
        assertThatThrownBy(() -> ModelFile.save(newer, file, Map.of(), Map.of(), out -> new FailingAfter(out, halfWay)))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("No space left on device");

        assertThat(Files.readAllBytes(file)).isEqualTo(before);
        try (Stream<Path> files = files()) {
            assertThat(files).containsExactly(file);
        }
        Tensor x = ModelFileTest.input(4, 100, 3);
        assertThat(ModelFile.load(file).predict(x).contentEquals(old.predict(x))).isTrue();
    }

    @Test
    void aFailureBeforeTheFirstByteCreatesNothing() throws IOException {
        Path file = dir.resolve("fresh.safetensors");
        assertThatThrownBy(() -> ModelFile.save(net(1), file, Map.of(), Map.of(), out -> new FailingAfter(out, 0)))
                .isInstanceOf(IOException.class);
        try (Stream<Path> files = files()) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void anExceptionThrownByTheContentMidWriteAlsoLeavesTheTargetAlone() throws IOException {
        Path file = dir.resolve("data.bin");
        Files.write(file, new byte[] {1, 2, 3});
        assertThatThrownBy(() -> AtomicFile.write(file, out -> {
            out.write(new byte[5000]);
            throw new IllegalStateException("the content broke mid-write");
        })).hasMessage("the content broke mid-write");
        assertThat(Files.readAllBytes(file)).containsExactly(1, 2, 3);
        try (Stream<Path> files = files()) {
            assertThat(files).containsExactly(file);
        }
    }

    @Test
    void aSuccessfulSaveReplacesTheOldFileWhole() throws IOException {
        Path file = dir.resolve("model.safetensors");
        ModelFile.save(net(1), file);
        Sequential newer = net(2);
        ModelFile.save(newer, file);
        Tensor x = ModelFileTest.input(4, 100, 3);
        assertThat(ModelFile.load(file).predict(x).contentEquals(newer.predict(x))).isTrue();
        try (Stream<Path> files = files()) {
            assertThat(files).containsExactly(file);
        }
    }

    @Test
    void aFullDiskNamesTheFile() throws IOException {
        Path file = dir.resolve("model.safetensors");
        assertThatThrownBy(() -> ModelFile.save(net(1), file, Map.of(), Map.of(), out -> new FailingAfter(out, 100)))
                .isInstanceOf(IOException.class).hasMessageContaining(file.toString())
                .hasMessageContaining("No space left on device");
    }

    @Test
    void reSavingKeepsThePermissionsOfTheFileItReplaces() throws IOException {
        Path file = dir.resolve("private.safetensors");
        ModelFile.save(net(1), file);
        java.util.Set<java.nio.file.attribute.PosixFilePermission> owner =
                java.nio.file.attribute.PosixFilePermissions.fromString("rw-------");
        Files.setPosixFilePermissions(file, owner);
        ModelFile.save(net(2), file);
        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(owner);
        Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-rw-r--"));
        ModelFile.save(net(3), file);
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-rw-r--");
    }

    @Test
    void savingThroughASymbolicLinkWritesItsTargetAndKeepsTheLink() throws IOException {
        Path models = Files.createDirectory(dir.resolve("models"));
        Path real = models.resolve("v1.safetensors");
        ModelFile.save(net(1), real);
        Path link = Files.createSymbolicLink(dir.resolve("current.safetensors"), dir.relativize(real));
        Sequential newer = net(2);
        ModelFile.save(newer, link);
        assertThat(Files.isSymbolicLink(link)).isTrue();
        Tensor x = ModelFileTest.input(4, 100, 3);
        assertThat(ModelFile.load(real).predict(x).contentEquals(newer.predict(x))).isTrue();
        // a link to a file not yet there: the file is created where the link points
        Path dangling = Files.createSymbolicLink(dir.resolve("next.safetensors"), models.resolve("v2.safetensors"));
        ModelFile.save(newer, dangling);
        assertThat(Files.isSymbolicLink(dangling)).isTrue();
        assertThat(models.resolve("v2.safetensors")).isRegularFile();
    }

    @Test
    void aSaveDeletesTheTemporaryFilesOfKilledSavesOfTheSameTarget() throws Exception {
        Path file = dir.resolve("model.safetensors");
        Process finished = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-version").redirectErrorStream(true).start();
        finished.getInputStream().readAllBytes();
        finished.waitFor();
        long dead = finished.pid();
        long alive = ProcessHandle.current().pid();
        Path stale = Files.write(dir.resolve(".model.safetensors." + dead + ".k3x9.tmp"), new byte[1000]);
        Path live = Files.write(dir.resolve(".model.safetensors." + alive + ".a1b2.tmp"), new byte[10]);
        Path other = Files.write(dir.resolve(".other.safetensors." + dead + ".zz.tmp"), new byte[10]);
        ModelFile.save(net(1), file);
        assertThat(stale).doesNotExist();
        assertThat(live).as("a live process's save in progress").exists();
        assertThat(other).as("another target's").exists();
    }
}
