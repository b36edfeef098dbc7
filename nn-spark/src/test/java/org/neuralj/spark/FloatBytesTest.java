package org.neuralj.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The byte form of what a round sends: every float's bits come back, in little-endian order. */
class FloatBytesTest {

    @Test
    void everyBitComesBackNaNPayloadsIncluded() {
        float oddNaN = Float.intBitsToFloat(0x7fc0_1234);
        float[] values = {0f, -0f, 1.5f, -3e38f, Float.MIN_VALUE, Float.POSITIVE_INFINITY, oddNaN};

        byte[] bytes = FloatBytes.of(values);
        float[] back = FloatBytes.floats(bytes);

        assertThat(bytes).hasSize(4 * values.length);
        assertThat(bytes[8]).isEqualTo((byte) 0x00); // 1.5f is 0x3fc00000, least significant byte first
        assertThat(bytes[11]).isEqualTo((byte) 0x3f);
        for (int i = 0; i < values.length; i++) {
            assertThat(Float.floatToRawIntBits(back[i])).isEqualTo(Float.floatToRawIntBits(values[i]));
        }
    }

    @Test
    void refusesBytesThatDoNotMatchTheFloats() {
        assertThatThrownBy(() -> FloatBytes.read(new byte[8], new float[3]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("8 bytes cannot fill 3 floats");
        assertThatThrownBy(() -> FloatBytes.floats(new byte[6]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("6 bytes");
    }
}
