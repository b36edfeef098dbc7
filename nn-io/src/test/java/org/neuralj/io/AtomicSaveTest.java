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
}
