package org.neuralj.datasets;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Jazzer fuzz test of the IDX reader: whatever the bytes (plain or gzip), {@link Idx#readImages} and
 * {@link Idx#readLabels} return data or throw a {@link DataFormatException}; any other exception, an
 * {@link OutOfMemoryError} or a hang is a finding. {@code mvn verify} replays the seed corpus in
 * {@code src/test/resources/org/neuralj/datasets/IdxFuzzTestInputs/<method>/} (gzip bombs among them);
 * {@code JAZZER_FUZZ=1} fuzzes for real, with inputs up to 1 MiB ({@code junit-platform.properties}; see
 * docs/reliability.md).
 */
class IdxFuzzTest {
    private static final Path FILE = temporaryFile();
    /** Small limits keep the fuzzer's own memory bounded and let its inputs reach the refusals. */
    static final DataLimits LIMITS = DataLimits.defaults().maxValues(1 << 16).maxBytes(1 << 18);

    static Path temporaryFile() {
        try {
            Path file = Files.createTempFile("neuralj-fuzz-", ".idx");
            file.toFile().deleteOnExit();
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @FuzzTest(maxDuration = "5m")
    void readImages(byte[] bytes) throws IOException {
        Files.write(FILE, bytes);
        try {
            Idx.readImages(FILE, Idx.Layout.FLAT, LIMITS);
        } catch (DataFormatException expected) {
            // the documented outcome for a bad file
        }
    }

    @FuzzTest(maxDuration = "5m")
    void readLabels(byte[] bytes) throws IOException {
        Files.write(FILE, bytes);
        try {
            Idx.readLabels(FILE, LIMITS);
        } catch (DataFormatException expected) {
            // the documented outcome for a bad file
        }
    }
}
