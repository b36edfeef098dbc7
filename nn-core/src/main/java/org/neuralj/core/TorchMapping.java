package org.neuralj.core;

import java.util.Arrays;
import java.util.List;

/**
 * How a layer's parameters are named and laid out in the {@code state_dict} of the matching PyTorch module, so that
 * weights trained with PyTorch can be loaded into it ({@code org.neuralj.onnx.PyTorchWeights}). Like
 * {@link OnnxMapping}, the layer's {@link LayerType} implements it. A layer without parameters needs none.
 *
 * @param <L> the layer class, as in the type's {@code LayerType<L>}
 */
public interface TorchMapping<L extends Layer> {

    /** Each of the built {@code layer}'s parameters as PyTorch stores it; together they must cover all of them. */
    List<TorchParameter> torchParameters(L layer);

    /**
     * One parameter as PyTorch stores it.
     *
     * @param name      its name within the module's {@code state_dict}, e.g. {@code "weight"}
     * @param parameter the layer's parameter it is loaded into
     * @param axes      the axis order: axis {@code k} of the parameter is axis {@code axes[k]} of PyTorch's tensor;
     *                  {@code {1, 0}} is a transposed matrix (a {@code Linear} weight {@code [out, in]} into
     *                  {@code [in, out]}), {@code {0}} a vector as it is
     */
    record TorchParameter(String name, Parameter parameter, int... axes) {
        public TorchParameter {
            if (name == null || name.isBlank() || parameter == null || axes == null) {
                throw new IllegalArgumentException("a TorchParameter needs a name, a parameter and axes but got "
                        + name + ", " + parameter + ", " + Arrays.toString(axes));
            }
            int rank = parameter.value().rank();
            boolean[] seen = new boolean[rank];
            boolean permutation = axes.length == rank;
            for (int a : axes) {
                permutation &= a >= 0 && a < rank && !seen[a];
                if (permutation) {
                    seen[a] = true;
                }
            }
            if (!permutation) {
                throw new IllegalArgumentException("TorchParameter \"" + name + "\": axes " + Arrays.toString(axes)
                        + " are not an order of the " + rank + " axes of " + parameter);
            }
            axes = axes.clone();
        }

        /** The shape PyTorch stores: {@code torchShape[axes[k]] = parameter shape[k]}. */
        public int[] torchShape() {
            int[] shape = parameter.value().shape();
            int[] torch = new int[shape.length];
            for (int k = 0; k < shape.length; k++) {
                torch[axes[k]] = shape[k];
            }
            return torch;
        }

        @Override
        public int[] axes() {
            return axes.clone();
        }
    }
}
