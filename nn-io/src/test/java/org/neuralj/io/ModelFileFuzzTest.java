package org.neuralj.io;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Jazzer fuzz test of the model loader: whatever the bytes, {@link ModelFile#load} returns a network or throws a
 * {@link ModelFormatException}; any other exception, an {@link OutOfMemoryError} or a hang is a finding.
 *
 * <p>{@code mvn verify} runs it in regression mode over the seed corpus in
 * {@code src/test/resources/org/neuralj/io/ModelFileFuzzTestInputs/loadModel/} (valid files, damaged ones, a
 * header and data over the limits).
 * To fuzz for real with inputs up to 1 MiB (see docs/reliability.md):
 * {@code JAZZER_FUZZ=1 mvn -B verify -pl nn-io -am -Dtest=ModelFileFuzzTest -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class ModelFileFuzzTest {
    private static final Path FILE = temporaryFile();
    /** Small limits keep the fuzzer's own memory bounded and let its inputs reach the refusals. */
    private static final ModelLimits LIMITS = ModelLimits.defaults().maxHeaderBytes(1 << 14).maxDataBytes(1 << 22);

    private static Path temporaryFile() {
        try {
            Path file = Files.createTempFile("neuralj-fuzz-", ".safetensors");
            file.toFile().deleteOnExit();
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @FuzzTest(maxDuration = "5m")
    void loadModel(byte[] bytes) throws IOException {
        Files.write(FILE, bytes);
        try {
            ModelFile.load(FILE, LIMITS);
        } catch (ModelFormatException expected) {
            // the documented outcome for a bad file
        }
    }
}
