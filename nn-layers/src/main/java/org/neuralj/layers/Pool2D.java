package org.neuralj.layers;

import java.util.Map;
import java.util.function.BiFunction;
import org.neuralj.core.AbstractLayer;
import org.neuralj.core.LayerConfig;
import org.neuralj.core.LayerType;
import org.neuralj.core.OnnxGraph;
import org.neuralj.core.OnnxMapping;
import org.neuralj.core.Shape;

/**
 * What every pooling layer shares: {@code size × size} windows, {@code stride} apart, without padding, over each
 * channel of {@code [C, H, W]} samples; the output size by the floor rule of {@link Padding}. Its saved form is the
 * two numbers, and its ONNX form one pooling node with them. A subclass states only its forward and backward pass.
 */
abstract class Pool2D extends AbstractLayer {
    private final String kind;
    /** The window's side. */
    protected final int size;
    /** How far apart windows start. */
    protected final int stride;
    /** Where the windows fall on the input, known once built. */
    protected Window w;

    /** {@code kind} names the layer in messages and its saved type, e.g. {@code "MaxPool2D"}. */
    Pool2D(String kind, int size, int stride) {
        Window.requirePositive(kind, "size", size);
        Window.requirePositive(kind, "stride", stride);
        this.kind = kind;
        this.size = size;
        this.stride = stride;
    }

    @Override
    protected final Shape build(Shape inputShape) {
        w = Window.of(name(), inputShape, size, stride, Padding.VALID);
        return Shape.of(w.channels(), w.outH(), w.outW());
    }

    @Override
    public final String name() {
        return kind + "(" + size + (stride != size ? ", stride " + stride : "") + ")";
    }

    /**
     * A pooling layer saved as its kind with {@code size} and {@code stride}; in ONNX, the node {@code onnxOp} with
     * {@code kernel_shape = [size, size]}, {@code strides = [stride, stride]}, no {@code pads} and {@code ceil_mode}
     * 0 (the floor rule, as here).
     */
    abstract static class PoolType<L extends Pool2D> extends LayerType<L> implements OnnxMapping<L> {
        private final BiFunction<Integer, Integer, L> constructor;
        private final String onnxOp;

        PoolType(String name, Class<L> layerClass, BiFunction<Integer, Integer, L> constructor, String onnxOp) {
            super(name, layerClass);
            this.constructor = constructor;
            this.onnxOp = onnxOp;
        }

        @Override
        public final Map<String, Object> config(L layer) {
            return Map.of("size", layer.size, "stride", layer.stride);
        }

        @Override
        public final L create(LayerConfig config) {
            return constructor.apply(config.getInt("size"), config.getInt("stride"));
        }

        @Override
        public final String toOnnx(L layer, OnnxGraph graph, String input) {
            return graph.node(onnxOp, Map.of("kernel_shape", new int[] {layer.size, layer.size},
                    "strides", new int[] {layer.stride, layer.stride}), input);
        }
    }
}
