package org.neuralj.playground;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.neuralj.core.GradientCheck;
import org.neuralj.core.Parameter;

class LabTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Settings with(String changes) {
        try {
            return Settings.defaults().merge(JSON.readTree(changes));
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"moons", "circles", "xor", "spiral", "blobs"})
    void trainingLowersTheTestLossOnEveryPlaneDataSet(String dataset) {
        Lab lab = new Lab(with("{\"dataset\": \"" + dataset + "\", \"hidden\": [8, 8], \"noise\": 0.05}"), 3, 3);
        double before = lab.frame(false).get("testLoss").asDouble();
        for (int i = 0; i < 400; i++) {
            lab.step();
        }
        JsonNode after = lab.frame(false);
        assertThat(after.get("testLoss").asDouble()).as(dataset).isLessThan(before * 0.8);
        assertThat(after.get("trainAccuracy").asDouble()).as(dataset).isGreaterThan(0.75);
        assertThat(lab.epochs()).isEqualTo(400 * 10 / 200 - 1);   // 200 training points, batches of 10
    }

    @Test
    void describesTheNetworkAndThePoints() {
        Lab lab = new Lab(with("{\"hidden\": [3, 5], \"trainFraction\": 0.7, \"points\": 300, \"noise\": 0}"), 1, 1);
        JsonNode d = lab.describe();
        assertThat(d.get("sizes").toString()).isEqualTo("[2,3,5,2]");
        assertThat(d.get("train")).hasSize(210);
        assertThat(d.get("test")).hasSize(90);
        assertThat(d.get("parameters").asInt()).isEqualTo(2 * 3 + 3 + 3 * 5 + 5 + 5 * 2 + 2);
        for (JsonNode p : d.get("train")) {
            assertThat(Math.abs(p.get(0).asDouble())).isLessThan(Lab.VIEW);
            assertThat(p.get(2).asInt()).isBetween(0, 1);
        }
    }

    @Test
    void framesCarryTheBoundaryEveryNeuronsMapAndTheWeights() {
        Lab lab = new Lab(with("{\"hidden\": [3, 5], \"activation\": \"relu\"}"), 1, 1);
        lab.step();
        JsonNode f = lab.frame(false);
        assertThat(Base64.getDecoder().decode(f.get("boundary").asText())).hasSize(Lab.BOUNDARY_GRID * Lab.BOUNDARY_GRID);
        assertThat(f.get("neurons")).hasSize(2);
        assertThat(f.get("neurons").get(1)).hasSize(5);
        assertThat(Base64.getDecoder().decode(f.get("neurons").get(0).get(2).asText()))
                .hasSize(Lab.NEURON_GRID * Lab.NEURON_GRID);
        assertThat(f.get("weights").get(0)).hasSize(2 * 3);
        assertThat(f.get("weights").get(2)).hasSize(5 * 2);
        assertThat(f.get("biases").get(1)).hasSize(5);
        assertThat(f.get("gradNorms")).hasSize(3);
        assertThat(f.get("gradNorms").get(0).asDouble()).isPositive();
        assertThat(f.get("step").asLong()).isEqualTo(1);
        assertThat(f.has("neuronGradients")).isFalse();
        // the norms are a mean since the last frame: none were taken since
        assertThat(lab.frame(false).get("gradNorms").get(0).isNull()).isTrue();
    }

    @Test
    void neuronGradientsAreTheLastBatchsBackwardPass() {
        Lab lab = new Lab(with("{\"hidden\": [4, 3]}"), 1, 1);
        lab.step();
        JsonNode g = lab.frame(true).get("neuronGradients");
        assertThat(g.get("arriving")).hasSize(2);
        assertThat(g.get("arriving").get(0)).hasSize(4);
        assertThat(g.get("arriving").get(1)).hasSize(3);
        // ∂L/∂z of each neuron is its bias gradient, as backward left it in Parameter.grad()
        List<Parameter> params = lab.network().parameters();
        JsonNode bias = g.get("bias");
        assertThat(bias).hasSize(3);
        for (int d = 0; d < 3; d++) {
            float[] grad = params.get(2 * d + 1).grad().toArray();
            for (int j = 0; j < grad.length; j++) {
                assertThat(bias.get(d).get(j).asDouble()).isEqualTo(grad[j], org.assertj.core.api.Assertions.within(1e-6));
            }
        }
        // tanh: ∂L/∂z = ∂L/∂a · (1 − a²) with |1 − a²| ≤ 1, summed over the batch; with one row the bound is exact
        Lab one = new Lab(with("{\"hidden\": [4], \"batchSize\": 1}"), 1, 1);
        one.step();
        JsonNode g1 = one.frame(true).get("neuronGradients");
        for (int j = 0; j < 4; j++) {
            double da = g1.get("arriving").get(0).get(j).asDouble(), dz = g1.get("bias").get(0).get(j).asDouble();
            assertThat(Math.abs(dz)).isLessThanOrEqualTo(Math.abs(da) + 1e-7);
            assertThat(dz * da).isGreaterThanOrEqualTo(0);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"activation\": \"tanh\"}",
        "{\"activation\": \"relu\", \"hidden\": [8, 8, 8]}",
        "{\"activation\": \"sigmoid\", \"output\": \"sigmoid\", \"loss\": \"quadratic\"}",
        "{\"output\": \"linear\", \"loss\": \"mse\", \"dropout\": 0.3}",
        "{\"dataset\": \"digits\", \"hidden\": [8]}",
    })
    void checkGradientsPassesOnTheLabsNetworks(String changes) {
        Lab lab = new Lab(with(changes), 2, 2);
        for (int i = 0; i < 20; i++) {
            lab.step();
        }
        JsonNode check = lab.checkGradients();
        assertThat(check.get("passes").asBoolean()).as(check.toString()).isTrue();
        assertThat(check.get("tolerance").asDouble()).isEqualTo(GradientCheck.TOLERANCE);
        assertThat(check.get("results").size()).isEqualTo(lab.network().parameters().size() + 1);   // and the input
        assertThat(check.get("results").get(0).get("tensor").asText()).isEqualTo("0:Dense(" + lab.settings().hidden().get(0) + ").weights");
    }

    @Test
    void digitsModeDrawsWeightImagesAndAConfusionMatrix() {
        Lab lab = new Lab(with("{\"dataset\": \"digits\", \"hidden\": [6]}"), 1, 1);
        assertThat(lab.describe().get("sizes").toString()).isEqualTo("[64,6,10]");
        assertThat(lab.describe().has("train")).isFalse();
        for (int i = 0; i < 300; i++) {
            lab.step();
        }
        JsonNode f = lab.frame(false);
        assertThat(f.get("images")).hasSize(6);
        assertThat(Base64.getDecoder().decode(f.get("images").get(0).asText())).hasSize(64);
        assertThat(f.get("confusion")).hasSize(10);
        long total = 0, diagonal = 0;
        for (int a = 0; a < 10; a++) {
            for (int p = 0; p < 10; p++) {
                total += f.get("confusion").get(a).get(p).asLong();
                diagonal += a == p ? f.get("confusion").get(a).get(p).asLong() : 0;
            }
        }
        assertThat(total).isEqualTo(lab.test().size());
        assertThat((double) diagonal / total).isEqualTo(f.get("testAccuracy").asDouble(),
                org.assertj.core.api.Assertions.within(1e-9));
        assertThat(f.get("testAccuracy").asDouble()).isGreaterThan(0.8);
        assertThat(f.has("boundary")).isFalse();
    }

    @Test
    void applyRebuildsOnlyWhatChanged() {
        Lab lab = new Lab(Settings.defaults(), 1, 1);
        for (int i = 0; i < 5; i++) {
            lab.step();
        }
        assertThat(lab.apply(with("{\"learningRate\": 0.001, \"l2\": 0.01, \"batchSize\": 20}"))).isFalse();
        assertThat(lab.steps()).isEqualTo(5);
        assertThat(lab.apply(with("{\"learningRate\": 0.001, \"l2\": 0.01, \"batchSize\": 20, \"optimizer\": \"sgd\"}")))
                .isFalse();
        assertThat(lab.steps()).isEqualTo(5);
        assertThat(lab.apply(with("{\"hidden\": [2]}"))).isTrue();
        assertThat(lab.steps()).isZero();
        assertThat(lab.network().layers()).hasSize(4);
        assertThat(lab.apply(with("{\"hidden\": [2], \"trainFraction\": 0.8}"))).isTrue();
        assertThat(lab.train().size()).isEqualTo(320);
        float before = lab.network().parameters().get(0).value().get(0);
        lab.reset(12345);
        assertThat(lab.network().parameters().get(0).value().get(0)).isNotEqualTo(before);
        assertThat(lab.seed()).isEqualTo(12345);
    }

    @Test
    void divergenceStopsWithAMessageInsteadOfNaNWeights() {
        Lab lab = new Lab(with("{\"activation\": \"relu\", \"output\": \"linear\", \"loss\": \"mse\","
                + " \"optimizer\": \"sgd\", \"learningRate\": 10, \"hidden\": [8, 8, 8]}"), 1, 1);
        assertThatThrownBy(() -> {
            for (int i = 0; i < 1000; i++) {
                lab.step();
            }
        }).isInstanceOf(IllegalStateException.class).hasMessageContaining("Training diverged")
                .hasMessageContaining("Lower the learning rate");
    }
}
