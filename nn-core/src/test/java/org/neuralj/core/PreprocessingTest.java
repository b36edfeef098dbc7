package org.neuralj.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class PreprocessingTest {

    @Test
    void dividesThenStandardizesPerFeature() {
        Preprocessing p = Preprocessing.divide(10).standardize(new float[] {1, -2}, new float[] {2, 4});
        Tensor raw = Tensor.of(new float[] {30, 20, 10, -60}, 2, 2);

        // ((30 / 10) - 1) / 2, ((20 / 10) + 2) / 4, ((10 / 10) - 1) / 2, ((-60 / 10) + 2) / 4
        assertThat(p.apply(raw).data()).containsExactly(1f, 1f, 0f, -1f);
        assertThat(raw.data()).containsExactly(30, 20, 10, -60);
        assertThat(Preprocessing.NONE.apply(raw).data()).containsExactly(30, 20, 10, -60);
    }

    @Test
    void multipliesByTheReciprocalAsTrainingDid() {
        Tensor raw = Tensor.row(1, 7, 254, 255);
        assertThat(Preprocessing.divide(255).apply(raw).data()).containsExactly(raw.scale(1f / 255).data());
    }

    @Test
    void badValuesAreRefusedNamingThem() {
        assertThatThrownBy(() -> Preprocessing.divide(0)).hasMessage("divisor must be finite and non-zero but was 0.0");
        assertThatThrownBy(() -> Preprocessing.NONE.standardize(new float[] {0, 0}, new float[] {1}))
                .hasMessageContaining("as many means as standard deviations but got 2 and 1");
        assertThatThrownBy(() -> Preprocessing.NONE.standardize(new float[] {0}, new float[] {0}))
                .hasMessage("feature 0: mean 0.0 and std 0.0 must be finite, std positive");
        assertThatThrownBy(() -> Preprocessing.NONE.withClassNames(List.of("cat", " ")))
                .hasMessageContaining("class names must not be blank");
        Preprocessing p = Preprocessing.NONE.standardize(new float[] {0, 0}, new float[] {1, 1});
        assertThatThrownBy(() -> p.apply(Tensor.row(1, 2, 3)))
                .hasMessage("the standardiser was fitted on 2 features but the data has 3");
    }

    @Test
    void classNamesByIndexOrNumbers() {
        Preprocessing named = Preprocessing.NONE.withClassNames(List.of("cat", "dog"));
        assertThat(named.className(1)).isEqualTo("dog");
        assertThatThrownBy(() -> named.className(2)).hasMessage("class 2 is not one of the 2 named classes [cat, dog]");
        assertThat(Preprocessing.NONE.className(7)).isEqualTo("7");
    }

    @Test
    void equalByValue() {
        assertThat(Preprocessing.divide(16).withClassNames(List.of("a", "b")))
                .isEqualTo(Preprocessing.divide(16).withClassNames(List.of("a", "b")))
                .isNotEqualTo(Preprocessing.divide(16));
        assertThat(Preprocessing.NONE.standardize(new float[] {1}, new float[] {2}))
                .isEqualTo(Preprocessing.NONE.standardize(new float[] {1}, new float[] {2}));
    }

    @Test
    void predictorAppliesItBeforeTheNetworkAndChecksItFits() {
        Sequential net = Sequential.builder().input(2).add(new com.example.userlayers.Affine(3)).build();
        Predictor predictor = new Predictor(net, Preprocessing.divide(4).withClassNames(List.of("a", "b", "c")));
        Tensor raw = Tensor.row(8, -4);

        assertThat(predictor.predict(raw).data()).containsExactly(net.predict(Tensor.row(2, -1)).data());
        assertThat(predictor.predictClasses(raw)).containsExactly(net.predictClasses(Tensor.row(2, -1)));
        assertThat(predictor.className(2)).isEqualTo("c");
        assertThatThrownBy(() -> new Predictor(net, Preprocessing.NONE.withClassNames(List.of("a", "b"))))
                .hasMessage("2 class names [a, b] for a network of 3 classes");
        assertThatThrownBy(() -> new Predictor(net, Preprocessing.NONE.standardize(new float[3], new float[] {1, 1, 1})))
                .hasMessage("the standardiser has 3 features but the network takes 2 inputs");
    }
}
