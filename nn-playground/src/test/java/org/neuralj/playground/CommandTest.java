package org.neuralj.playground;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CommandTest {

    @Test
    void readsEveryMessageType() {
        assertThat(Command.parse("{\"type\":\"play\"}")).isInstanceOf(Command.Play.class);
        assertThat(Command.parse("{\"type\":\"pause\"}")).isInstanceOf(Command.Pause.class);
        assertThat(Command.parse("{\"type\":\"step\"}")).isInstanceOf(Command.Step.class);
        assertThat(Command.parse("{\"type\":\"reset\"}")).isInstanceOf(Command.Reset.class);
        assertThat(Command.parse("{\"type\":\"check\"}")).isInstanceOf(Command.Check.class);
        assertThat(Command.parse("{\"type\":\"neuronGradients\",\"on\":true}"))
                .isEqualTo(new Command.NeuronGradients(true));
        Command c = Command.parse("{\"type\":\"configure\",\"settings\":{\"learningRate\":0.1}}");
        assertThat(((Command.Configure) c).changes().get("learningRate").asDouble()).isEqualTo(0.1);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "''                                       | empty message",
        "not json                                 | malformed message, not JSON",
        "{\"type\":\"play\"                       | malformed message, not JSON",
        "[1, 2]                                   | expected a JSON object",
        "42                                       | expected a JSON object",
        "{}                                       | unknown message type (none)",
        "{\"type\":\"fly\"}                       | unknown message type \"fly\"; the types are configure, play",
        "{\"type\":7}                             | unknown message type 7",
        "{\"type\":\"play\",\"speed\":3}          | unknown field 'speed' in a play message",
        "{\"type\":\"configure\"}                 | configure needs \"settings\"",
        "{\"type\":\"configure\",\"settings\":1}  | configure needs \"settings\"",
        "{\"type\":\"neuronGradients\"}           | neuronGradients needs \"on\": true or false",
        "{\"type\":\"neuronGradients\",\"on\":1}  | neuronGradients needs \"on\"",
        "{\"a\":[[[[[[[[[[[[1]]]]]]]]]]]]}        | malformed message",
    })
    void refusesMalformedMessagesWithAReason(String text, String message) {
        assertThatThrownBy(() -> Command.parse(text)).isInstanceOf(ProtocolException.class)
                .hasMessageContaining(message);
    }

    @Test
    void refusesOversizedMessagesBeforeParsing() {
        String big = "{\"type\":\"play\",\"x\":\"" + "a".repeat(Command.MAX_CHARS) + "\"}";
        assertThatThrownBy(() -> Command.parse(big)).isInstanceOf(ProtocolException.class)
                .hasMessageContaining("message of " + big.length() + " characters refused: at most 4096");
        String justFits = "{\"type\":\"play\"}" + " ".repeat(Command.MAX_CHARS - 15);
        assertThat(Command.parse(justFits)).isInstanceOf(Command.Play.class);
    }
}
