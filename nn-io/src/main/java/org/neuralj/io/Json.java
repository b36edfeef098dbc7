package org.neuralj.io;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.nio.file.Path;
import java.util.Map;

/**
 * The one JSON reader and writer of model files and checkpoints (Jackson, configured strictly): duplicate keys,
 * trailing tokens, NaN and infinity, and nesting deeper than 64 are refused. Every failure is a
 * {@link ModelFormatException} naming the file, what was being read and, where known, the byte offset.
 */
final class Json {
    private static final ObjectMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).build()).build())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
    private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() { };

    private Json() {
    }

    /**
     * Parses {@code json}, the {@code what} of {@code file}; {@code base} is the file offset of its first character,
     * for messages, or -1 when the JSON is not stored as such (e.g. inside a metadata string).
     */
    static JsonNode parse(Path file, long base, String json, String what) throws ModelFormatException {
        try {
            JsonNode node = MAPPER.readTree(json);
            if (node == null || node.isMissingNode()) {
                throw new ModelFormatException(file, base, "the " + what + " is empty where JSON was expected");
            }
            return node;
        } catch (JsonProcessingException e) {
            long at = e.getLocation() == null ? -1 : e.getLocation().getCharOffset();
            throw new ModelFormatException(file, "the " + what + " is not well-formed JSON"
                    + (at < 0 ? "" : " (near character " + at + " of it" + (base < 0 ? "" : ", about file byte "
                    + (base + at)) + ")")
                    + ": " + e.getOriginalMessage(), e);
        }
    }

    /** Parses {@code json} and requires an object, the {@code what} of {@code file}. */
    static JsonNode parseObject(Path file, String json, String what) throws ModelFormatException {
        JsonNode node = parse(file, -1, json, what);
        if (!node.isObject()) {
            throw new ModelFormatException(file, "the " + what + " must be a JSON object but is " + node.getNodeType());
        }
        return node;
    }

    /** A parsed object as plain Java values (maps, lists, strings, numbers, booleans). */
    static Map<String, Object> toMap(JsonNode object) {
        return MAPPER.convertValue(object, OBJECT);
    }

    /** {@code value} as compact JSON text. */
    static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write as JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** {@code value} as compact UTF-8 JSON. */
    static byte[] writeBytes(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write as JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** A short form of {@code node} for messages: at most 120 characters. */
    static String abbreviate(JsonNode node) {
        String s = String.valueOf(node);
        return s.length() <= 120 ? s : s.substring(0, 117) + "...";
    }
}
