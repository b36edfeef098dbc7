package org.neuralj.layers;

import java.util.Map;
import org.neuralj.core.Layer;
import org.neuralj.core.LayerType;
import org.neuralj.core.Shape;

/**
 * The {@link LayerType}s of this module's layers, registered in {@code META-INF/services/org.neuralj.core.LayerType}.
 * Their names are part of the model file format: never rename one.
 */
public final class BuiltInLayerTypes {
    private BuiltInLayerTypes() {
    }

    /** {@code "Dense"}: config {@code units}, {@code weightInit}, {@code biasInit}. */
    public static final class DenseType implements LayerType {
        @Override
        public String name() {
            return "Dense";
        }

        @Override
        public Class<? extends Layer> layerClass() {
            return Dense.class;
        }

        @Override
        public Layer create(Map<String, Object> config) {
            return new Dense(LayerType.intArg(config, "units"),
                    Initializer.fromConfig(LayerType.mapArg(config, "weightInit")),
                    Initializer.fromConfig(LayerType.mapArg(config, "biasInit")));
        }

        /** {@code in · units} weights plus {@code units} biases. */
        @Override
        public long parameterCount(Map<String, Object> config, Shape inputShape) {
            long units = LayerType.intArg(config, "units");
            return (long) inputShape.size() * units + units;
        }
    }

    /** {@code "ReLU"}: no config. */
    public static final class ReLUType extends Stateless {
        public ReLUType() {
            super("ReLU", ReLU.class);
        }

        @Override
        public Layer create(Map<String, Object> config) {
            return new ReLU();
        }
    }

    /** {@code "Sigmoid"}: no config. */
    public static final class SigmoidType extends Stateless {
        public SigmoidType() {
            super("Sigmoid", Sigmoid.class);
        }

        @Override
        public Layer create(Map<String, Object> config) {
            return new Sigmoid();
        }
    }

    /** {@code "Tanh"}: no config. */
    public static final class TanhType extends Stateless {
        public TanhType() {
            super("Tanh", Tanh.class);
        }

        @Override
        public Layer create(Map<String, Object> config) {
            return new Tanh();
        }
    }

    /** {@code "Softmax"}: no config. */
    public static final class SoftmaxType extends Stateless {
        public SoftmaxType() {
            super("Softmax", Softmax.class);
        }

        @Override
        public Layer create(Map<String, Object> config) {
            return new Softmax();
        }
    }

    /** {@code "Dropout"}: config {@code rate}. */
    public static final class DropoutType extends Stateless {
        public DropoutType() {
            super("Dropout", Dropout.class);
        }

        @Override
        public Layer create(Map<String, Object> config) {
            return new Dropout(LayerType.doubleArg(config, "rate"));
        }
    }

    /** A type whose layers have no parameters, so they allocate nothing when built. */
    private abstract static class Stateless implements LayerType {
        private final String name;
        private final Class<? extends Layer> layerClass;

        Stateless(String name, Class<? extends Layer> layerClass) {
            this.name = name;
            this.layerClass = layerClass;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public Class<? extends Layer> layerClass() {
            return layerClass;
        }

        @Override
        public long parameterCount(Map<String, Object> config, Shape inputShape) {
            return 0;
        }
    }
}
