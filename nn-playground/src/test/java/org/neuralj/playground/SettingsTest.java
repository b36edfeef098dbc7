package org.neuralj.playground;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SettingsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode json(String s) {
        try {
            return JSON.readTree(s);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static Settings merge(String changes) {
        return Settings.defaults().merge(json(changes));
    }

    @Test
    void changesOnlyTheGivenFields() {
        Settings s = merge("{\"learningRate\": 0.1, \"hidden\": [8, 2, 1], \"dataset\": \"spiral\", \"speed\": 50}");
        assertThat(s.learningRate()).isEqualTo(0.1);
        assertThat(s.hidden()).containsExactly(8, 2, 1);
        assertThat(s.dataset()).isEqualTo("spiral");
        assertThat(s.speed()).isEqualTo(50);
        assertThat(s.optimizer()).isEqualTo(Settings.defaults().optimizer());
        assertThat(merge("{}")).isEqualTo(Settings.defaults());
        assertThat(merge("{\"hidden\": []}").hidden()).isEmpty();
    }

    @Test
    void roundTripsThroughItsJson() {
        Settings s = merge("{\"l2\": 0.001, \"dropout\": 0.2, \"output\": \"sigmoid\", \"loss\": \"mse\"}");
        assertThat(Settings.defaults().merge(s.toJson())).isEqualTo(s);
    }

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource(delimiter = '|', value = {
        "learningRate  | 50       | learningRate must be in 0.00001..10 but was 50",
        "learningRate  | 0        | learningRate must be in 0.00001..10 but was 0",
        "learningRate  | -1       | learningRate must be in",
        "learningRate  | 1e999    | learningRate must be in",
        "learningRate  | \"fast\" | learningRate must be a number in 0.00001..10 but was \"fast\"",
        "learningRate  | null     | learningRate must be a number",
        "batchSize     | 0        | batchSize must be in 1..512 but was 0",
        "batchSize     | 513      | batchSize must be in 1..512",
        "batchSize     | 2.5      | batchSize must be a whole number in 1..512 but was 2.5",
        "batchSize     | 99999999999 | batchSize must be a whole number",
        "noise         | 0.51     | noise must be in 0..0.5 but was 0.51",
        "trainFraction | 1        | trainFraction must be in 0.1..0.9 but was 1",
        "points        | 10       | points must be in 50..1000 but was 10",
        "l2            | 2        | l2 must be in 0..1 but was 2",
        "dropout       | 0.95     | dropout must be in 0..0.9 but was 0.95",
        "speed         | 51       | speed must be in 1..50 but was 51",
        "dataset       | \"mnist\"| dataset must be one of moons, circles, xor, spiral, blobs, digits but was \"mnist\"",
        "activation    | \"gelu\" | activation must be one of relu, tanh, sigmoid",
        "activation    | 1        | activation must be one of",
        "optimizer     | \"lbfgs\"| optimizer must be one of sgd, momentum, adam, rmsprop, adagrad",
        "output        | \"tanh\" | output must be one of softmax, sigmoid, linear",
        "loss          | \"hinge\"| loss must be one of cross-entropy, mse, quadratic",
        "hidden        | [1,2,3,4,5,6,7] | hidden must be a list of at most 6 layer widths, each 1..8 but had 7 layers",
        "hidden        | [4, 9]   | but layer 2 was 9",
        "hidden        | [0]      | but layer 1 was 0",
        "hidden        | [2.5]    | but layer 1 was 2.5",
        "hidden        | 4        | hidden must be a list",
    })
    void refusesAValueOutOfItsRangeNamingTheField(String field, String value, String message) {
        Settings before = Settings.defaults();
        assertThatThrownBy(() -> before.merge(json("{\"" + field + "\": " + value + "}")))
                .isInstanceOf(InvalidSettingException.class)
                .hasMessageContaining(message)
                .satisfies(e -> assertThat(((InvalidSettingException) e).field()).isEqualTo(field));
    }

    @Test
    void refusesUnknownFieldsAndNonObjects() {
        assertThatThrownBy(() -> merge("{\"learningrate\": 0.1}")).isInstanceOf(InvalidSettingException.class)
                .hasMessageContaining("unknown setting 'learningrate'").hasMessageContaining("learningRate");
        assertThatThrownBy(() -> Settings.defaults().merge(json("[1]"))).hasMessageContaining("must be an object");
        assertThatThrownBy(() -> merge("{\"" + "x".repeat(500) + "\": 1}"))
                .hasMessageContaining("unknown setting 'xxxxxxxx").hasMessageContaining("...'");
    }

    @Test
    void crossEntropyNeedsTheSoftmaxOutput() {
        assertThatThrownBy(() -> merge("{\"output\": \"sigmoid\"}")).isInstanceOf(InvalidSettingException.class)
                .hasMessageContaining("cross-entropy needs the softmax output");
        assertThat(merge("{\"output\": \"sigmoid\", \"loss\": \"mse\"}").output()).isEqualTo("sigmoid");
    }

    @Test
    void limitsListEveryRangeAndChoice() {
        JsonNode limits = Settings.limitsJson();
        assertThat(limits.get("learningRate").get("max").asDouble()).isEqualTo(10);
        assertThat(limits.get("batchSize").get("integer").asBoolean()).isTrue();
        assertThat(limits.get("dataset").get("choices")).hasSize(6);
        assertThat(limits.get("hidden").get("maxLayers").asInt()).isEqualTo(6);
        assertThat(limits.get("hidden").get("maxNeurons").asInt()).isEqualTo(8);
        for (String f : List.of("noise", "trainFraction", "points", "l2", "dropout", "speed")) {
            assertThat(limits.has(f)).as(f).isTrue();
        }
    }
}
