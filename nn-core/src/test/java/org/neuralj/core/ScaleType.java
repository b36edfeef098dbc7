package org.neuralj.core;

import java.util.Map;

/** Registers the test layer {@link Scale} (see the test {@code META-INF/services} file). */
public final class ScaleType implements LayerType {
    @Override
    public String name() {
        return "test.Scale";
    }

    @Override
    public Class<? extends Layer> layerClass() {
        return Scale.class;
    }

    @Override
    public Layer create(Map<String, Object> config) {
        return new Scale();
    }
}
