package org.neuralj.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.example.userlayers.Affine;
import com.example.userlayers.FeatureGain;
import java.util.List;
import org.junit.jupiter.api.Test;

class ParameterBufferTest {
    private static Sequential network() {
        return Sequential.builder().input(3).add(new Affine(4)).add(new FeatureGain()).add(new Affine(2)).seed(5)
                .build();
    }

    @Test
    void everyParameterIsAViewOfTheBufferInLayerOrder() {
        Sequential net = network();
        ParameterBuffer buffer = net.parameters();
        assertThat(buffer).hasSize(5); // weights, bias, gain, weights, bias
        assertThat(buffer.length()).isEqualTo(12 + 4 + 4 + 8 + 2).isEqualTo(net.parameterCount());
        int expectedOffset = 0;
        for (int i = 0; i < buffer.size(); i++) {
            Parameter p = buffer.get(i);
            assertThat(buffer.offset(i)).isEqualTo(expectedOffset);
            assertThat(p.value().offset()).isEqualTo(expectedOffset);
            assertThat(p.grad().offset()).isEqualTo(expectedOffset);
            assertThat(p.value().data()).isSameAs(buffer.values());
            assertThat(p.grad().data()).isSameAs(buffer.gradients());
            assertThat(p.buffer()).isSameAs(buffer);
            for (int j = 0; j < p.size(); j++) {
                assertThat(buffer.indexAt(expectedOffset + j)).isEqualTo(i);
            }
            expectedOffset += p.size();
        }
        assertThat(buffer.values()).hasSize(expectedOffset);
    }

    @Test
    void theMoveKeepsTheInitialValuesTheSeedGave() {
        // the same layers built alone (no buffer) draw the same numbers from the same generator
        Affine alone = new Affine(4);
        alone.build(Shape.of(3), BuildContext.of(new Rng(5)));
        Sequential net = network();
        assertThat(net.parameters().get(0).value().toArray()).containsExactly(alone.parameters().get(0).value().toArray());
    }

    @Test
    void writesThroughAParameterAndThroughTheBufferAreTheSame() {
        ParameterBuffer buffer = network().parameters();
        Parameter gain = buffer.get(2);
        gain.value().set(1, 7.5f);
        assertThat(buffer.values()[buffer.offset(2) + 1]).isEqualTo(7.5f);
        buffer.gradients()[buffer.offset(2) + 3] = -2f;
        assertThat(gain.grad().get(3)).isEqualTo(-2f);
        gain.grad().fill(1f);
        assertThat(buffer.gradients()[buffer.offset(2) - 1]).as("the parameter before is untouched").isZero();
        assertThat(buffer.gradients()[buffer.offset(3)]).as("the parameter after is untouched").isZero();
        buffer.zeroGradients();
        assertThat(gain.grad().toArray()).containsOnly(0f);
    }

    @Test
    void aViewOfAnArrayOfTheSameLayoutSharesIt() {
        ParameterBuffer buffer = network().parameters();
        float[] state = new float[buffer.length()];
        Tensor v = buffer.view(state, 3);
        assertThat(v.shape()).isEqualTo(buffer.get(3).value().shape());
        v.set(0, 4f);
        assertThat(state[buffer.offset(3)]).isEqualTo(4f);
        assertThatThrownBy(() -> buffer.view(new float[buffer.length() - 1], 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(String.valueOf(buffer.length()));
    }

    @Test
    void aCopyHasItsOwnBufferWithTheSameValues() {
        Sequential net = network();
        Sequential copy = net.copy();
        assertThat(copy.parameters().values()).containsExactly(net.parameters().values())
                .isNotSameAs(net.parameters().values());
        Tensor x = Tensor.of(new float[] {0.5f, -1, 2}, 1, 3);
        assertThat(copy.predict(x).contentEquals(net.predict(x))).isTrue();
    }

    @Test
    void aParameterBelongsToOneBufferOnly() {
        Parameter p = new Parameter("w", Tensor.zeros(2));
        new ParameterBuffer(List.of(p));
        assertThatThrownBy(() -> new ParameterBuffer(List.of(p))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("another network's");
        Parameter q = new Parameter("q", Tensor.zeros(2));
        assertThatThrownBy(() -> new ParameterBuffer(List.of(q, q))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("parameter 1");
        assertThat(q.buffer()).as("refused before anything moved").isNull();
    }

    @Test
    void aNewParameterOwnsItsValues() {
        Tensor view = network().parameters().get(1).value();
        assertThatThrownBy(() -> new Parameter("b", view)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("offset " + view.offset());
        assertThat(new Parameter("b", view.copy()).value().offset()).isZero();
    }
}
