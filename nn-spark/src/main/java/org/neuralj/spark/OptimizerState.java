package org.neuralj.spark;

import java.util.Map;
import java.util.Set;
import org.neuralj.core.Optimizer;
import org.neuralj.core.ParameterBuffer;
import org.neuralj.core.Tensor;

/**
 * An optimizer's per-parameter state (Adam's {@code m} and {@code v}, SGD's momentum) as flat arrays in the layout of
 * the network's {@link ParameterBuffer}, so that averaging it is the same loop as averaging the weights. State
 * {@code s}, value {@code i} of the buffer, is at {@code s · length + i} of a block of {@code states · length} floats.
 *
 * <p>Read and written through {@link Optimizer#state}, the view a checkpoint uses, so it works for any optimizer; for
 * one that keeps its state in the buffer's layout (every {@code GradientOptimizer}) each parameter's part is one
 * {@code arraycopy}.
 */
final class OptimizerState {
    private OptimizerState() {
    }

    /** The names of {@code optimizer}'s state tensors, in its order (empty for a stateless optimizer). */
    static String[] names(Optimizer optimizer, ParameterBuffer parameters) {
        if (parameters.isEmpty()) {
            return new String[0];
        }
        return optimizer.state(parameters.get(0)).keySet().toArray(String[]::new);
    }

    /** Copies the state into {@code to} from {@code at}: {@code names.length · parameters.length()} floats. */
    static void read(Optimizer optimizer, ParameterBuffer parameters, String[] names, float[] to, int at) {
        int length = parameters.length();
        for (int p = 0; p < parameters.size(); p++) {
            Map<String, Tensor> state = stateOf(optimizer, parameters, names, p);
            for (int s = 0; s < names.length; s++) {
                Tensor t = state.get(names[s]);
                System.arraycopy(t.data(), t.offset(), to, at + s * length + parameters.offset(p), t.size());
            }
        }
    }

    /** Sets the state from {@code from} at {@code at}, laid out as {@link #read} writes it. */
    static void write(Optimizer optimizer, ParameterBuffer parameters, String[] names, float[] from, int at) {
        int length = parameters.length();
        for (int p = 0; p < parameters.size(); p++) {
            Map<String, Tensor> state = stateOf(optimizer, parameters, names, p);
            for (int s = 0; s < names.length; s++) {
                Tensor t = state.get(names[s]);
                System.arraycopy(from, at + s * length + parameters.offset(p), t.data(), t.offset(), t.size());
            }
        }
    }

    private static Map<String, Tensor> stateOf(Optimizer optimizer, ParameterBuffer parameters, String[] names,
                                               int p) {
        Map<String, Tensor> state = optimizer.state(parameters.get(p));
        if (!state.keySet().equals(Set.of(names))) {
            throw new IllegalStateException("optimizer " + optimizer.getClass().getName() + " keeps state "
                    + state.keySet() + " for parameter " + p + " but " + Set.of(names) + " for parameter 0");
        }
        return state;
    }
}
