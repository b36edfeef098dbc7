package org.neuralj.datasets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neuralj.core.Dataset;

class CsvTest {
    @TempDir
    Path dir;

    private Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    @Test
    void readsFeaturesAndLabelsWithHeaderChosenColumnAndDelimiter() throws IOException {
        Path f = write("a.csv", "label;x;y\n1;0.5;2\n0;-1;3e2\n\n2;4;5\n");
        Dataset d = Csv.read(f, Csv.options().header(true).labelColumn(0).delimiter(';'));
        assertThat(d.features().toArray()).containsExactly(0.5f, 2f, -1f, 300f, 4f, 5f);
        assertThat(d.labels()).containsExactly(1, 0, 2);
        assertThat(d.targets().cols()).isEqualTo(3);
    }

    @Test
    void readsGzip() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write("1,2,0\n3,4,1\n".getBytes(StandardCharsets.UTF_8));
        }
        Path f = Files.write(dir.resolve("b.csv.gz"), out.toByteArray());
        assertThat(Csv.read(f).features().toArray()).containsExactly(1, 2, 3, 4);
    }

    @Test
    void raggedRowsNonNumbersAndBadLabelsNameRowAndColumn() throws IOException {
        Path ragged = write("r.csv", "1,2,0\n3,1\n");
        assertThatThrownBy(() -> Csv.read(ragged)).isInstanceOf(DataFormatException.class)
                .hasMessageContaining(ragged.toString()).hasMessageContaining("row 2 has 2 columns but row 1 has 3");
        Path word = write("w.csv", "x,y,l\n1,2,0\n3,abc,1\n");
        assertThatThrownBy(() -> Csv.read(word, Csv.options().header(true))).isInstanceOf(DataFormatException.class)
                .hasMessageContaining("row 3, column 2").hasMessageContaining("\"abc\"");
        Path nan = write("n.csv", "1,NaN,0\n");
        assertThatThrownBy(() -> Csv.read(nan)).isInstanceOf(DataFormatException.class)
                .hasMessageContaining("row 1, column 2").hasMessageContaining("finite");
        Path label = write("l.csv", "1,2,0\n3,4,1.5\n");
        assertThatThrownBy(() -> Csv.read(label)).isInstanceOf(DataFormatException.class)
                .hasMessageContaining("row 2, column 3").hasMessageContaining("1.5");
        Path range = write("k.csv", "1,2,0\n3,4,7\n");
        assertThatThrownBy(() -> Csv.read(range, Csv.options().classes(3))).isInstanceOf(DataFormatException.class)
                .hasMessageContaining("row 2, column 3").hasMessageContaining("label 7").hasMessageContaining("0..2");
        Path empty = write("e.csv", "a,b\n");
        assertThatThrownBy(() -> Csv.read(empty, Csv.options().header(true))).isInstanceOf(DataFormatException.class)
                .hasMessageContaining("no data rows");
        Path huge = write("h.csv", "1,2,2000000000\n");
        assertThatThrownBy(() -> Csv.read(huge)).isInstanceOf(DataFormatException.class)
                .hasMessageContaining("Options.classes");
    }

    @Test
    void truncatedGzipNamesTheFile() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            for (int i = 0; i < 200; i++) {
                gz.write((i + "," + (i * 3 % 7) + ",1\n").getBytes(StandardCharsets.UTF_8));
            }
        }
        byte[] bytes = out.toByteArray();
        Path f = Files.write(dir.resolve("cut.csv.gz"), java.util.Arrays.copyOf(bytes, bytes.length / 2));
        assertThatThrownBy(() -> Csv.read(f)).isInstanceOf(DataFormatException.class)
                .hasMessageContaining(f.toString()).hasMessageContaining("gzip");
    }

    @Test
    void onlyPlainDecimalNumbersAreAccepted() throws IOException {
        for (String cell : new String[] {"1f", "0x1p3", "Infinity", "", "1,5"}) {
            Path f = write("d.csv", "2,2,0\n" + cell + ";3;1\n".replace(';', ','));
            if (cell.equals("1,5")) {
                assertThatThrownBy(() -> Csv.read(f)).isInstanceOf(DataFormatException.class)
                        .hasMessageContaining("row 2 has 4 columns but row 1 has 3");
            } else {
                assertThatThrownBy(() -> Csv.read(f)).as(cell).isInstanceOf(DataFormatException.class)
                        .hasMessageContaining("row 2, column 1").hasMessageContaining("\"" + cell + "\"");
            }
        }
    }

    @Test
    void aByteOrderMarkIsSkippedAndALabelColumnOutsideTheRowIsNamed() throws IOException {
        Path bom = write("bom.csv", "\uFEFF1.5,0\n2.5,1\n");
        assertThat(Csv.read(bom).features().toArray()).containsExactly(1.5f, 2.5f);
        assertThatThrownBy(() -> Csv.read(bom, Csv.options().labelColumn(2))).isInstanceOf(DataFormatException.class)
                .hasMessageContaining("label column 2").hasMessageContaining("2 columns of row 1");
    }

    /** An endless stream of zero bytes, like /dev/zero. */
    private static java.io.InputStream zeros() {
        return new java.io.InputStream() {
            @Override
            public int read() {
                return 0;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                java.util.Arrays.fill(b, off, off + len, (byte) 0);
                return len;
            }
        };
    }

    private static byte[] gzip(String text) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }

    @Test
    void aLineWithoutEndIsRefusedAtTheLineLimit() {
        assertTimeoutPreemptively(java.time.Duration.ofSeconds(30), () ->
                assertThatThrownBy(() -> Csv.read(zeros(), "/dev/zero", Csv.options()))
                        .isInstanceOf(DataFormatException.class).hasMessageContaining("/dev/zero: row 1")
                        .hasMessageContaining("longer than 4,194,304 characters")
                        .hasMessageContaining("DataLimits.maxLineChars"));
        assertThatThrownBy(() -> Csv.read(new java.io.ByteArrayInputStream("1,2,0\n1,22222,1\n".getBytes(
                StandardCharsets.UTF_8)), "short", Csv.options().limits(DataLimits.defaults().maxLineChars(6))))
                .isInstanceOf(DataFormatException.class).hasMessageContaining("short: row 2");
    }

    @Test
    void aSmallGzipCannotAskForAHugeOneHotMatrix() throws IOException {
        // 16,384 rows whose largest label is 65,535: a 4 GiB one-hot matrix from a few hundred bytes
        byte[] bomb = gzip("0,0\n".repeat(16_383) + "0,65535\n");
        assertThat(bomb.length).isLessThan(400);
        assertThatThrownBy(() -> Csv.read(new java.io.ByteArrayInputStream(bomb), "bomb.csv.gz", Csv.options()))
                .isInstanceOf(DataFormatException.class).hasMessageContaining("bomb.csv.gz")
                .hasMessageContaining("16,384 rows of 65,536 classes").hasMessageContaining("limit of 268,435,456");
    }

    @Test
    void decompressedSizeAndValueCountAreCappedWhileReading() throws IOException {
        // 97 kB of gzip inflating to 100 MB of zeros and commas
        byte[] bomb = gzip("0,".repeat(50_000_000) + "0\n");
        assertThatThrownBy(() -> Csv.read(new java.io.ByteArrayInputStream(bomb), "b.csv.gz",
                Csv.options().limits(DataLimits.defaults().maxBytes(1 << 20).maxLineChars(1 << 30))))
                .isInstanceOf(DataFormatException.class).hasMessageContaining("b.csv.gz: more than 1,048,576 bytes")
                .hasMessageContaining("DataLimits.maxBytes");
        String rows = "1,2,3,0\n".repeat(400);
        assertThatThrownBy(() -> Csv.read(new java.io.ByteArrayInputStream(rows.getBytes(StandardCharsets.UTF_8)),
                "rows.csv", Csv.options().limits(DataLimits.defaults().maxValues(1000))))
                .isInstanceOf(DataFormatException.class).hasMessageContaining("rows.csv: row 334")
                .hasMessageContaining("limit of 1,000");
    }

    @Test
    void quotedFieldsMayHoldSeparatorsQuotesAndLineBreaks() throws IOException {
        Path f = write("q.csv", "\"height, cm\",\"say \"\"hi\"\"\",\"note\nover two lines\",label\n"
                + "\"1.5\",2,3,\"0\"\r\n4,\" 5 \",6,1\n");
        Dataset d = Csv.read(f, Csv.options().header(true));
        assertThat(d.features().toArray()).containsExactly(1.5f, 2f, 3f, 4f, 5f, 6f);
        assertThat(d.labels()).containsExactly(0, 1);
        Path semicolons = write("s.csv", "\"1;5\";0\n2;1\n");
        assertThatThrownBy(() -> Csv.read(semicolons, Csv.options().delimiter(';')))
                .isInstanceOf(DataFormatException.class).hasMessageContaining("row 1, column 1")
                .hasMessageContaining("\"1;5\" is not a finite number");
    }

    @Test
    void rowsAreNumberedByTheLineTheyStartOn() throws IOException {
        // row 1 spans lines 1 to 3, so the bad cell is on the row starting at line 5
        Path f = write("lines.csv", "1,\"2\n\n\",0\n3,4,1\n5,x,1\n");
        assertThatThrownBy(() -> Csv.read(f)).isInstanceOf(DataFormatException.class)
                .hasMessageContaining("row 5, column 2").hasMessageContaining("\"x\"");
    }

    @Test
    void errorsInQuotedFieldsNameRowAndColumn() throws IOException {
        Path after = write("after.csv", "1,2,0\n3,\"4\"x,1\n");
        assertThatThrownBy(() -> Csv.read(after)).isInstanceOf(DataFormatException.class)
                .hasMessageContaining(after.toString()).hasMessageContaining("row 2, column 2")
                .hasMessageContaining("after closing quote");
        Path unclosed = write("open.csv", "1,2,0\n3,\"4,1\n5,6,1\n");
        assertThatThrownBy(() -> Csv.read(unclosed)).isInstanceOf(DataFormatException.class)
                .hasMessageContaining("row 2 has 2 columns but row 1 has 3")
                .hasMessageContaining("column 2 is a quoted field spanning several lines (an unclosed quote?)");
        Path word = write("word.csv", "1,2,0\n\"3\",\"four\",1\n");
        assertThatThrownBy(() -> Csv.read(word)).isInstanceOf(DataFormatException.class)
                .hasMessageContaining("row 2, column 2: \"four\" is not a finite number");
    }

    @Test
    void anUnclosedQuoteIsRefusedAtTheRowLimit() {
        // a quote that never closes would otherwise buffer the rest of the input as one field
        String text = "1,2,0\n\"" + "3,4,1\n".repeat(20_000);
        assertThatThrownBy(() -> Csv.read(new java.io.ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)),
                "open.csv", Csv.options().limits(DataLimits.defaults().maxLineChars(1000))))
                .isInstanceOf(DataFormatException.class).hasMessageContaining("open.csv: row 2 is longer than 1,000")
                .hasMessageContaining("DataLimits.maxLineChars");
        String empties = "1,2,0\n" + ",".repeat(5000) + "\n";
        assertThatThrownBy(() -> Csv.read(new java.io.ByteArrayInputStream(empties.getBytes(StandardCharsets.UTF_8)),
                "commas.csv", Csv.options().limits(DataLimits.defaults().maxLineChars(1000))))
                .isInstanceOf(DataFormatException.class).hasMessageContaining("commas.csv: row 2 is longer than 1,000");
    }

    @Test
    void unlabelledRowsReadAsFeaturesAndTheFirstRowTellsTheColumns() throws IOException {
        Path f = write("u.csv", "a,\"b, c\"\n1,2\n3,\"4\"\n");
        Csv.Options header = Csv.options().header(true);
        assertThat(Csv.columns(f, header)).isEqualTo(2);
        assertThat(Csv.columns(write("l.csv", "1,2,0\nnot read,,\n"), Csv.options())).isEqualTo(3);
        org.neuralj.core.Tensor x = Csv.readFeatures(f, header);
        assertThat(x.shape()).containsExactly(2, 2);
        assertThat(x.toArray()).containsExactly(1f, 2f, 3f, 4f);
        assertThat(Csv.readFeatures(write("one.csv", "5\n6\n"), Csv.options()).shape()).containsExactly(2, 1);
        Path bad = write("b.csv", "1,2\n3,x\n");
        assertThatThrownBy(() -> Csv.readFeatures(bad, Csv.options())).isInstanceOf(DataFormatException.class)
                .hasMessageContaining("row 2, column 2").hasMessageContaining("\"x\"");
        assertThatThrownBy(() -> Csv.columns(write("h.csv", "only,a,header\n"), header))
                .isInstanceOf(DataFormatException.class).hasMessageContaining("no data rows after the header");
    }

    @Test
    void nullArgumentsAreNamed() {
        assertThatThrownBy(() -> Csv.read((Path) null)).isInstanceOf(NullPointerException.class)
                .hasMessage("file must not be null");
        assertThatThrownBy(() -> Csv.read(dir, null)).hasMessage("options must not be null");
        assertThatThrownBy(() -> Idx.readImages((Path) null)).hasMessage("file must not be null");
        assertThatThrownBy(() -> Idx.read(dir, null, 10)).hasMessage("labels must not be null");
        assertThatThrownBy(() -> Csv.options().limits(null)).hasMessageContaining("limits must not be null");
    }
}
