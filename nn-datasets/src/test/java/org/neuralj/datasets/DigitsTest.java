package org.neuralj.datasets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import org.junit.jupiter.api.Test;
import org.neuralj.core.Dataset;
import org.neuralj.core.Rng;

class DigitsTest {

    @Test
    void digitsAsImagesKeepTheirShapeThroughSplitsBatchesAndScaling() {
        Dataset images = Digits.loadImages();
        assertThat(images.features().shape()).containsExactly(Digits.SAMPLES, 1, 8, 8);
        assertThat(images.features().toArray()).containsExactly(Digits.load().features().toArray());
        Split split = Split.trainTest(Scaling.divide(images, 16), 0.2, new Rng(1));
        assertThat(split.train().features().shape()).containsExactly(1438, 1, 8, 8);
        assertThat(split.test().features().shape()).containsExactly(359, 1, 8, 8);
        assertThat(Batches.of(split.test(), 100, new Rng(2)).iterator().next().features().shape())
                .containsExactly(100, 1, 8, 8);
        assertThat(Scaling.standardize(split.train()).apply(split.test()).features().shape())
                .containsExactly(359, 1, 8, 8);
    }

    @Test
    void loadsAllSamplesWithPixelValuesAndLabelsInRange() {
        Dataset d = Digits.load();
        assertThat(d.size()).isEqualTo(1797);
        assertThat(d.features().cols()).isEqualTo(64);
        assertThat(d.targets().cols()).isEqualTo(10);
        for (float v : d.features().toArray()) {
            assertThat(v).isBetween(0f, 16f);
        }
        int[] counts = new int[10];
        for (int label : d.labels()) {
            counts[label]++;
        }
        for (int c : counts) {
            assertThat(c).as("each digit appears about 180 times").isBetween(170, 190);
        }
    }

    @Test
    void theEmbeddedResourceHasTheRecordedChecksumAndAttribution() throws Exception {
        try (InputStream in = Digits.class.getResourceAsStream(Digits.RESOURCE)) {
            assertThat(Digits.sha256(in.readAllBytes())).isEqualTo(Digits.SHA256);
        }
        try (InputStream notice = Digits.class.getResourceAsStream("digits.NOTICE")) {
            assertThat(new String(notice.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8))
                    .contains("UCI Machine Learning Repository", "CC BY 4.0", Digits.SHA256);
        }
        assertThat(Digits.sha256(new byte[] {1})).isNotEqualTo(Digits.SHA256);
    }

    @Test
    void corruptedBytesFailTheChecksumBeforeParsing() throws Exception {
        byte[] bytes;
        try (InputStream in = Digits.class.getResourceAsStream(Digits.RESOURCE)) {
            bytes = in.readAllBytes();
        }
        bytes[bytes.length / 2] ^= 1;
        byte[] corrupted = bytes;
        assertThatThrownBy(() -> Digits.parse(corrupted)).isInstanceOf(DataFormatException.class)
                .hasMessageContaining(Digits.RESOURCE).hasMessageContaining("SHA-256")
                .hasMessageContaining("expected " + Digits.SHA256);
    }
}
