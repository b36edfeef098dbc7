package com.example.userlayers;

import java.util.Map;
import org.neuralj.core.Layer;
import org.neuralj.core.LayerType;
import org.neuralj.core.Shape;

/** How a user registers layers for saving: one {@link LayerType} each, listed in the test META-INF/services file. */
public final class UserLayerTypes {
    private UserLayerTypes() {
    }

    /** {@code "com.example.LeakyReLU"}, config {@code alpha}; allocates nothing at build, so keeps the default count. */
    public static final class LeakyReLUType implements LayerType {
        @Override
        public String name() {
            return "com.example.LeakyReLU";
        }

        @Override
        public Class<? extends Layer> layerClass() {
            return LeakyReLU.class;
        }

        @Override
        public Layer create(Map<String, Object> config) {
            return new LeakyReLU(LayerType.floatArg(config, "alpha"));
        }
    }

    /** {@code "com.example.FeatureGain"}: no config, one gain per input feature. */
    public static final class FeatureGainType implements LayerType {
        @Override
        public String name() {
            return "com.example.FeatureGain";
        }

        @Override
        public Class<? extends Layer> layerClass() {
            return FeatureGain.class;
        }

        @Override
        public Layer create(Map<String, Object> config) {
            return new FeatureGain();
        }

        /** Tells the loader the size before it builds, so a file cannot make it allocate more than it stores. */
        @Override
        public long parameterCount(Map<String, Object> config, Shape inputShape) {
            return inputShape.size();
        }
    }
}
