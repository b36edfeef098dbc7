package org.neuralj.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import com.example.userlayers.FeatureGain;
import org.junit.jupiter.api.Test;

class LayerRegistryTest {

    /** A second type claiming the test name, to provoke a clash. */
    public static final class Impostor extends LayerType<FeatureGain> {
        public Impostor() {
            super("com.example.FeatureGain", FeatureGain.class);
        }

        @Override
        public FeatureGain create(LayerConfig config) {
            return new FeatureGain();
        }
    }

    @Test
    void serviceLoaderFindsTheTestTypeByNameAndByClass() {
        LayerRegistry registry = LayerRegistry.shared();
        assertThat(registry.names()).contains("com.example.FeatureGain");
        assertThat(registry.byName("com.example.FeatureGain")).isInstanceOf(FeatureGain.Type.class);
        assertThat(registry.forLayer(new FeatureGain()).name()).isEqualTo("com.example.FeatureGain");
        assertThat(registry.byClass(FeatureGain.class)).isSameAs(registry.byName("com.example.FeatureGain"));
        assertThat(registry.recreate(new FeatureGain())).isInstanceOf(FeatureGain.class);
    }

    @Test
    void unknownNamesAndUnregisteredClassesAreNamedInTheError() {
        LayerRegistry registry = LayerRegistry.of(new FeatureGain.Type());
        assertThatThrownBy(() -> registry.byName("Conv9D"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown layer type \"Conv9D\"")
                .hasMessageContaining("[com.example.FeatureGain]")
                .hasMessageContaining("META-INF/services/org.neuralj.core.LayerType");
        Layer anonymous = new Activation() {
            @Override
            protected float apply(float x) {
                return x;
            }

            @Override
            protected float derivative(float x, float y) {
                return 1;
            }
        };
        assertThatThrownBy(() -> registry.forLayer(anonymous))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("has no registered layer type")
                .hasMessageContaining(anonymous.getClass().getName());
        assertThat(registry.byClass(FeatureGain.class).name()).isEqualTo("com.example.FeatureGain");
    }

    @Test
    void twoTypesWithOneNameAreRefused() {
        assertThatThrownBy(() -> LayerRegistry.of(new FeatureGain.Type(), new Impostor()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("\"com.example.FeatureGain\" is registered twice")
                .hasMessageContaining(FeatureGain.Type.class.getName())
                .hasMessageContaining(Impostor.class.getName());
    }

    @Test
    void configArgumentsAcceptAnyNumberTypeAndNameBadValues() {
        Map<String, Object> m = new HashMap<>();
        m.put("units", 30L);
        m.put("rate", 0.25f);
        m.put("nested", Map.of("type", "zeros"));
        m.put("text", "thirty");
        m.put("fraction", 2.5);
        m.put("wraps", new java.math.BigInteger("18446744073709551621"));
        m.put("huge", 1e300);
        m.put("flag", true);
        LayerConfig c = LayerConfig.of(m);
        assertThat(c.getInt("units")).isEqualTo(30);
        assertThat(c.getFloat("rate")).isEqualTo(0.25f);
        assertThat(c.asMap().get("rate")).as("a float is kept as the double of the same value").isEqualTo(0.25);
        assertThat(c.getDouble("units")).isEqualTo(30.0);
        assertThat(c.getConfig("nested").getString("type")).isEqualTo("zeros");
        assertThat(c.getBoolean("flag")).isTrue();
        assertThat(List.copyOf(c.asMap().keySet())).as("sorted keys").isSorted();
        assertThatThrownBy(() -> c.getInt("text")).hasMessage(
                "config \"text\" must be an integer but was \"thirty\"");
        assertThatThrownBy(() -> c.getInt("fraction")).hasMessageContaining("but was 2.5");
        assertThatThrownBy(() -> c.getInt("absent")).hasMessageContaining("but was missing");
        assertThatThrownBy(() -> c.getInt("wraps")).hasMessageContaining("must be an integer");
        assertThatThrownBy(() -> c.getFloat("huge")).hasMessageContaining("fits a float");
        assertThatThrownBy(() -> c.getConfig("text")).hasMessageContaining("must be an object");
        assertThatThrownBy(() -> c.getBoolean("text")).hasMessageContaining("true or false");
    }

    @Test
    void aConfigHoldsOnlyWhatJsonCanStoreExactly() {
        assertThatThrownBy(() -> LayerConfig.of(Map.of("rate", Double.NaN)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("config.rate holds NaN");
        assertThatThrownBy(() -> LayerConfig.of(Map.of("shape", Shape.of(3))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("config.shape")
                .hasMessageContaining("org.neuralj.core.Shape");
        assertThatThrownBy(() -> LayerConfig.of(Map.of("inner", Map.of(1, 2))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("non-string key 1");
    }

    @Test
    void copySharesNoMutableStateAndPredictsTheSame() {
        Sequential net = Sequential.builder().input(3).add(new FeatureGain()).add(new FeatureGain()).seed(5).build();
        net.rng().nextLong();
        Sequential copy = net.copy();
        Tensor x = Tensor.of(new float[] {1, -2, 3, 0.5f, 4, -1}, 2, 3);
        assertThat(copy.predict(x).contentEquals(net.predict(x))).isTrue();
        assertThat(copy.rng().state()).isEqualTo(net.rng().state());
        List<Parameter> ps = net.parameters(), cs = copy.parameters();
        for (int i = 0; i < ps.size(); i++) {
            assertThat(cs.get(i).value()).isNotSameAs(ps.get(i).value());
            assertThat(cs.get(i).value().contentEquals(ps.get(i).value())).isTrue();
        }
        copy.parameters().get(0).value().fill(7f);
        assertThat(net.parameters().get(0).value().contentEquals(copy.parameters().get(0).value())).isFalse();
    }
}
