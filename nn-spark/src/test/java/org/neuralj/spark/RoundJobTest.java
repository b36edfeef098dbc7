package org.neuralj.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** When a round is one job straight to the driver: exactly where treeAggregate at depth 2 has no level between. */
class RoundJobTest {

    @Test
    void upToFivePartitionsTheTreeHasOneLevel() {
        // Spark's rule: a level while N > scale + ⌈N / scale⌉, scale = max(⌈√N⌉, 2)
        assertThat(IntStream.rangeClosed(1, 12).filter(RoundJob::treeHasOneLevel).toArray())
                .containsExactly(1, 2, 3, 4, 5);
        assertThat(RoundJob.treeHasOneLevel(100)).isFalse();
    }
}
