package org.neuralj.datasets;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;

/**
 * Jazzer fuzz test of the CSV reader: whatever the bytes (plain or gzip), {@link Csv#read} returns a data set or
 * throws a {@link DataFormatException}; any other exception, an {@link OutOfMemoryError} or a hang is a finding.
 * {@code mvn verify} replays the seed corpus in {@code src/test/resources/org/neuralj/datasets/CsvFuzzTestInputs/read/};
 * {@code JAZZER_FUZZ=1} fuzzes for real (see docs/readme-saving.md).
 */
class CsvFuzzTest {

    @FuzzTest(maxDuration = "5m")
    void read(byte[] bytes) {
        try {
            Csv.read(new ByteArrayInputStream(bytes), "fuzz input", Csv.options());
        } catch (DataFormatException expected) {
            // the documented outcome for bad input
        }
    }
}
