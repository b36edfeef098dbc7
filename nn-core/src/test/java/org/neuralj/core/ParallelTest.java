package org.neuralj.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

class ParallelTest {

    @Test
    void runsEveryBlockExactlyOnce() {
        for (int blocks : new int[] {0, 1, 2, 7, 100}) {
            AtomicIntegerArray runs = new AtomicIntegerArray(blocks);
            Parallel.forEach(blocks, runs::incrementAndGet);
            for (int b = 0; b < blocks; b++) {
                assertThat(runs.get(b)).as("block %d of %d", b, blocks).isEqualTo(1);
            }
        }
    }

    @Test
    void aFailingBlockFailsTheCallAfterTheOthersFinished() {
        AtomicIntegerArray runs = new AtomicIntegerArray(9);
        assertThatThrownBy(() -> Parallel.forEach(9, b -> {
            runs.incrementAndGet(b);
            if (b == 7) {
                throw new IllegalStateException("block 7 failed");
            }
        })).isInstanceOf(IllegalStateException.class).hasMessage("block 7 failed");
        assertThat(runs.get(8) + runs.get(0)).as("blocks of other shares still ran").isPositive();
    }
}
