package org.neuralj.layers;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.neuralj.core.Layer;
import org.neuralj.core.Shape;
import org.neuralj.testkit.LayerConformance;
import org.neuralj.testkit.LayerConformance.Case;

/** Every built-in layer goes through {@link LayerConformance}; a new layer class cannot be left out silently. */
class BuiltInLayersConformanceTest {

    static List<Case> cases() {
        return List.of(
                new Case("Dense", () -> new Dense(3), Shape.of(5), 5 * 3 + 3),
                new Case("Sigmoid", Sigmoid::new, Shape.of(6), 0),
                new Case("ReLU", ReLU::new, Shape.of(6), 0),
                new Case("Tanh", Tanh::new, Shape.of(6), 0),
                new Case("Softmax", Softmax::new, Shape.of(4), 0),
                new Case("Step", Step::new, Shape.of(6), 0),
                new Case("Dropout", () -> new Dropout(0.3), Shape.of(6), 0),
                new Case("Flatten", Flatten::new, Shape.of(2, 3, 4), 0),
                new Case("Reshape", () -> new Reshape(3, 2, 2), Shape.of(12), 0),
                // stride 2 and padding 1 on 7x6: 4x3 outputs, the last column by the floor rule
                new Case("Conv2D", () -> new Conv2D(3, 3, 2, Padding.explicit(1)), Shape.of(2, 7, 6), 3 * 2 * 9 + 3),
                new Case("MaxPool2D", () -> new MaxPool2D(2), Shape.of(2, 5, 4), 0),
                new Case("AvgPool2D", () -> new AvgPool2D(3, 2), Shape.of(2, 7, 6), 0),
                new Case("GlobalAvgPool2D", GlobalAvgPool2D::new, Shape.of(3, 4, 5), 0),
                // per feature of [B, F] and per channel of [B, C, H, W]; gradients checked in training mode
                new Case("BatchNorm", BatchNorm::new, Shape.of(5), 2 * 5),
                new Case("BatchNorm", BatchNorm::new, Shape.of(3, 4, 2), 2 * 3));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void conforms(Case c) {
        LayerConformance.verify(c);
    }

    @Test
    void everyConcreteLayerClassOfTheModuleIsChecked() throws IOException, URISyntaxException {
        Path classes = Path.of(Dense.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Set<String> found = new TreeSet<>();
        try (Stream<Path> files = Files.walk(classes)) {
            for (Path p : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".class"))::iterator) {
                String name = classes.relativize(p).toString().replace('/', '.').replaceAll("\\.class$", "");
                try {
                    Class<?> c = Class.forName(name);
                    if (Layer.class.isAssignableFrom(c) && !c.isInterface() && !Modifier.isAbstract(c.getModifiers())
                            && Modifier.isPublic(c.getModifiers())) {
                        found.add(c.getSimpleName());
                    }
                } catch (ClassNotFoundException e) {
                    throw new AssertionError("cannot load " + name, e);
                }
            }
        }
        Set<String> checked = new TreeSet<>(cases().stream().map(Case::name).toList());
        assertThat(found).as("layer classes in nn-layers").isNotEmpty();
        assertThat(checked).as("layers run through the conformance family").isEqualTo(found);
        assertThat(checked).hasSize((int) cases().stream().map(Case::name).distinct().count());
    }
}
