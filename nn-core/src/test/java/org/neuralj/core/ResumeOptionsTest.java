package org.neuralj.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import com.example.userlayers.FeatureGain;
import com.example.userlayers.PlainSgd;
import com.example.userlayers.SquaredError;
import org.junit.jupiter.api.Test;

/** {@link FitOptions#initialEpoch}: the hook that lets a checkpointed run continue where it stopped. */
class ResumeOptionsTest {

    private static Dataset data() {
        Rng rng = new Rng(3);
        Tensor x = Tensor.randn(rng, 20, 2);
        Tensor y = x.scale(2f);
        return new Dataset(x, y);
    }

    @Test
    void resumingAtEpochTwoContinuesBitForBitWhenTheGeneratorIsRestored() {
        Sequential straight = Sequential.builder().input(2).add(new FeatureGain()).seed(9).build();
        History all = Trainer.fit(straight, data(), FitOptions.of(new SquaredError(), new PlainSgd(0.1)).epochs(4).batchSize(3).quiet());

        Sequential first = Sequential.builder().input(2).add(new FeatureGain()).seed(9).build();
        Trainer.fit(first, data(), FitOptions.of(new SquaredError(), new PlainSgd(0.1)).epochs(2).batchSize(3).quiet());
        Sequential resumed = first.copy();
        List<Integer> seen = new ArrayList<>();
        History rest = Trainer.fit(resumed, data(), FitOptions.of(new SquaredError(), new PlainSgd(0.1)).epochs(4).initialEpoch(2)
                .batchSize(3).quiet().listener(new TrainingListener() {
                    @Override
                    public void onEpochBegin(int epoch, TrainingContext context) {
                        seen.add(epoch);
                    }
                }));

        assertThat(seen).containsExactly(3, 4);
        assertThat(rest.epochs()).extracting(EpochResult::epoch).containsExactly(3, 4);
        assertThat(rest.loss()).containsExactly(all.loss()[2], all.loss()[3]);
        assertThat(resumed.parameters().get(0).value().contentEquals(straight.parameters().get(0).value())).isTrue();
    }

    @Test
    void initialEpochMustLeaveSomethingToTrain() {
        assertThatThrownBy(() -> FitOptions.of(new SquaredError(), new PlainSgd(0.1)).initialEpoch(-1))
                .hasMessage("initialEpoch must be non-negative but was -1");
        Sequential net = Sequential.builder().input(2).add(new FeatureGain()).seed(9).build();
        assertThatThrownBy(() -> Trainer.fit(net, data(), FitOptions.of(new SquaredError(), new PlainSgd(0.1)).epochs(3).initialEpoch(3)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("initialEpoch 3 leaves nothing to train");
    }
}
