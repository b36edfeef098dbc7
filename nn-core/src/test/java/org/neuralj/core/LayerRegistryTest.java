package org.neuralj.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LayerRegistryTest {

    /** A second type claiming the test name, to provoke a clash. */
    public static final class Impostor implements LayerType {
        @Override
        public String name() {
            return "test.Scale";
        }

        @Override
        public Class<? extends Layer> layerClass() {
            return Scale.class;
        }

        @Override
        public Layer create(Map<String, Object> config) {
            return new Scale();
        }
    }

    @Test
    void serviceLoaderFindsTheTestTypeByNameAndByClass() {
        LayerRegistry registry = LayerRegistry.shared();
        assertThat(registry.names()).contains("test.Scale");
        assertThat(registry.byName("test.Scale")).isInstanceOf(ScaleType.class);
        assertThat(registry.forLayer(new Scale()).name()).isEqualTo("test.Scale");
        assertThat(registry.byClass(Scale.class)).isSameAs(registry.byName("test.Scale"));
        assertThat(registry.recreate(new Scale())).isInstanceOf(Scale.class);
    }

    @Test
    void unknownNamesAndUnregisteredClassesAreNamedInTheError() {
        LayerRegistry registry = LayerRegistry.of(new ScaleType());
        assertThatThrownBy(() -> registry.byName("Conv9D"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown layer type \"Conv9D\"")
                .hasMessageContaining("[test.Scale]")
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
        assertThat(registry.byClass(Scale.class).name()).isEqualTo("test.Scale");
    }

    @Test
    void twoTypesWithOneNameAreRefused() {
        assertThatThrownBy(() -> LayerRegistry.of(new ScaleType(), new Impostor()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("\"test.Scale\" is registered twice")
                .hasMessageContaining(ScaleType.class.getName())
                .hasMessageContaining(Impostor.class.getName());
    }

    @Test
    void configArgumentsAcceptAnyNumberTypeAndNameBadValues() {
        Map<String, Object> c = new HashMap<>();
        c.put("units", 30L);
        c.put("rate", 0.25f);
        c.put("nested", Map.of("type", "zeros"));
        c.put("text", "thirty");
        c.put("fraction", 2.5);
        assertThat(LayerType.intArg(c, "units")).isEqualTo(30);
        assertThat(LayerType.floatArg(c, "rate")).isEqualTo(0.25f);
        assertThat(LayerType.doubleArg(c, "units")).isEqualTo(30.0);
        assertThat(LayerType.mapArg(c, "nested")).containsEntry("type", "zeros");
        assertThatThrownBy(() -> LayerType.intArg(c, "text")).hasMessage(
                "config \"text\" must be an integer but was \"thirty\"");
        assertThatThrownBy(() -> LayerType.intArg(c, "fraction")).hasMessageContaining("but was 2.5");
        assertThatThrownBy(() -> LayerType.intArg(c, "absent")).hasMessageContaining("but was missing");
        c.put("wraps", new java.math.BigInteger("18446744073709551621"));
        assertThatThrownBy(() -> LayerType.intArg(c, "wraps")).hasMessageContaining("must be an integer");
        c.put("huge", 1e300);
        assertThatThrownBy(() -> LayerType.floatArg(c, "huge")).hasMessageContaining("must fit a float");
        assertThatThrownBy(() -> LayerType.mapArg(c, "text")).hasMessageContaining("must be an object");
    }

    @Test
    void copySharesNoMutableStateAndPredictsTheSame() {
        Sequential net = Sequential.builder().input(3).add(new Scale()).add(new Scale()).seed(5).build();
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
