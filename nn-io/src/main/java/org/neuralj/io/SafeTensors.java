package org.neuralj.io;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.zip.CRC32C;
import org.neuralj.core.Tensor;

/**
 * The safetensors container: named float32 tensors plus string metadata, readable by Python's {@code safetensors}
 * and PyTorch.
 *
 * <pre>
 * bytes 0..8        N, the header length, unsigned 64-bit little-endian
 * bytes 8..8+N      UTF-8 JSON: {"__metadata__": {string: string, ...},
 *                                "name": {"dtype": "F32", "shape": [d0, d1, ...], "data_offsets": [begin, end]}, ...}
 *                   padded with spaces to a multiple of 8 bytes
 * bytes 8+N..       the data: each tensor's values as little-endian float32, row-major, at [begin, end) relative to
 *                   the start of the data; the tensors cover the data exactly, without gaps or overlaps
 * </pre>
 *
 * {@link #open} reads and checks the whole header before allocating anything for the data, so a damaged or hostile
 * file costs at most its header (capped at {@value #MAX_HEADER_BYTES} bytes) before it is refused with a
 * {@link ModelFormatException}. An open file keeps its channel so that the data read later is the data checked now.
 */
public final class SafeTensors implements Closeable {
    /** The largest header accepted, as in the reference implementation: 100 MB. */
    public static final long MAX_HEADER_BYTES = 100_000_000L;
    static final String METADATA_KEY = "__metadata__";
    /**
     * The metadata entry holding each tensor's CRC32C (Castagnoli) over its data bytes, as JSON
     * {@code {"<tensor>": "<8 hex digits>", ...}}; written by {@link #write}, verified by {@link #readInto} when present.
     */
    public static final String CHECKSUM_KEY = "neuralj.crc32c";
    private static final Set<String> ENTRY_KEYS = Set.of("dtype", "shape", "data_offsets");
    /** The safetensors dtypes this reader knows but does not read (it reads F32 only). */
    private static final Set<String> OTHER_DTYPES = Set.of("BOOL", "U8", "I8", "F8_E5M2", "F8_E4M3", "I16", "U16",
            "F16", "BF16", "I32", "U32", "F64", "I64", "U64");
    private static final int CHUNK_BYTES = 1 << 16;

    /**
     * One tensor as the header describes it.
     *
     * @param begin offset of its first byte, relative to the start of the data
     * @param end   offset just past its last byte
     */
    public record Entry(String name, int[] shape, long begin, long end) {
        /** The number of float values, the product of the shape. */
        public int size() {
            return (int) ((end - begin) / Float.BYTES);
        }
    }

    private final Path file;
    private final FileChannel channel;
    private final long dataStart;
    private final Map<String, Entry> entries;
    private final Map<String, String> metadata;
    /** Each tensor's CRC32C from {@link #CHECKSUM_KEY}; empty for a file written without them. */
    private final Map<String, Integer> checksums;

    private SafeTensors(Path file, FileChannel channel, long dataStart, Map<String, Entry> entries,
                        Map<String, String> metadata, Map<String, Integer> checksums) {
        this.file = file;
        this.channel = channel;
        this.dataStart = dataStart;
        this.entries = entries;
        this.metadata = metadata;
        this.checksums = checksums;
    }

    // ---------------------------------------------------------------- reading

    /**
     * Opens {@code file} and checks its header: length within the file and the cap, UTF-8 JSON object, every entry an
     * F32 tensor whose byte range matches its shape, lies inside the file and does not overlap another, the ranges
     * covering the data exactly, metadata values all strings.
     *
     * @throws ModelFormatException naming the file, the problem and the byte offset
     */
    public static SafeTensors open(Path file) throws IOException {
        return open(file, ModelLimits.defaults());
    }

    /**
     * {@link #open(Path)} under caller-chosen {@code limits}: the header must fit {@link ModelLimits#maxHeaderBytes}
     * and, parsed, the free heap; the data {@link ModelLimits#maxDataBytes} and, loaded, the free heap.
     */
    public static SafeTensors open(Path file, ModelLimits limits) throws IOException {
        java.util.Objects.requireNonNull(file, "file must not be null");
        java.util.Objects.requireNonNull(limits, "limits must not be null");
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
        try {
            return readHeader(file, channel, limits);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    private static SafeTensors readHeader(Path file, FileChannel channel, ModelLimits limits) throws IOException {
        long fileSize = channel.size();
        if (fileSize < 8) {
            throw new ModelFormatException(file, 0, "the file has " + fileSize
                    + " bytes, too few for the 8-byte header length of a safetensors file");
        }
        ByteBuffer lengthBytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        readFully(file, channel, lengthBytes, 0);
        long headerLength = lengthBytes.getLong(0);
        if (headerLength < 2 || headerLength > MAX_HEADER_BYTES || headerLength > fileSize - 8) {
            throw new ModelFormatException(file, 0, "header length " + Long.toUnsignedString(headerLength)
                    + " is impossible: it must be at least 2, at most " + MAX_HEADER_BYTES + " and at most the "
                    + (fileSize - 8) + " bytes that follow it in the file");
        }
        // parsing costs many times the header's size: refuse what the limit or the heap cannot take before reading it
        limits.requireHeader(file, headerLength);
        ByteBuffer headerBytes = ByteBuffer.allocate((int) headerLength);
        readFully(file, channel, headerBytes, 8);
        headerBytes.flip();
        JsonNode header = Json.parse(file, 8, decodeUtf8(file, headerBytes), "header");
        if (!header.isObject()) {
            throw new ModelFormatException(file, 8, "the header must be a JSON object but is " + header.getNodeType());
        }
        long dataStart = 8 + headerLength;
        long dataSize = fileSize - dataStart;
        // a sparse file can declare gigabytes it does not hold on disk: bound what loading the tensors will take
        limits.requireData(file, dataSize);
        Map<String, String> metadata = Map.of();
        List<Entry> list = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (field.getKey().equals(METADATA_KEY)) {
                metadata = readMetadata(file, field.getValue());
            } else {
                list.add(readEntry(file, field.getKey(), field.getValue(), dataSize));
            }
        }
        list.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
        long covered = 0;
        String previous = null;
        for (Entry e : list) {
            if (e.begin() < covered) {
                throw new ModelFormatException(file, dataStart + e.begin(), "tensor \"" + e.name() + "\" (data bytes "
                        + e.begin() + ".." + e.end() + ") overlaps tensor \"" + previous + "\" (ending at " + covered
                        + ")");
            }
            if (e.begin() > covered) {
                throw new ModelFormatException(file, dataStart + covered, "data bytes " + covered + ".." + e.begin()
                        + " belong to no tensor (a gap before \"" + e.name() + "\")");
            }
            covered = e.end();
            previous = e.name();
        }
        if (covered != dataSize) {
            throw new ModelFormatException(file, dataStart + covered, "the tensors cover " + covered
                    + " data bytes but the file holds " + dataSize + " after the header");
        }
        Map<String, Entry> entries = new LinkedHashMap<>();
        list.forEach(e -> entries.put(e.name(), e));
        return new SafeTensors(file, channel, dataStart, Collections.unmodifiableMap(entries), metadata,
                checksums(file, metadata.get(CHECKSUM_KEY), entries.keySet()));
    }

    /** The checksums entry: absent (older files), or one 8-hex-digit CRC32C for every tensor and no other. */
    private static Map<String, Integer> checksums(Path file, String json, Set<String> tensors)
            throws ModelFormatException {
        if (json == null) {
            return Map.of();
        }
        JsonNode node = Json.parseObject(file, json, CHECKSUM_KEY + " metadata entry");
        Map<String, Integer> checksums = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            String hex = f.getValue().isTextual() ? f.getValue().textValue() : "";
            if (!tensors.contains(f.getKey()) || !hex.matches("[0-9a-f]{8}")) {
                throw new ModelFormatException(file, 8, CHECKSUM_KEY + " has \"" + f.getKey() + "\": "
                        + Json.abbreviate(f.getValue()) + "; expected 8 lower-case hex digits for a tensor of the file");
            }
            checksums.put(f.getKey(), Integer.parseUnsignedInt(hex, 16));
        }
        for (String t : tensors) {
            if (!checksums.containsKey(t)) {
                throw new ModelFormatException(file, 8, CHECKSUM_KEY + " has no checksum for tensor \"" + t + "\"");
            }
        }
        return Collections.unmodifiableMap(checksums);
    }

    private static Map<String, String> readMetadata(Path file, JsonNode node) throws ModelFormatException {
        if (!node.isObject()) {
            throw new ModelFormatException(file, 8, METADATA_KEY + " must be an object of strings but is "
                    + node.getNodeType());
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            if (!f.getValue().isTextual()) {
                throw new ModelFormatException(file, 8, METADATA_KEY + " value \"" + f.getKey()
                        + "\" must be a string but is " + f.getValue().getNodeType());
            }
            metadata.put(f.getKey(), f.getValue().textValue());
        }
        return Collections.unmodifiableMap(metadata);
    }

    private static Entry readEntry(Path file, String name, JsonNode node, long dataSize) throws ModelFormatException {
        String what = "tensor \"" + name + "\"";
        if (!node.isObject()) {
            throw new ModelFormatException(file, 8, what + " must be an object with dtype, shape and data_offsets but"
                    + " is " + node.getNodeType());
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!ENTRY_KEYS.contains(key)) {
                throw new ModelFormatException(file, 8, what + " has an unexpected field \"" + key + "\"; expected "
                        + "dtype, shape and data_offsets");
            }
        }
        JsonNode dtype = node.get("dtype");
        if (dtype == null || !dtype.isTextual()) {
            throw new ModelFormatException(file, 8, what + " has no dtype string");
        }
        if (!dtype.textValue().equals("F32")) {
            throw new ModelFormatException(file, 8, what + " has " + (OTHER_DTYPES.contains(dtype.textValue())
                    ? "dtype " + dtype.textValue() + ", which this reader does not read"
                    : "unknown dtype \"" + dtype.textValue() + "\"") + "; neuralj files hold F32 only");
        }
        JsonNode shapeNode = node.get("shape");
        if (shapeNode == null || !shapeNode.isArray() || shapeNode.size() > 8) {
            throw new ModelFormatException(file, 8, what + " needs a shape: an array of at most 8 dimensions");
        }
        int[] shape = new int[shapeNode.size()];
        long count = 1;
        for (int i = 0; i < shape.length; i++) {
            JsonNode d = shapeNode.get(i);
            if (!d.isIntegralNumber() || !d.canConvertToInt() || d.intValue() < 0) {
                throw new ModelFormatException(file, 8, what + " shape " + shapeNode + " has dimension " + d
                        + "; dimensions must be integers in 0.." + Integer.MAX_VALUE);
            }
            shape[i] = d.intValue();
            count *= shape[i];
            if (count > Integer.MAX_VALUE) {
                throw new ModelFormatException(file, 8, what + " shape " + shapeNode + " has more than "
                        + Integer.MAX_VALUE + " values");
            }
        }
        JsonNode offsets = node.get("data_offsets");
        if (offsets == null || !offsets.isArray() || offsets.size() != 2
                || !isOffset(offsets.get(0)) || !isOffset(offsets.get(1))) {
            throw new ModelFormatException(file, 8, what + " needs data_offsets [begin, end] of non-negative integers"
                    + " but has " + offsets);
        }
        long begin = offsets.get(0).longValue(), end = offsets.get(1).longValue();
        if (begin > end || end > dataSize) {
            throw new ModelFormatException(file, 8, what + " data_offsets [" + begin + ", " + end + "] lie outside the "
                    + dataSize + " data bytes of the file");
        }
        if (end - begin != count * Float.BYTES) {
            throw new ModelFormatException(file, 8, what + " shape " + Arrays.toString(shape) + " needs "
                    + count * Float.BYTES + " bytes of F32 but data_offsets [" + begin + ", " + end + "] hold "
                    + (end - begin));
        }
        return new Entry(name, shape, begin, end);
    }

    private static boolean isOffset(JsonNode n) {
        return n.isIntegralNumber() && n.canConvertToLong() && n.longValue() >= 0;
    }

    /** The header's {@code __metadata__}, empty when it has none. */
    public Map<String, String> metadata() {
        return metadata;
    }

    /** Every tensor, in the order of its bytes in the file. */
    public Map<String, Entry> entries() {
        return entries;
    }

    public Path file() {
        return file;
    }

    /**
     * Reads tensor {@code e}'s values into {@code dst[offset .. offset + e.size())}, verifying its checksum when the file has them.
     *
     * @throws ModelFormatException naming the file and the tensor when its bytes do not match their checksum (a
     *                              flipped bit, a damaged disk); {@code dst} then holds the damaged values
     */
    public void readInto(Entry e, float[] dst, int offset) throws IOException {
        if (offset < 0 || dst.length - offset < e.size()) {
            throw new IllegalArgumentException("tensor \"" + e.name() + "\" has " + e.size()
                    + " values but the destination holds " + dst.length + " from offset " + offset);
        }
        ByteBuffer chunk = ByteBuffer.allocate((int) Math.min(CHUNK_BYTES, e.end() - e.begin()))
                .order(ByteOrder.LITTLE_ENDIAN);
        CRC32C crc = new CRC32C();
        int done = offset;
        for (long pos = dataStart + e.begin(), stop = dataStart + e.end(); pos < stop; ) {
            chunk.clear().limit((int) Math.min(chunk.capacity(), stop - pos));
            readFully(file, channel, chunk, pos);
            chunk.flip();
            crc.update(chunk.array(), 0, chunk.limit());
            int n = chunk.remaining() / Float.BYTES;
            chunk.asFloatBuffer().get(dst, done, n);
            done += n;
            pos += (long) n * Float.BYTES;
        }
        Integer expected = checksums.get(e.name());
        if (expected != null && expected != (int) crc.getValue()) {
            throw new ModelFormatException(file, dataStart + e.begin(), String.format("tensor \"%s\" (data bytes"
                    + " %d..%d) has CRC32C %08x but the header records %08x: its bytes were damaged after saving",
                    e.name(), e.begin(), e.end(), (int) crc.getValue(), expected));
        }
    }

    /** Reads tensor {@code e} into a new tensor of its shape (a scalar, of shape [], becomes shape [1]). */
    public Tensor read(Entry e) throws IOException {
        float[] values = new float[e.size()];
        readInto(e, values, 0);
        return Tensor.of(values, e.shape().length == 0 ? new int[] {1} : e.shape());
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    private static void readFully(Path file, FileChannel channel, ByteBuffer dst, long position) throws IOException {
        long pos = position;
        while (dst.hasRemaining()) {
            int n = channel.read(dst, pos);
            if (n < 0) {
                throw new ModelFormatException(file, pos, "the file ended early (did it change while being read?)");
            }
            pos += n;
        }
    }

    private static String decodeUtf8(Path file, ByteBuffer bytes) throws ModelFormatException {
        try {
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(bytes);
            return chars.toString();
        } catch (CharacterCodingException e) {
            throw new ModelFormatException(file, 8 + bytes.position(), "the header is not valid UTF-8");
        }
    }

    // ---------------------------------------------------------------- writing

    /**
     * Atomically writes {@code tensors} (in the map's iteration order) and {@code metadata} to {@code file}, through
     * {@link AtomicFile}. A scalar-like tensor keeps its shape; names must not be {@value #METADATA_KEY}.
     */
    public static void write(Path file, Map<String, Tensor> tensors, Map<String, String> metadata)
            throws IOException {
        write(file, tensors, metadata, UnaryOperator.identity());
    }

    static void write(Path file, Map<String, Tensor> tensors, Map<String, String> metadata,
                      UnaryOperator<OutputStream> wrap) throws IOException {
        if (metadata.containsKey(CHECKSUM_KEY)) {
            throw new IllegalArgumentException("metadata key \"" + CHECKSUM_KEY + "\" is reserved for the checksums");
        }
        // the header comes first, so the checksums take a pass of their own over the data
        Map<String, String> checksums = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            CRC32C crc = new CRC32C();
            encode(e.getValue(), crc::update);
            checksums.put(e.getKey(), String.format("%08x", (int) crc.getValue()));
        }
        Map<String, String> withChecksums = new LinkedHashMap<>(metadata);
        withChecksums.put(CHECKSUM_KEY, Json.write(checksums));
        byte[] header = header(tensors, withChecksums);
        AtomicFile.write(file, out -> {
            ByteBuffer length = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, header.length);
            out.write(length.array());
            out.write(header);
            for (Tensor t : tensors.values()) {
                encode(t, out::write);
            }
        }, wrap);
    }

    /** Where {@link #encode} puts each chunk of bytes. */
    @FunctionalInterface
    private interface ByteSink {
        void write(byte[] bytes, int offset, int length) throws IOException;
    }

    /** {@code t}'s values as little-endian float32 bytes, a chunk at a time. */
    private static void encode(Tensor t, ByteSink sink) throws IOException {
        ByteBuffer chunk = ByteBuffer.allocate(CHUNK_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        float[] values = t.data();
        for (int from = 0; from < t.size(); from += CHUNK_BYTES / Float.BYTES) {
            int n = Math.min(CHUNK_BYTES / Float.BYTES, t.size() - from);
            chunk.clear();
            chunk.asFloatBuffer().put(values, t.offset() + from, n);
            sink.write(chunk.array(), 0, n * Float.BYTES);
        }
    }

    /** One tensor's line in the header, in the field order of the reference implementation. */
    private record HeaderEntry(String dtype, int[] shape, long[] data_offsets) {
    }

    /** The JSON header, padded with spaces to a multiple of 8 bytes so the data stays aligned. */
    private static byte[] header(Map<String, Tensor> tensors, Map<String, String> metadata) {
        Map<String, Object> header = new LinkedHashMap<>();
        header.put(METADATA_KEY, metadata);
        long offset = 0;
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            if (e.getKey().equals(METADATA_KEY)) {
                throw new IllegalArgumentException("a tensor must not be named " + METADATA_KEY);
            }
            Tensor t = e.getValue();
            long bytes = (long) t.size() * Float.BYTES;
            header.put(e.getKey(), new HeaderEntry("F32", t.shape(), new long[] {offset, offset + bytes}));
            offset += bytes;
        }
        byte[] json = Json.writeBytes(header);
        int padded = (json.length + 7) / 8 * 8;
        byte[] out = Arrays.copyOf(json, padded);
        Arrays.fill(out, json.length, padded, (byte) ' ');
        return out;
    }
}
