package org.neuralj.datasets;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;

/**
 * Jazzer fuzz test of the CSV reader: whatever the bytes (plain or gzip), {@link Csv#read} returns a data set or
 * throws a {@link DataFormatException}; any other exception, an {@link OutOfMemoryError} or a hang is a finding.
 * {@code mvn verify} replays the seed corpus in {@code src/test/resources/org/neuralj/datasets/CsvFuzzTestInputs/read/}
 * (gzip bombs and long lines among them); {@code JAZZER_FUZZ=1} fuzzes for real, with inputs up to 1 MiB (see
 * docs/reliability.md).
 */
class CsvFuzzTest {
    /** Small limits keep the fuzzer's own memory bounded and let its inputs reach the refusals. */
    private static final DataLimits LIMITS = IdxFuzzTest.LIMITS.maxLineChars(1 << 12);

    @FuzzTest(maxDuration = "5m")
    void read(byte[] bytes) {
        try {
            Csv.read(new ByteArrayInputStream(bytes), "fuzz input", Csv.options().limits(LIMITS));
        } catch (DataFormatException expected) {
            // the documented outcome for bad input
        }
    }
}
