package org.neuralj.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HeapBudgetTest {
    @Test
    void smallAllocationsFitAndOnesBeyondTheMaximumHeapDoNot() {
        assertThat(HeapBudget.available()).isPositive().isLessThanOrEqualTo(Runtime.getRuntime().maxMemory());
        assertThat(HeapBudget.shortfall(1024)).isNull();
        long beyond = Runtime.getRuntime().maxMemory() + 1;
        assertThat(HeapBudget.fits(beyond)).isFalse();
        assertThat(HeapBudget.shortfall(beyond)).contains(String.format(java.util.Locale.ROOT, "needs %,d bytes", beyond))
                .contains("-Xmx");
    }
}
