package org.neuralj.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.neuralj.core.TorchMapping.TorchParameter;

class TorchMappingTest {

    @Test
    void torchShapeFollowsTheAxes() {
        Parameter weights = new Parameter("weights", Tensor.zeros(4, 3));
        assertThat(new TorchParameter("weight", weights, 1, 0).torchShape()).containsExactly(3, 4);
        assertThat(new TorchParameter("weight", weights, 0, 1).torchShape()).containsExactly(4, 3);
        Parameter kernel = new Parameter("kernel", Tensor.zeros(2, 3, 5));
        assertThat(new TorchParameter("weight", kernel, 2, 0, 1).torchShape()).containsExactly(3, 5, 2);
    }

    @Test
    void axesMustBeAnOrderOfTheParametersAxes() {
        Parameter weights = new Parameter("weights", Tensor.zeros(4, 3));
        assertThatThrownBy(() -> new TorchParameter("weight", weights, 0))
                .hasMessage("TorchParameter \"weight\": axes [0] are not an order of the 2 axes of"
                        + " Parameter(weights, [4, 3])");
        assertThatThrownBy(() -> new TorchParameter("weight", weights, 1, 1))
                .hasMessageContaining("axes [1, 1] are not an order");
        assertThatThrownBy(() -> new TorchParameter("weight", weights, 0, 2))
                .hasMessageContaining("axes [0, 2] are not an order");
        assertThatThrownBy(() -> new TorchParameter(" ", weights, 1, 0))
                .hasMessageContaining("needs a name");
    }

    @Test
    void axesAreCopiedInAndOut() {
        int[] axes = {1, 0};
        TorchParameter p = new TorchParameter("weight", new Parameter("w", Tensor.zeros(2, 2)), axes);
        axes[0] = 0;
        p.axes()[1] = 1;
        assertThat(p.axes()).containsExactly(1, 0);
    }
}
