package org.neuralj.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neuralj.core.Sequential;
import org.neuralj.layers.Dense;

/** A model file cannot make loading run out of memory: its header and its data are bounded before allocating. */
class ModelLimitsTest {
    @TempDir
    Path dir;

    /** A file with {@code header} (padded to 8 bytes) whose data part is {@code dataBytes} long, sparse. */
    private Path file(String name, String header, long dataBytes) throws IOException {
        byte[] json = header.getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + 7) / 8 * 8;
        Path file = dir.resolve(name);
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, padded).array());
            f.write(json);
            f.write(" ".repeat(padded - json.length).getBytes(StandardCharsets.US_ASCII));
            f.setLength(8 + padded + dataBytes); // a hole: nothing written, nothing taken on disk
        }
        return file;
    }

    @Test
    void aSparseFileDeclaringGigabytesOfWeightsIsRefusedBeforeAllocating() throws IOException {
        Path small = dir.resolve("small.safetensors");
        ModelFile.save(Sequential.builder().input(2).add(new Dense(1)).build(), small);
        String architecture = SafeTensors.open(small).metadata().get("architecture");
        long gib = 1L << 30;
        String header = "{\"__metadata__\":{\"format\":\"neuralj.Sequential\",\"format_version\":\"1\","
                + "\"architecture\":" + com.fasterxml.jackson.databind.node.TextNode.valueOf(architecture) + "},"
                + "\"0.weights\":{\"dtype\":\"F32\",\"shape\":[2,1],\"data_offsets\":[0,8]},"
                + "\"0.bias\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,12]},"
                + "\"big.0\":{\"dtype\":\"F32\",\"shape\":[" + gib + "],\"data_offsets\":[12," + (12 + 4 * gib) + "]},"
                + "\"big.1\":{\"dtype\":\"F32\",\"shape\":[" + gib + "],\"data_offsets\":[" + (12 + 4 * gib) + ","
                + (12 + 8 * gib) + "]}}";
        Path sparse = file("sparse.safetensors", header, 12 + 8 * gib);
        assertThatThrownBy(() -> ModelFile.load(sparse)).isInstanceOf(ModelFormatException.class)
                .hasMessageStartingWith(sparse + ": ")
                .hasMessageContaining(String.format(Locale.ROOT, "%,d bytes of tensor data", 12 + 8 * gib))
                .hasMessageContaining(String.format(Locale.ROOT, "limit of %,d", ModelLimits.DEFAULT_MAX_DATA_BYTES))
                .hasMessageContaining("ModelLimits.maxDataBytes");
        // a raised limit then meets the heap: still a refusal naming the file, never an OutOfMemoryError
        if (16 * gib > Runtime.getRuntime().maxMemory()) {
            assertThatThrownBy(() -> ModelFile.load(sparse, ModelLimits.defaults().maxDataBytes(1L << 40)))
                    .isInstanceOf(ModelFormatException.class).hasMessageStartingWith(sparse + ": ")
                    .hasMessageContaining("heap");
        }
    }

    @Test
    void aHeaderOverTheLimitIsRefusedBeforeItIsParsed() throws IOException {
        // 20 MB of tiny JSON values: within the format's 100 MB cap, but gigabytes as a parsed tree
        StringBuilder sb = new StringBuilder("{\"__metadata__\":{");
        for (int i = 0; sb.length() < 20_000_000; i++) {
            sb.append(i == 0 ? "" : ",").append('"').append(i).append("\":\"\"");
        }
        Path big = file("big-header.safetensors", sb.append("}}").toString(), 0);
        assertThatThrownBy(() -> ModelFile.load(big)).isInstanceOf(ModelFormatException.class)
                .hasMessageStartingWith(big + ": ").hasMessageContaining("bytes of header")
                .hasMessageContaining("limit of 16,777,216").hasMessageContaining("ModelLimits.maxHeaderBytes")
                .hasMessageContaining("(at byte 0)");
        // with the limit raised it is parsed, and refused for what it is: a safetensors file but no model
        assertThatThrownBy(() -> ModelFile.load(big, ModelLimits.defaults().maxHeaderBytes(32_000_000)))
                .isInstanceOf(ModelFormatException.class).hasMessageContaining("not a neuralj model");
        assertThat(Files.size(big)).isLessThan(21_000_000);
    }
}
