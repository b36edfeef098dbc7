package org.neuralj.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/**
 * Kernel selection and argument checks of the entry point. This class also runs in the build's second test
 * execution, without {@code --add-modules jdk.incubator.vector}, where {@code auto} must fall back to the scalar
 * kernel.
 */
class GemmTest {
    private static final boolean VECTOR_MODULE = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();

    @Test
    void theSecondTestRunReallyLacksTheModule() {
        // Set by the surefire execution "without-vector-module" in nn-core/pom.xml.
        if ("absent".equals(System.getProperty("neuralj.test.vectorModule"))) {
            assertThat(VECTOR_MODULE).as("jdk.incubator.vector in the module graph").isFalse();
        }
    }

    @Test
    void autoTakesTheVectorKernelExactlyWhenTheIncubatorModuleIsPresent() {
        String name = Gemm.kernel("auto", 1).name();
        assertThat(name).startsWith(VECTOR_MODULE ? "vector-" : "scalar");
        assertThat(Gemm.kernelName()).startsWith(VECTOR_MODULE ? "vector-" : "scalar");
    }

    @Test
    void scalarCanBeForcedAndVectorWithoutTheModuleIsAnError() {
        assertThat(Gemm.kernel("scalar", 1).name()).isEqualTo("scalar");
        if (VECTOR_MODULE) {
            assertThat(Gemm.kernel("vector", 1).name()).startsWith("vector-");
        } else {
            assertThatThrownBy(() -> Gemm.kernel("vector", 1)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("--add-modules jdk.incubator.vector");
        }
    }

    @Test
    @org.junit.jupiter.api.Timeout(180)
    void theSelectedKernelComesIntoUseAfterALargeProduct() throws InterruptedException {
        // 33 MFLOP: starts the Vector API kernel's background compilation; without the module the scalar kernel is
        // the selected one and in use from the start
        int n = 256;
        float[] a = new float[n * n], c = new float[n * n];
        java.util.Arrays.fill(a, 0.5f);
        Gemm.gemm(false, false, n, n, n, a, n, a, n, c, n, false);
        while (!Gemm.selectedKernelInUse()) {
            Thread.sleep(20);
        }
        Gemm.gemm(false, false, n, n, n, a, n, a, n, c, n, false);
        assertThat(c[n * n - 1]).isEqualTo(0.25f * n); // and it computes the same product
    }

    @Test
    void moreThanOneThreadWrapsTheKernelInTheParallelSplitter() {
        assertThat(Gemm.kernel("scalar", 2).name()).isEqualTo("scalar x2 threads");
    }

    @Test
    void rejectsUnknownSettings() {
        assertThatThrownBy(() -> Gemm.kernel("fast", 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("neuralj.gemm").hasMessageContaining("'fast'");
        assertThatThrownBy(() -> Gemm.kernel("auto", 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("neuralj.gemm.threads").hasMessageContaining("0");
    }

    @Test
    void computesAProductThroughTheEntryPoint() {
        // [[1, 2], [3, 4]] · [[5, 6], [7, 8]] = [[19, 22], [43, 50]]; then Aᵀ·B accumulated onto it.
        float[] a = {1, 2, 3, 4}, b = {5, 6, 7, 8}, c = new float[4];
        Gemm.gemm(false, false, 2, 2, 2, a, 2, b, 2, c, 2, false);
        assertThat(c).containsExactly(19, 22, 43, 50);
        Gemm.gemm(true, false, 2, 2, 2, a, 2, b, 2, c, 2, true);
        assertThat(c).containsExactly(19 + 26, 22 + 30, 43 + 38, 50 + 44);
    }

    @Test
    void multipliesBlocksAtOffsetsLeavingTheRestOfTheArraysAlone() {
        // the same product as above, each operand stored after two other values: one image's slice of a batch
        float[] a = {-1, -1, 1, 2, 3, 4}, b = {-1, -1, 5, 6, 7, 8}, c = {9, 9, 0, 0, 0, 0, 9};
        Gemm.gemm(false, false, 2, 2, 2, a, 2, 2, b, 2, 2, c, 2, 2, false);
        assertThat(c).containsExactly(9, 9, 19, 22, 43, 50, 9);
        assertThatThrownBy(() -> Gemm.gemm(false, false, 2, 2, 2, a, 3, 2, b, 2, 2, c, 2, 2, false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("a has 6 values")
                .hasMessageContaining("from offset 3").hasMessageContaining("needs 7");
        assertThatThrownBy(() -> Gemm.gemm(false, false, 2, 2, 2, a, 2, 2, b, 2, 2, c, -1, 2, false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("offset of c is -1");
        assertThat(c).containsExactly(9, 9, 19, 22, 43, 50, 9);
    }

    @Test
    void rejectsOperandsThatDoNotFitTheirShapeBeforeWriting() {
        float[] c = {9, 9, 9, 9};
        assertThatThrownBy(() -> Gemm.gemm(false, false, 2, 2, 3, new float[5], 3, new float[6], 2, c, 2, false))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("a has 5 values").hasMessageContaining("needs 6");
        assertThatThrownBy(() -> Gemm.gemm(false, true, 2, 2, 3, new float[6], 3, new float[6], 2, c, 2, false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ldb = 2")
                .hasMessageContaining("3 columns of b");
        assertThatThrownBy(() -> Gemm.gemm(false, false, -1, 2, 3, new float[6], 3, new float[6], 2, c, 2, false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("m=-1");
        assertThat(c).containsOnly(9);
    }
}
