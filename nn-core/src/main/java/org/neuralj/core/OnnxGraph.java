package org.neuralj.core;

import java.util.Map;

/**
 * The ONNX graph a network is being exported into, as a layer's {@link OnnxMapping} sees it. Values (tensors flowing
 * between nodes) are referred to by name. The exporter, {@code org.neuralj.onnx.Onnx} in the {@code neuralj-onnx}
 * module, implements it over the ONNX protobuf; this interface keeps layers free of any protobuf dependency.
 *
 * <p>Every node is in the default ONNX domain at the exporter's {@link #opset()}: a mapping may use only operators
 * and attributes of that version (see the <a href="https://onnx.ai/onnx/operators/">operator list</a>).
 */
public interface OnnxGraph {

    /** The version of the default ONNX operator set the graph is written for. */
    int opset();

    /**
     * Adds a float32 constant (an ONNX initializer) holding a copy of {@code value}'s values, in its shape.
     *
     * @param hint a readable part of the name, e.g. {@code "weights"}; the exporter makes the name unique
     * @return the constant's name, to pass as an input of {@link #node}
     */
    String constant(String hint, Tensor value);

    /**
     * Adds a 1-D int64 constant (an ONNX initializer) of {@code values}, for the inputs ONNX wants as integers, such
     * as {@code Reshape}'s target shape.
     *
     * @param hint a readable part of the name, e.g. {@code "shape"}; the exporter makes the name unique
     * @return the constant's name, to pass as an input of {@link #node}
     */
    String longConstant(String hint, long... values);

    /**
     * Adds one node computing {@code opType(inputs)} and returns the name of its single output.
     *
     * @param attributes the node's attributes; values may be {@code Integer} or {@code Long} (ONNX {@code INT}),
     *                   {@code Float} or {@code Double} ({@code FLOAT}), {@code String} ({@code STRING}),
     *                   {@code int[]} or {@code long[]} ({@code INTS}) and {@code float[]} ({@code FLOATS})
     * @param inputs     names returned by {@link #constant}, by earlier {@code node} calls, or the mapping's input
     * @throws IllegalArgumentException for a blank operator, an input the graph does not hold, or an attribute value
     *                                  of another type, naming it
     */
    String node(String opType, Map<String, Object> attributes, String... inputs);

    /** {@link #node(String, Map, String...)} without attributes. */
    default String node(String opType, String... inputs) {
        return node(opType, Map.of(), inputs);
    }
}
