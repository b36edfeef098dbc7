package org.neuralj.playground;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Everything a page can set about its session: the data, the network, the loss and the optimizer. Every value comes
 * from the page, so {@link #merge} checks each against its range (or its list of choices) and refuses the whole
 * change, naming the field, the value and what is allowed, when one is wrong.
 *
 * @param dataset       {@code moons}, {@code circles}, {@code xor}, {@code spiral}, {@code blobs} or {@code digits}
 * @param noise         the standard deviation of the Gaussian noise added to the 2-D points, 0..0.5
 * @param trainFraction the part of the points used for training, 0.1..0.9; the rest is the test set
 * @param points        how many 2-D points to draw, 50..1000 (the digits are always the 1,797 embedded ones)
 * @param hidden        the hidden layers' widths: at most 6 layers of 1..8 neurons (TensorFlow Playground's caps)
 * @param activation    the hidden layers' activation: {@code relu}, {@code tanh} or {@code sigmoid}
 * @param output        the output layer: {@code softmax}, {@code sigmoid} or {@code linear}
 * @param loss          {@code cross-entropy} (softmax output only), {@code mse} or {@code quadratic}
 * @param optimizer     {@code sgd}, {@code momentum}, {@code adam}, {@code rmsprop} or {@code adagrad}
 * @param learningRate  η, 1e-5..10
 * @param batchSize     1..512 samples per step (at most the training set)
 * @param l2            L2 weight decay λ, 0..1
 * @param dropout       the rate of a dropout layer after each hidden layer, 0..0.9 (0: none)
 * @param speed         training steps between two frames, 1..50
 */
public record Settings(String dataset, double noise, double trainFraction, int points, List<Integer> hidden,
                       String activation, String output, String loss, String optimizer, double learningRate,
                       int batchSize, double l2, double dropout, int speed) {

    /** The largest number of hidden layers. */
    public static final int MAX_LAYERS = 6;
    /** The largest number of neurons in a hidden layer. */
    public static final int MAX_NEURONS = 8;

    static final List<String> DATASETS = List.of("moons", "circles", "xor", "spiral", "blobs", "digits");
    static final List<String> ACTIVATIONS = List.of("relu", "tanh", "sigmoid");
    static final List<String> OUTPUTS = List.of("softmax", "sigmoid", "linear");
    static final List<String> LOSSES = List.of("cross-entropy", "mse", "quadratic");
    static final List<String> OPTIMIZERS = List.of("sgd", "momentum", "adam", "rmsprop", "adagrad");

    /** A numeric field's allowed range. */
    record Range(double min, double max, boolean integer) {
    }

    static final Map<String, Range> RANGES;

    static {
        Map<String, Range> r = new LinkedHashMap<>();
        r.put("noise", new Range(0, 0.5, false));
        r.put("trainFraction", new Range(0.1, 0.9, false));
        r.put("points", new Range(50, 1000, true));
        r.put("learningRate", new Range(1e-5, 10, false));
        r.put("batchSize", new Range(1, 512, true));
        r.put("l2", new Range(0, 1, false));
        r.put("dropout", new Range(0, 0.9, false));
        r.put("speed", new Range(1, 50, true));
        RANGES = java.util.Collections.unmodifiableMap(r);
    }

    static final Map<String, List<String>> CHOICES = Map.of("dataset", DATASETS, "activation", ACTIVATIONS,
            "output", OUTPUTS, "loss", LOSSES, "optimizer", OPTIMIZERS);

    private static final Set<String> FIELDS = Set.of("dataset", "noise", "trainFraction", "points", "hidden",
            "activation", "output", "loss", "optimizer", "learningRate", "batchSize", "l2", "dropout", "speed");

    public Settings {
        hidden = List.copyOf(hidden);
    }

    /** Two moons, two hidden layers of 4 tanh neurons, softmax with cross-entropy, Adam at 0.03. */
    public static Settings defaults() {
        return new Settings("moons", 0.15, 0.5, 400, List.of(4, 4), "tanh", "softmax", "cross-entropy", "adam",
                0.03, 10, 0, 0, 5);
    }

    /** Whether this is the 8x8 digits mode (64 inputs, 10 classes) rather than a 2-D data set. */
    public boolean digits() {
        return dataset.equals("digits");
    }

    /**
     * These settings with the fields present in {@code changes} replaced, after checking every one of them and the
     * combination. Unknown fields, wrong types and values out of range are refused with an
     * {@link InvalidSettingException} naming the field; nothing is changed then.
     */
    public Settings merge(JsonNode changes) {
        if (changes == null || !changes.isObject()) {
            throw new InvalidSettingException("settings", "settings must be an object of fields, e.g."
                    + " {\"learningRate\": 0.01}");
        }
        Map<String, JsonNode> values = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = changes.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!FIELDS.contains(e.getKey())) {
                throw new InvalidSettingException(e.getKey(), "unknown setting '" + clip(e.getKey())
                        + "'; the settings are " + String.join(", ", new java.util.TreeSet<>(FIELDS)));
            }
            values.put(e.getKey(), e.getValue());
        }
        Settings s = new Settings(
                choice(values, "dataset", dataset),
                number(values, "noise", noise),
                number(values, "trainFraction", trainFraction),
                (int) number(values, "points", points),
                values.containsKey("hidden") ? hidden(values.get("hidden")) : hidden,
                choice(values, "activation", activation),
                choice(values, "output", output),
                choice(values, "loss", loss),
                choice(values, "optimizer", optimizer),
                number(values, "learningRate", learningRate),
                (int) number(values, "batchSize", batchSize),
                number(values, "l2", l2),
                number(values, "dropout", dropout),
                (int) number(values, "speed", speed));
        if (s.loss.equals("cross-entropy") && !s.output.equals("softmax")) {
            throw new InvalidSettingException("loss", "cross-entropy needs the softmax output (it takes the log of"
                    + " class probabilities); choose the softmax output or the mse or quadratic loss");
        }
        return s;
    }

    /** The settings as the page reads them. */
    public ObjectNode toJson() {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("dataset", dataset).put("noise", noise).put("trainFraction", trainFraction).put("points", points);
        hidden.forEach(n.putArray("hidden")::add);
        n.put("activation", activation).put("output", output).put("loss", loss).put("optimizer", optimizer)
                .put("learningRate", learningRate).put("batchSize", batchSize).put("l2", l2).put("dropout", dropout)
                .put("speed", speed);
        return n;
    }

    /** Every field's range or choices, for the page's inputs. */
    static ObjectNode limitsJson() {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        RANGES.forEach((k, r) -> n.putObject(k).put("min", r.min).put("max", r.max).put("integer", r.integer));
        CHOICES.forEach((k, c) -> c.forEach(n.putObject(k).putArray("choices")::add));
        n.putObject("hidden").put("maxLayers", MAX_LAYERS).put("maxNeurons", MAX_NEURONS);
        return n;
    }

    private static String choice(Map<String, JsonNode> values, String field, String current) {
        JsonNode v = values.get(field);
        if (v == null) {
            return current;
        }
        List<String> allowed = CHOICES.get(field);
        if (!v.isTextual() || !allowed.contains(v.asText())) {
            throw new InvalidSettingException(field, field + " must be one of " + String.join(", ", allowed)
                    + " but was " + clip(v.toString()));
        }
        return v.asText();
    }

    private static double number(Map<String, JsonNode> values, String field, double current) {
        JsonNode v = values.get(field);
        if (v == null) {
            return current;
        }
        Range r = RANGES.get(field);
        String range = format(r.min) + ".." + format(r.max);
        if (!v.isNumber()) {
            throw new InvalidSettingException(field, field + " must be a number in " + range + " but was "
                    + clip(v.toString()));
        }
        double d = v.asDouble();
        if (r.integer && (!v.canConvertToInt() || d != Math.rint(d))) {
            throw new InvalidSettingException(field, field + " must be a whole number in " + range + " but was "
                    + clip(v.toString()));
        }
        if (!(d >= r.min && d <= r.max)) {
            throw new InvalidSettingException(field, field + " must be in " + range + " but was "
                    + clip(v.toString()));
        }
        return d;
    }

    private static List<Integer> hidden(JsonNode v) {
        String rule = "hidden must be a list of at most " + MAX_LAYERS + " layer widths, each 1.." + MAX_NEURONS;
        if (!v.isArray()) {
            throw new InvalidSettingException("hidden", rule + ", e.g. [4, 4], but was " + clip(v.toString()));
        }
        if (v.size() > MAX_LAYERS) {
            throw new InvalidSettingException("hidden", rule + " but had " + v.size() + " layers");
        }
        List<Integer> widths = new ArrayList<>();
        for (JsonNode w : v) {
            if (!w.canConvertToInt() || !w.isIntegralNumber() || w.asInt() < 1 || w.asInt() > MAX_NEURONS) {
                throw new InvalidSettingException("hidden", rule + " but layer " + (widths.size() + 1) + " was "
                        + clip(w.toString()));
            }
            widths.add(w.asInt());
        }
        return widths;
    }

    private static String format(double d) {
        return java.math.BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
    }

    /** A value quoted in a message, cut to 40 characters so a long one cannot fill the page. */
    static String clip(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }
}
