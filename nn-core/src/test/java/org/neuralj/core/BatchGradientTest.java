package org.neuralj.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.example.userlayers.Affine;
import com.example.userlayers.PlainSgd;
import com.example.userlayers.SquaredError;
import com.example.userlayers.TanhAffine;
import org.junit.jupiter.api.Test;

class BatchGradientTest {
    private static Sequential network() {
        return Sequential.builder().input(4).add(new TanhAffine(6)).add(new Affine(3)).seed(9).build();
    }

    private static Tensor random(int rows, int cols, long seed) {
        return Tensor.uniform(new Rng(seed), -1, 1, rows, cols);
    }

    @Test
    void sharesWeightedByTheirRowsSumToTheWholeBatchsGradient() {
        Tensor x = random(10, 4, 1), y = random(10, 3, 2);
        Sequential whole = network(), parts = network();
        whole.parameters().zeroGradients();
        double loss = new BatchGradient(whole, new SquaredError()).accumulate(x, y, 1);
        parts.parameters().zeroGradients();
        BatchGradient share = new BatchGradient(parts, new SquaredError());
        double first = share.accumulate(x.sliceRows(0, 3), y.sliceRows(0, 3), 0.3);
        double second = share.accumulate(x.sliceRows(3, 10), y.sliceRows(3, 10), 0.7);
        assertThat(0.3 * first + 0.7 * second).isCloseTo(loss, org.assertj.core.data.Offset.offset(1e-6));
        float[] expected = whole.parameters().gradients(), actual = parts.parameters().gradients();
        for (int i = 0; i < expected.length; i++) {
            assertThat(actual[i]).as("gradient %d", i).isCloseTo(expected[i], org.assertj.core.data.Offset.offset(
                    1e-6f + 1e-5f * Math.abs(expected[i])));
        }
        assertThat(expected).as("the gradient is not trivially zero").isNotEqualTo(new float[expected.length]);
    }

    @Test
    void itAddsAndDoesNotStep() {
        Tensor x = random(5, 4, 3), y = random(5, 3, 4);
        Sequential net = network();
        float[] before = net.parameters().values().clone();
        net.parameters().zeroGradients();
        BatchGradient g = new BatchGradient(net, new SquaredError());
        g.accumulate(x, y, 1);
        float[] once = net.parameters().gradients().clone();
        g.accumulate(x, y, 1);
        for (int i = 0; i < once.length; i++) {
            // the second pass adds into the first's sums, so the rounding (not the value) may differ from 2 × once
            assertThat(net.parameters().gradients()[i]).isCloseTo(2 * once[i],
                    org.assertj.core.data.Offset.offset(1e-6f + 1e-6f * Math.abs(once[i])));
        }
        assertThat(once).as("the gradient is not trivially zero").isNotEqualTo(new float[once.length]);
        assertThat(net.parameters().values()).containsExactly(before);
    }

    @Test
    void fitsStepIsZeroAccumulateStepBitForBit() {
        Tensor x = random(8, 4, 5), y = random(8, 3, 6);
        Sequential fitted = network(), manual = network();
        Trainer.fit(fitted, new Dataset(x, y), FitOptions.of(new SquaredError(), new PlainSgd(0.1)).epochs(1)
                .batchSize(8).shuffle(false).quiet());
        manual.parameters().zeroGradients();
        Trainer.accumulateGradients(manual, x, y, new SquaredError(), 1);
        new PlainSgd(0.1).step(manual.parameters());
        assertThat(manual.parameters().values()).containsExactly(fitted.parameters().values());
    }

    @Test
    void aWeightMustBeFinite() {
        BatchGradient g = new BatchGradient(network(), new SquaredError());
        assertThatThrownBy(() -> g.accumulate(random(2, 4, 1), random(2, 3, 1), Double.NaN))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NaN");
    }
}
