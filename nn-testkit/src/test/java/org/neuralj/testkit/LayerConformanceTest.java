package org.neuralj.testkit;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.example.userlayers.Affine;
import com.example.userlayers.FeatureGain;
import com.example.userlayers.LeakyReLU;
import com.example.userlayers.TanhAffine;
import com.example.userlayers.TanhAffine.Position;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.neuralj.core.Activation;
import org.neuralj.core.LayerConfig;
import org.neuralj.core.LayerRegistry;
import org.neuralj.core.LayerType;
import org.neuralj.core.NonDifferentiable;
import org.neuralj.core.Shape;
import org.neuralj.testkit.LayerConformance.Case;

/** The conformance kit passes correct layers and catches each kind of broken one, down to a 1% gradient error. */
class LayerConformanceTest {

    @Test
    void theSharedUserLayersConform() {
        assertThatCode(() -> {
            LayerConformance.verify(new Case("LeakyReLU", () -> new LeakyReLU(0.1f), Shape.of(5), 0));
            LayerConformance.verify(new Case("FeatureGain", FeatureGain::new, Shape.of(5), 5));
            LayerConformance.verify(new Case("Affine", () -> new Affine(3), Shape.of(4), 4 * 3 + 3));
            LayerConformance.verify(new Case("TanhAffine", () -> new TanhAffine(3), Shape.of(4), 4 * 3 + 3));
        }).doesNotThrowAnyException();
    }

    private static void verifyPlanted(Position position, double error) {
        LayerConformance.verify(new Case("TanhAffine", () -> new TanhAffine(3, position, error), Shape.of(5),
                5 * 3 + 3));
    }

    @Test
    void theCorrectPlantedLayerPasses() {
        assertThatCode(() -> verifyPlanted(Position.NONE, 0)).doesNotThrowAnyException();
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"INPUT, 0.01", "INPUT, -0.01", "WEIGHT, 0.01", "WEIGHT, -0.01", "BIAS, 0.01", "BIAS, -0.01"})
    void aOnePercentErrorInAnyGradientFails(Position position, double error) {
        assertThatThrownBy(() -> verifyPlanted(position, error))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("gradients disagree")
                .hasMessageContaining(position == Position.INPUT ? "input" : "." + position.name().toLowerCase());
    }

    @Test
    void aLayerThatCannotBeSavedFails() {
        assertThatThrownBy(() -> LayerConformance.verify(new Case("LeakyReLU", () -> new LeakyReLU(0.1f),
                Shape.of(5), 0), LayerRegistry.of()))
                .isInstanceOf(AssertionError.class).hasMessageContaining("cannot be saved")
                .hasMessageContaining("META-INF/services");
    }

    /** Saves nothing of its slope, so the recreated layer differs: the config does not describe the layer. */
    static final class Forgetful extends Activation {
        final float slope;

        Forgetful(float slope) {
            this.slope = slope;
        }

        @Override
        protected float apply(float x) {
            return slope * x;
        }

        @Override
        protected float derivative(float x, float y) {
            return slope;
        }

        static final class Type extends LayerType<Forgetful> {
            Type() {
                super("test.Forgetful", Forgetful.class);
            }

            @Override
            public Forgetful create(LayerConfig config) {
                return new Forgetful(1);
            }
        }
    }

    @Test
    void aConfigThatDoesNotDescribeTheLayerFails() {
        assertThatThrownBy(() -> LayerConformance.verify(new Case("Forgetful", () -> new Forgetful(3),
                Shape.of(4), 0), LayerRegistry.of(new Forgetful.Type())))
                .isInstanceOf(AssertionError.class).hasMessageContaining("computes another output");
    }

    @Test
    void aWrongParameterCountFails() {
        assertThatThrownBy(() -> LayerConformance.verify(new Case("FeatureGain", FeatureGain::new, Shape.of(5), 6)))
                .isInstanceOf(AssertionError.class).hasMessageContaining("has 5 parameter values")
                .hasMessageContaining("expects 6");
    }

    /** A threshold unit: no useful derivative, so the kit skips its gradient part but nothing else. */
    static final class Threshold extends Activation implements NonDifferentiable {
        @Override
        protected float apply(float x) {
            return x > 0 ? 1 : 0;
        }

        @Override
        protected float derivative(float x, float y) {
            return 0;
        }

        static final class Type extends LayerType<Threshold> {
            Type() {
                super("test.Threshold", Threshold.class);
            }

            @Override
            public Threshold create(LayerConfig config) {
                return new Threshold();
            }
        }
    }

    @Test
    void aNonDifferentiableLayerSkipsOnlyTheGradientPart() {
        assertThatCode(() -> LayerConformance.verify(new Case("Threshold", Threshold::new, Shape.of(4), 0),
                LayerRegistry.of(new Threshold.Type()))).doesNotThrowAnyException();
        // the other checks still run: unregistered, it cannot be saved
        assertThatThrownBy(() -> LayerConformance.verify(new Case("Threshold", Threshold::new, Shape.of(4), 0),
                LayerRegistry.of())).isInstanceOf(AssertionError.class).hasMessageContaining("cannot be saved");
    }
}
