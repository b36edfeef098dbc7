package org.neuralj.core;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.example.userlayers.Affine;
import org.junit.jupiter.api.Test;

class BuildContextTest {
    @Test
    void aLayerTooLargeForTheHeapIsRefusedBeforeAllocating() {
        // 64 x 33,554,431 weights: an int-sized tensor, but with its gradient about 17 GB
        int units = Integer.MAX_VALUE / 64 - 1;
        long values = 64L * units;
        if (values * 8 <= Runtime.getRuntime().maxMemory()) {
            return; // a heap this large could hold it: nothing to refuse
        }
        assertThatThrownBy(() -> Sequential.builder().input(64).add(new Affine(units)).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("layer 0 (Affine(" + units + "))").hasMessageContaining("\"weights\"")
                .hasMessageContaining("[64, " + units + "]").hasMessageContaining("heap");
    }
}
