package org.neuralj.datasets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neuralj.core.Dataset;

class IdxTest {
    @TempDir
    Path dir;

    private static byte[] idx(int magic, int[] dims, byte[] data) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + data.length);
        b.putInt(magic);
        for (int d : dims) {
            b.putInt(d);
        }
        b.put(data);
        return b.array();
    }

    private static byte[] gzip(byte[] bytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(bytes);
        }
        return out.toByteArray();
    }

    private Path write(String name, byte[] bytes) throws IOException {
        return Files.write(dir.resolve(name), bytes);
    }

    private static byte[] pixels(int n) {
        byte[] p = new byte[n];
        for (int i = 0; i < n; i++) {
            p[i] = (byte) (i * 7);
        }
        return p;
    }

    @Test
    void readsPlainAndGzipImagesAndLabels() throws IOException {
        byte[] img = idx(0x803, new int[] {3, 2, 2}, pixels(12));
        byte[] lab = idx(0x801, new int[] {3}, new byte[] {2, 0, 1});
        for (boolean compressed : new boolean[] {false, true}) {
            Path images = write("img" + compressed, compressed ? gzip(img) : img);
            Path labels = write("lab" + compressed, compressed ? gzip(lab) : lab);
            Dataset d = Idx.read(images, labels);
            assertThat(d.features().shape()).containsExactly(3, 4);
            assertThat(d.features().get(2, 3)).isEqualTo((11 * 7) & 0xff);
            assertThat(d.features().get(1, 1)).isEqualTo(35f);
            assertThat(d.labels()).containsExactly(2, 0, 1);
            assertThat(d.targets().cols()).isEqualTo(3);
        }
    }

    @Test
    void imagesComeAsOneChannelImagesOnRequest() throws IOException {
        Path images = write("img", idx(0x803, new int[] {3, 2, 2}, pixels(12)));
        Path labels = write("lab", idx(0x801, new int[] {3}, new byte[] {2, 0, 1}));
        Dataset d = Idx.read(images, labels, 3, Idx.Layout.IMAGES);
        assertThat(d.features().shape()).containsExactly(3, 1, 2, 2);
        assertThat(d.features().toArray()).containsExactly(Idx.readImages(images).toArray());
        assertThat(Idx.readImages(images, Idx.Layout.IMAGES).shape()).containsExactly(3, 1, 2, 2);
    }

    @Test
    void wrongMagicNamesFileOffsetAndExpectation() throws IOException {
        Path labels = write("labels", idx(0x801, new int[] {3}, new byte[3]));
        assertThatThrownBy(() -> Idx.readImages(labels)).isInstanceOf(DataFormatException.class)
                .hasMessageContaining(labels.toString()).hasMessageContaining("byte offset 0")
                .hasMessageContaining("0x00000801").hasMessageContaining("0x00000803");
    }

    @Test
    void truncatedDataNamesTheOffset() throws IOException {
        Path f = write("short", idx(0x803, new int[] {2, 2, 2}, pixels(5)));
        assertThatThrownBy(() -> Idx.readImages(f)).isInstanceOf(DataFormatException.class)
                .hasMessageContaining("truncated at byte offset 21").hasMessageContaining("8 values");
        Path header = write("header", Arrays.copyOf(idx(0x803, new int[] {2, 2, 2}, new byte[0]), 10));
        assertThatThrownBy(() -> Idx.readImages(header)).isInstanceOf(DataFormatException.class)
                .hasMessageContaining("inside the header");
    }

    @Test
    void absurdOrNonPositiveDimensionsAreRejectedBeforeAllocating() throws IOException {
        Path huge = write("huge", idx(0x803, new int[] {Integer.MAX_VALUE, 30000, 30000}, new byte[0]));
        assertThatThrownBy(() -> Idx.readImages(huge)).isInstanceOf(DataFormatException.class)
                .hasMessageContaining("more than " + Idx.MAX_VALUES);
        // a plausible header over a tiny file: only the bytes present are ever buffered
        Path lying = write("lying", idx(0x803, new int[] {60000, 28, 28}, pixels(100)));
        assertThatThrownBy(() -> Idx.readImages(lying)).isInstanceOf(DataFormatException.class)
                .hasMessageContaining("only 100 follow");
        Path zero = write("zero", idx(0x801, new int[] {0}, new byte[0]));
        assertThatThrownBy(() -> Idx.readLabels(zero)).isInstanceOf(DataFormatException.class)
                .hasMessageContaining("dimension 0 is 0");
    }

    @Test
    void mismatchedCountsTrailingBytesAndBadLabelsAreNamed() throws IOException {
        Path images = write("img", idx(0x803, new int[] {3, 1, 1}, pixels(3)));
        Path twoLabels = write("lab2", idx(0x801, new int[] {2}, new byte[2]));
        assertThatThrownBy(() -> Idx.read(images, twoLabels)).isInstanceOf(DataFormatException.class)
                .hasMessageContaining("3 images").hasMessageContaining("2 labels");
        Path trailing = write("trail", idx(0x801, new int[] {2}, new byte[3]));
        assertThatThrownBy(() -> Idx.readLabels(trailing)).isInstanceOf(DataFormatException.class)
                .hasMessageContaining("byte offset 10").hasMessageContaining("continues past");
        Path labels = write("lab", idx(0x801, new int[] {3}, new byte[] {0, 9, 1}));
        assertThatThrownBy(() -> Idx.read(images, labels, 5)).isInstanceOf(DataFormatException.class)
                .hasMessageContaining("label 9 of item 1").hasMessageContaining("0..4");
    }

    @Test
    void corruptGzipIsReported() throws IOException {
        byte[] gz = gzip(idx(0x801, new int[] {100}, new byte[100]));
        Path truncated = write("cut.gz", Arrays.copyOf(gz, gz.length - 12));
        assertThatThrownBy(() -> Idx.readLabels(truncated)).isInstanceOf(DataFormatException.class)
                .hasMessageContaining(truncated.toString());
        byte[] garbled = gz.clone();
        for (int i = 12; i < garbled.length - 8; i++) {
            garbled[i] ^= 0x5a;
        }
        Path bad = write("bad.gz", garbled);
        assertThatThrownBy(() -> Idx.readLabels(bad)).isInstanceOf(DataFormatException.class)
                .hasMessageContaining(bad.toString());
    }

    @Test
    void readsDebiansFashionMnistWhenInstalled() {
        Path dir = Path.of("/usr/share/datasets/fashion-mnist");
        assumeTrue(Files.isDirectory(dir), "Debian's dataset-fashion-mnist is not installed");
        Dataset test = Idx.readFolder(dir, false, 10);
        assertThat(test.features().shape()).containsExactly(10000, 784);
        assertThat(Idx.readFolder(dir, false, 10, Idx.Layout.IMAGES).features().shape())
                .containsExactly(10000, 1, 28, 28);
        int[] counts = new int[10];
        for (int l : test.labels()) {
            counts[l]++;
        }
        assertThat(counts).containsOnly(1000);
        assertThatThrownBy(() -> Idx.readFolder(this.dir, true, 10)).isInstanceOf(DataFormatException.class)
                .hasMessageContaining("train-images-idx3-ubyte");
    }

    @Test
    void streamsAreReadUnderACallerChosenLimit() throws IOException {
        byte[] labels = idx(0x801, new int[] {4}, new byte[] {3, 1, 4, 1});
        assertThat(Idx.readLabels(new java.io.ByteArrayInputStream(labels), "mem", 4)).containsExactly(3, 1, 4, 1);
        // a small gzip that inflates to a million labels is refused from its header, before any data is buffered
        byte[] bomb = gzip(idx(0x801, new int[] {1_000_000}, new byte[1_000_000]));
        assertThatThrownBy(() -> Idx.readLabels(new java.io.ByteArrayInputStream(bomb), "bomb.gz", 1000))
                .isInstanceOf(DataFormatException.class).hasMessageContaining("bomb.gz: byte offset 4")
                .hasMessageContaining("more than 1000 values");
        byte[] images = idx(0x803, new int[] {1, 2, 3}, pixels(6));
        assertThat(Idx.readImages(new java.io.ByteArrayInputStream(gzip(images)), "mem", 6).shape())
                .containsExactly(1, 6);
    }
}
