package org.neuralj.core;

/**
 * How a layer is written to ONNX. The layer's {@link LayerType} implements it, so everything a layer says about its
 * stored forms (file config, ONNX, PyTorch) stays in one nested class in the layer's own file, found by the same
 * {@link LayerRegistry} lookup as saving:
 *
 * <pre>{@code
 * public static final class Type extends LayerType<LeakyReLU> implements OnnxMapping<LeakyReLU> {
 *     ...
 *     @Override public String toOnnx(LeakyReLU layer, OnnxGraph graph, String input) {
 *         return graph.node("LeakyRelu", Map.of("alpha", layer.alpha), input);
 *     }
 * }
 * }</pre>
 *
 * The exporter refuses a layer whose type does not implement it, naming the layer's index and name.
 *
 * @param <L> the layer class, as in the type's {@code LayerType<L>}
 */
public interface OnnxMapping<L extends Layer> {

    /**
     * Adds to {@code graph} the nodes that compute {@code layer}'s inference pass, {@code forward(x, false)}, and
     * returns the name of the value holding its result.
     *
     * @param layer the built layer, with its trained parameters
     * @param input a float tensor of shape {@code [N, ...inputShape]} ({@code N} samples, each of the layer's input
     *              shape); the result must have shape {@code [N, ...outputShape]}
     */
    String toOnnx(L layer, OnnxGraph graph, String input);
}
