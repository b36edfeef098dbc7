package org.neuralj.playground;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.List;

/**
 * A message from the page, one JSON object with a {@code type}:
 *
 * <pre>
 * {"type": "configure", "settings": {"learningRate": 0.01, "hidden": [4, 2]}}   change settings (validated)
 * {"type": "play"}  {"type": "pause"}  {"type": "step"}                         run, stop, one training step
 * {"type": "reset"}                                                             new initial weights (a new seed)
 * {"type": "check"}                                                             GradientCheck on the current network
 * {"type": "neuronGradients", "on": true}                                       per-neuron gradients in each frame
 * </pre>
 *
 * {@link #parse} refuses a message longer than {@link #MAX_CHARS}, one that is not a JSON object, an unknown type and
 * unknown or missing fields, with a {@link ProtocolException} whose message the page shows.
 */
public sealed interface Command {

    /** The longest message the page may send, in characters: a full settings change is about 400. */
    int MAX_CHARS = 4096;

    /** Replace the fields present in {@code changes}; see {@link Settings#merge}. */
    record Configure(JsonNode changes) implements Command {
    }

    record Play() implements Command {
    }

    record Pause() implements Command {
    }

    record Step() implements Command {
    }

    record Reset() implements Command {
    }

    record Check() implements Command {
    }

    record NeuronGradients(boolean on) implements Command {
    }

    List<String> TYPES = List.of("configure", "play", "pause", "step", "reset", "check", "neuronGradients");

    /** Reads one message; see the class comment for what is refused. */
    static Command parse(String text) {
        if (text == null || text.isEmpty()) {
            throw new ProtocolException("empty message: send a JSON object with a type, one of " + TYPES);
        }
        if (text.length() > MAX_CHARS) {
            throw new ProtocolException("message of " + text.length() + " characters refused: at most " + MAX_CHARS);
        }
        JsonNode node;
        try {
            node = Json.MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new ProtocolException("malformed message, not JSON: " + Settings.clip(e.getOriginalMessage()));
        }
        if (node == null || !node.isObject()) {
            throw new ProtocolException("malformed message: expected a JSON object with a type, one of " + TYPES);
        }
        JsonNode type = node.get("type");
        if (type == null || !type.isTextual() || !TYPES.contains(type.asText())) {
            throw new ProtocolException("unknown message type " + (type == null ? "(none)" : Settings.clip(
                    type.toString())) + "; the types are " + String.join(", ", TYPES));
        }
        String t = type.asText();
        return switch (t) {
            case "configure" -> {
                only(node, t, "settings");
                JsonNode settings = node.get("settings");
                if (settings == null || !settings.isObject()) {
                    throw new ProtocolException("configure needs \"settings\": an object of the fields to change");
                }
                yield new Configure(settings);
            }
            case "neuronGradients" -> {
                only(node, t, "on");
                JsonNode on = node.get("on");
                if (on == null || !on.isBoolean()) {
                    throw new ProtocolException("neuronGradients needs \"on\": true or false");
                }
                yield new NeuronGradients(on.asBoolean());
            }
            default -> {
                only(node, t);
                yield switch (t) {
                    case "play" -> new Play();
                    case "pause" -> new Pause();
                    case "step" -> new Step();
                    case "reset" -> new Reset();
                    default -> new Check();
                };
            }
        };
    }

    private static void only(JsonNode node, String type, String... allowed) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!f.equals("type") && !List.of(allowed).contains(f)) {
                throw new ProtocolException("unknown field '" + Settings.clip(f) + "' in a " + type + " message");
            }
        }
    }
}
