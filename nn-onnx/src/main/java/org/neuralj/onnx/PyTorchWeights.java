package org.neuralj.onnx;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.neuralj.core.Layer;
import org.neuralj.core.LayerRegistry;
import org.neuralj.core.LayerType;
import org.neuralj.core.Sequential;
import org.neuralj.core.Tensor;
import org.neuralj.core.TorchMapping;
import org.neuralj.core.TorchMapping.TorchParameter;
import org.neuralj.io.SafeTensors;

/**
 * Loads weights trained with PyTorch into a matching neuralj network: the {@code state_dict} of an
 * {@code nn.Sequential}, saved as safetensors ({@code safetensors.torch.save_file(model.state_dict(), path)}, float32).
 *
 * <pre>{@code
 * # PyTorch                                        // neuralj
 * nn.Sequential(nn.Linear(4, 8), nn.Tanh(),        Sequential.builder().input(4).add(new Dense(8)).add(new Tanh())
 *               nn.Linear(8, 3), nn.Softmax(1))        .add(new Dense(3)).add(new Softmax()).build();
 * }</pre>
 *
 * <p>Module {@code i} of the {@code nn.Sequential} is layer {@code i} of the network, so its tensors are named
 * {@code "<i>.<name>"}: {@code "0.weight"}, {@code "0.bias"}, {@code "2.weight"}, ... Each layer's type says through
 * its {@link TorchMapping} which names it expects and in which axis order; {@code Dense} takes {@code nn.Linear}'s
 * {@code weight [out, in]} transposed into its {@code weights [in, out]} and {@code bias [out]} as it is.
 *
 * <p>The whole file is checked before any weight changes: it must hold exactly the tensors the layers expect, each in
 * the expected shape. A missing, extra or misshapen tensor is refused naming both sides, the network's layer and
 * parameter and the file's tensor.
 */
public final class PyTorchWeights {

    private PyTorchWeights() {
    }

    /** One expected tensor: where it goes and what PyTorch calls it. */
    private record Target(int layer, Layer owner, TorchParameter parameter, String tensor) {
        String describe() {
            return "layer " + layer + " (" + owner.name() + ") parameter \"" + parameter.parameter().name() + "\" "
                    + Arrays.toString(parameter.parameter().value().shape());
        }
    }

    /**
     * Replaces {@code network}'s parameters with the tensors of the safetensors file {@code file}, as described in the
     * class comment.
     *
     * @throws IllegalArgumentException when the file's tensors do not match the network's parameters (naming both),
     *                                  or a layer with parameters has no {@link TorchMapping}; the network is unchanged
     * @throws org.neuralj.io.ModelFormatException when the file is not valid safetensors of float32 tensors
     */
    public static void load(Path file, Sequential network) throws IOException {
        if (file == null || network == null) {
            throw new IllegalArgumentException("PyTorchWeights.load needs a file and a network but got " + file + ", "
                    + network);
        }
        List<Target> targets = targets(network, LayerRegistry.shared());
        try (SafeTensors st = SafeTensors.open(file)) {
            Map<String, SafeTensors.Entry> entries = st.entries();
            List<String> extra = new ArrayList<>(entries.keySet());
            for (Target t : targets) {
                extra.remove(t.tensor());
                SafeTensors.Entry e = entries.get(t.tensor());
                if (e == null) {
                    throw new IllegalArgumentException(file + ": " + t.describe() + " expects tensor \"" + t.tensor()
                            + "\" " + Arrays.toString(t.parameter().torchShape()) + ", which the file does not hold;"
                            + " it holds " + describe(entries));
                }
                if (!Arrays.equals(e.shape(), t.parameter().torchShape())) {
                    throw new IllegalArgumentException(file + ": " + t.describe() + " expects tensor \"" + t.tensor()
                            + "\" of shape " + Arrays.toString(t.parameter().torchShape()) + " but the file stores "
                            + Arrays.toString(e.shape()));
                }
            }
            if (!extra.isEmpty()) {
                throw new IllegalArgumentException(file + ": tensor \"" + extra.get(0) + "\" "
                        + Arrays.toString(entries.get(extra.get(0)).shape()) + " matches no parameter of the network "
                        + network + " (" + extra.size() + " such tensors: " + extra + "); it expects "
                        + targets.stream().map(Target::tensor).collect(Collectors.toList()));
            }
            List<float[]> values = new ArrayList<>();
            for (Target t : targets) {
                SafeTensors.Entry e = entries.get(t.tensor());
                float[] torch = new float[e.size()];
                st.readInto(e, torch, 0);
                values.add(permute(torch, e.shape(), t.parameter().axes()));
            }
            network.lock().lock(); // the network's own lock: no training step or prediction sees half the weights
            try {
                for (int i = 0; i < targets.size(); i++) {
                    float[] v = values.get(i);
                    Tensor into = targets.get(i).parameter().parameter().value();
                    System.arraycopy(v, 0, into.data(), into.offset(), v.length);
                }
            } finally {
                network.lock().unlock();
            }
        }
    }

    /** Every parameter of the network with the tensor name PyTorch gives it; refuses layers without a mapping. */
    @SuppressWarnings("unchecked") // the registry found the type by the layer's exact class
    private static List<Target> targets(Sequential network, LayerRegistry registry) {
        List<Target> targets = new ArrayList<>();
        for (int i = 0; i < network.layers().size(); i++) {
            Layer layer = network.layers().get(i);
            if (layer.parameters().isEmpty()) {
                continue;
            }
            LayerType<?> type;
            try {
                type = registry.forLayer(layer);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("layer " + i + ": " + e.getMessage(), e);
            }
            if (!(type instanceof TorchMapping)) {
                throw new IllegalArgumentException("layer " + i + " (" + layer.name() + ") has parameters but its type "
                        + type.getClass().getName() + " does not implement " + TorchMapping.class.getName()
                        + ", so the PyTorch names of its parameters are unknown");
            }
            List<TorchParameter> mapped = ((TorchMapping<Layer>) type).torchParameters(layer);
            if (mapped.size() != layer.parameters().size()
                    || !mapped.stream().allMatch(p -> layer.parameters().contains(p.parameter()))) {
                throw new IllegalStateException("layer " + i + " (" + layer.name() + "): its TorchMapping lists "
                        + mapped.stream().map(TorchParameter::parameter).collect(Collectors.toList())
                        + " but the layer's parameters are " + layer.parameters());
            }
            for (TorchParameter p : mapped) {
                targets.add(new Target(i, layer, p, i + "." + p.name()));
            }
        }
        return targets;
    }

    /**
     * {@code torch} (row-major, of shape {@code shape}) with its axes reordered so that axis {@code k} of the result is
     * axis {@code axes[k]} of the input: for {@code {1, 0}}, the transpose.
     */
    static float[] permute(float[] torch, int[] shape, int[] axes) {
        int rank = shape.length;
        int[] strides = new int[rank];
        for (int a = rank - 1, s = 1; a >= 0; s *= shape[a], a--) {
            strides[a] = s;
        }
        int[] outShape = new int[rank];
        for (int k = 0; k < rank; k++) {
            outShape[k] = shape[axes[k]];
        }
        float[] out = new float[torch.length];
        int[] index = new int[rank];                       // the result's index, counted in row-major order
        for (int i = 0; i < out.length; i++) {
            int from = 0;
            for (int k = 0; k < rank; k++) {
                from += index[k] * strides[axes[k]];
            }
            out[i] = torch[from];
            for (int k = rank - 1; k >= 0 && ++index[k] == outShape[k]; k--) {
                index[k] = 0;
            }
        }
        return out;
    }

    private static String describe(Map<String, SafeTensors.Entry> entries) {
        Map<String, String> shapes = new LinkedHashMap<>();
        entries.forEach((name, e) -> shapes.put(name, Arrays.toString(e.shape())));
        return shapes.isEmpty() ? "no tensors" : shapes.toString();
    }
}
