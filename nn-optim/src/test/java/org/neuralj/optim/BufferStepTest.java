package org.neuralj.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.example.userlayers.Affine;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.neuralj.core.Optimizer;
import org.neuralj.core.Parameter;
import org.neuralj.core.ParameterBuffer;
import org.neuralj.core.Rng;
import org.neuralj.core.Sequential;

/**
 * A step over a network's whole {@link ParameterBuffer} (blocks, several threads when large, or parts run by the
 * caller's threads) gives exactly what the same optimizer gives one parameter at a time.
 */
class BufferStepTest {
    static List<Supplier<GradientOptimizer>> optimizers() {
        return List.of(() -> new SGD(0.1), () -> new SGD(0.1, 0.9, true), () -> new Adam(1e-2),
                () -> new Adam(1e-2).weightDecay(1e-3).clipNorm(0.5), () -> new AdamW(1e-2, 0.01),
                () -> new AdaGrad(0.1), () -> new RMSProp(1e-2).clipValue(0.01));
    }

    /** 64-1100-3: 75,803 values, above the size that spreads a step over the cores, in 5 blocks and a part. */
    private static Sequential network() {
        return Sequential.builder().input(64).add(new Affine(1100)).add(new Affine(3)).seed(1).build();
    }

    private static void randomGradients(ParameterBuffer p, long seed) {
        Rng rng = new Rng(seed);
        float[] g = p.gradients();
        for (int i = 0; i < g.length; i++) {
            g[i] = (float) rng.nextGaussian() * 0.1f;
        }
    }

    @ParameterizedTest
    @MethodSource("optimizers")
    void aBufferStepEqualsParameterByParameterSteps(Supplier<GradientOptimizer> make) {
        Sequential flat = network(), each = network();
        Optimizer onBuffer = make.get(), perParameter = make.get();
        List<Parameter> plainList = new ArrayList<>(each.parameters()); // not a ParameterBuffer: the other path
        for (int step = 1; step <= 3; step++) {
            randomGradients(flat.parameters(), step);
            randomGradients(each.parameters(), step);
            onBuffer.step(flat.parameters());
            perParameter.step(plainList);
            assertThat(onBuffer.firstNonFinite(flat.parameters())).isEqualTo(-1);
        }
        assertThat(flat.parameters().values()).isEqualTo(each.parameters().values());
        for (int i = 0; i < flat.parameters().size(); i++) {
            var a = onBuffer.state(flat.parameters().get(i));
            var b = perParameter.state(each.parameters().get(i));
            assertThat(a.keySet()).isEqualTo(b.keySet());
            for (String name : a.keySet()) {
                assertThat(a.get(name).toArray()).as("state %s of parameter %d", name, i)
                        .isEqualTo(b.get(name).toArray());
            }
        }
    }

    @ParameterizedTest
    @MethodSource("optimizers")
    void aNonFiniteValueIsTracedToItsParameter(Supplier<GradientOptimizer> make) {
        Sequential net = network();
        Optimizer optimizer = make.get();
        ParameterBuffer p = net.parameters();
        randomGradients(p, 1);
        // a value in the last block of the big weight matrix, and one in a later parameter
        p.values()[p.offset(1) - 5] = Float.POSITIVE_INFINITY;
        p.values()[p.offset(3)] = Float.NaN;
        optimizer.step(p);
        assertThat(optimizer.firstNonFinite(p)).isEqualTo(0);

        ParameterBuffer fresh = network().parameters();
        Optimizer another = make.get();
        randomGradients(fresh, 1);
        fresh.values()[fresh.offset(3)] = Float.NaN;
        another.step(fresh);
        assertThat(another.firstNonFinite(fresh)).isEqualTo(3);
    }

    @ParameterizedTest
    @MethodSource("optimizers")
    void stateGivenBeforeTheFirstStepIsTheStateTheStepUses(Supplier<GradientOptimizer> make) {
        // how a checkpoint resumes: it writes the saved state into state(p) of a fresh optimizer, then training steps
        Sequential a = network(), b = network();
        Optimizer first = make.get(), resumed = make.get();
        randomGradients(a.parameters(), 1);
        first.step(a.parameters());
        System.arraycopy(a.parameters().values(), 0, b.parameters().values(), 0, a.parameters().length());
        for (int i = 0; i < a.parameters().size(); i++) {
            var from = first.state(a.parameters().get(i));
            var to = resumed.state(b.parameters().get(i));
            from.forEach((name, t) -> to.get(name).copyFrom(t));
        }
        resumed.setSteps(first.steps());
        randomGradients(a.parameters(), 2);
        randomGradients(b.parameters(), 2);
        first.step(a.parameters());
        resumed.step(b.parameters());
        assertThat(b.parameters().values()).isEqualTo(a.parameters().values());
    }

    @ParameterizedTest
    @MethodSource("optimizers")
    void aStepInPartsRunOnSeveralThreadsInAnyOrderEqualsAWholeStep(Supplier<GradientOptimizer> make)
            throws InterruptedException {
        Sequential whole = network(), parted = network();
        Optimizer onWhole = make.get(), inParts = make.get();
        for (int step = 1; step <= 3; step++) {
            randomGradients(whole.parameters(), step);
            randomGradients(parted.parameters(), step);
            onWhole.step(whole.parameters());
            // 7 parts (not a multiple of anything in the layout), the odd ones on another thread, the last first
            inParts.stepInParts(parted.parameters(), 7, task -> {
                Thread other = new Thread(() -> {
                    for (int part = 5; part >= 1; part -= 2) {
                        task.accept(part);
                    }
                });
                other.start();
                for (int part = 6; part >= 0; part -= 2) {
                    task.accept(part);
                }
                try {
                    other.join();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            assertThat(inParts.firstNonFinite(parted.parameters())).isEqualTo(-1);
        }
        assertThat(inParts.steps()).isEqualTo(3);
        assertThat(parted.parameters().values()).isEqualTo(whole.parameters().values());
        for (int i = 0; i < whole.parameters().size(); i++) {
            var a = onWhole.state(whole.parameters().get(i));
            var b = inParts.state(parted.parameters().get(i));
            for (String name : a.keySet()) {
                assertThat(b.get(name).toArray()).as("state %s of parameter %d", name, i)
                        .isEqualTo(a.get(name).toArray());
            }
        }
    }

    @ParameterizedTest
    @MethodSource("optimizers")
    void aStepInPartsTracesANonFiniteValueToItsParameter(Supplier<GradientOptimizer> make) {
        ParameterBuffer p = network().parameters();
        Optimizer optimizer = make.get();
        randomGradients(p, 1);
        p.values()[p.offset(3)] = Float.NaN; // in part 1 of 2
        optimizer.stepInParts(p, 2, task -> {
            task.accept(1);
            task.accept(0);
        });
        assertThat(optimizer.firstNonFinite(p)).isEqualTo(3);
        // the first in buffer order, whichever part ran first
        p.values()[5] = Float.NaN; // in part 0
        optimizer.stepInParts(p, 2, task -> {
            task.accept(1);
            task.accept(0);
        });
        assertThat(optimizer.firstNonFinite(p)).isEqualTo(0);
    }

    @org.junit.jupiter.api.Test
    void aStepInPartsRefusesNoPartsAndARunnerThatSkipsOne() {
        ParameterBuffer p = network().parameters();
        Optimizer optimizer = new Adam(1e-3);
        assertThatThrownBy(() -> optimizer.stepInParts(p, 0, task -> task.accept(0)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("a step needs at least 1 part but got 0");
        assertThatThrownBy(() -> optimizer.stepInParts(p, 3, task -> {
            task.accept(0);
            task.accept(2);
        })).isInstanceOf(IllegalStateException.class)
                .hasMessage("the runner of a step in 3 parts did not run part 1; it must run every part once");
    }

    @org.junit.jupiter.api.Test
    void partsCoverTheBufferWithoutGapsOrOverlapsAndStartOnACacheLine() {
        ParameterBuffer p = network().parameters();
        for (int parts : new int[] {1, 2, 3, 7, p.length() / 16, p.length(), p.length() + 5}) {
            assertThat(p.partStart(0, parts)).isZero();
            assertThat(p.partStart(parts, parts)).isEqualTo(p.length());
            for (int t = 0; t < parts; t++) {
                int start = p.partStart(t, parts), size = p.partStart(t + 1, parts) - start;
                assertThat(start % 16).as("start of part %d of %d", t, parts).isZero();
                assertThat(size).as("part %d of %d", t, parts).isBetween(0, p.length() / parts + 16);
                if (t < parts - 1) {
                    assertThat(size).as("part %d of %d", t, parts).isGreaterThanOrEqualTo(p.length() / parts - 16);
                }
            }
        }
        assertThatThrownBy(() -> p.partStart(4, 3)).hasMessage("part 4 is outside 0..3");
    }
}
