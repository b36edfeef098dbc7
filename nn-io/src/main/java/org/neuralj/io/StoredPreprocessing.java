package org.neuralj.io;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.neuralj.core.Preprocessing;
import org.neuralj.core.Tensor;

/**
 * How a {@link Preprocessing} is stored in a model file: the metadata entry {@value #KEY}, a JSON object
 * {@code {"divide_by": 255.0, "class_names": ["0", "1", ...]}}, and, for a standardiser, the tensors {@value #MEAN} and
 * {@value #STD} of one value per input feature. A file without the entry has {@link Preprocessing#NONE}.
 */
final class StoredPreprocessing {
    static final String KEY = "preprocessing";
    static final String MEAN = "preprocessing.mean";
    static final String STD = "preprocessing.std";

    private StoredPreprocessing() {
    }

    static Map<String, String> metadata(Preprocessing p) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("divide_by", p.divisor());
        json.put("class_names", p.classNames());
        return Map.of(KEY, Json.write(json));
    }

    static Map<String, Tensor> tensors(Preprocessing p) {
        if (!p.standardizes()) {
            return Map.of();
        }
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put(MEAN, Tensor.of(p.mean(), p.mean().length));
        tensors.put(STD, Tensor.of(p.std(), p.std().length));
        return tensors;
    }

    /** The preprocessing a file stores, checked; {@link Preprocessing#NONE} when it stores none. */
    static Preprocessing read(Path file, Map<String, String> metadata, Map<String, Tensor> extraTensors)
            throws ModelFormatException {
        String text = metadata.get(KEY);
        if (text == null) {
            return Preprocessing.NONE;
        }
        JsonNode json = Json.parseObject(file, text, KEY + " metadata");
        JsonNode divisor = json.get("divide_by");
        JsonNode names = json.get("class_names");
        if (divisor == null || !divisor.isNumber() || names == null || !names.isArray()) {
            throw new ModelFormatException(file, "the " + KEY + " metadata needs a number \"divide_by\" and an array"
                    + " \"class_names\" but is " + Json.abbreviate(json));
        }
        List<String> classNames = new ArrayList<>();
        for (JsonNode n : names) {
            if (!n.isTextual()) {
                throw new ModelFormatException(file, "the " + KEY + " metadata's class names must be strings but one"
                        + " is " + n);
            }
            classNames.add(n.textValue());
        }
        Tensor mean = extraTensors.get(MEAN), std = extraTensors.get(STD);
        if ((mean == null) != (std == null) || mean != null && (mean.rank() != 1 || std.rank() != 1)) {
            throw new ModelFormatException(file, "a standardiser needs the vectors \"" + MEAN + "\" and \"" + STD
                    + "\" but the file holds " + (mean == null ? "no " + MEAN : mean) + " and "
                    + (std == null ? "no " + STD : std));
        }
        try {
            Preprocessing p = Preprocessing.divide(divisor.floatValue()).withClassNames(classNames);
            return mean == null ? p : p.standardize(mean.toArray(), std.toArray());
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(file, "the stored preprocessing is not valid: " + e.getMessage(), e);
        }
    }
}
