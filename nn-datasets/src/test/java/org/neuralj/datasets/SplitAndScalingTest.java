package org.neuralj.datasets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.neuralj.core.Dataset;
import org.neuralj.core.Rng;
import org.neuralj.core.Tensor;

class SplitAndScalingTest {

    /** Rows numbered by their first feature, so that a split's parts can be compared. */
    private static Dataset numbered(int n, int classes) {
        Tensor x = Tensor.zeros(n, 2);
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            x.set(i, 0, i);
            x.set(i, 1, i % 5);
            y[i] = i < n * 0.8 ? 0 : 1 + i % (classes - 1); // class 0 is 80% of the rows
        }
        return Dataset.ofLabels(x, y, classes);
    }

    private static Set<Float> ids(Dataset d) {
        Set<Float> s = new HashSet<>();
        for (int i = 0; i < d.size(); i++) {
            s.add(d.features().get(i, 0));
        }
        return s;
    }

    @Test
    void trainTestSplitIsADisjointSeededPartition() {
        Dataset data = numbered(100, 3);
        Split s = Split.trainTest(data, 0.2, new Rng(1));
        assertThat(s.test().size()).isEqualTo(20);
        assertThat(s.train().size()).isEqualTo(80);
        Set<Float> all = ids(s.train());
        all.addAll(ids(s.test()));
        assertThat(all).hasSize(100);
        assertThat(ids(Split.trainTest(data, 0.2, new Rng(1)).test())).isEqualTo(ids(s.test()));
        assertThat(ids(Split.trainTest(data, 0.2, new Rng(2)).test())).isNotEqualTo(ids(s.test()));
        assertThatThrownBy(() -> Split.trainTest(data, 1.0, new Rng(1))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("testFraction").hasMessageContaining("1.0");
    }

    @Test
    void stratifiedSplitKeepsClassShares() {
        Split s = Split.stratified(numbered(200, 3), 0.25, new Rng(3));
        int zeros = 0;
        for (int l : s.test().labels()) {
            zeros += l == 0 ? 1 : 0;
        }
        assertThat(s.test().size()).isEqualTo(50);
        assertThat(zeros).isEqualTo(40);
        Set<Float> all = ids(s.train());
        all.addAll(ids(s.test()));
        assertThat(all).hasSize(200);
    }

    @Test
    void standardizerIsFittedOnTrainingDataOnly() {
        Dataset train = new Dataset(Tensor.of(new float[] {1, 10, 3, 10}, 2, 2), Tensor.zeros(2, 1));
        Dataset test = new Dataset(Tensor.of(new float[] {5, 10}, 1, 2), Tensor.zeros(1, 1));
        Scaling.Standardizer st = Scaling.standardize(train);
        assertThat(st.mean()).containsExactly(2f, 10f);
        assertThat(st.std()).containsExactly(1f, 1f); // the constant feature keeps σ = 1
        assertThat(st.apply(train).features().toArray()).containsExactly(-1f, 0f, 1f, 0f);
        assertThat(st.apply(test).features().toArray()).containsExactly(3f, 0f);
        assertThat(Scaling.divide(test, 5).features().toArray()).containsExactly(1f, 2f);
        assertThat(test.features().toArray()).as("scaling copies").containsExactly(5f, 10f);
    }

    @Test
    void batchesCoverEveryRowOnce() {
        Dataset data = numbered(23, 3);
        Batches b = Batches.of(data, 5, new Rng(4));
        assertThat(b.count()).isEqualTo(5);
        Set<Float> seen = new HashSet<>();
        int batches = 0;
        for (Dataset batch : b) {
            assertThat(batch.size()).isLessThanOrEqualTo(5);
            seen.addAll(ids(batch));
            batches++;
        }
        assertThat(batches).isEqualTo(5);
        assertThat(seen).hasSize(23);
    }

    @Test
    void moonsFollowScikitLearnsDefinition() {
        Dataset m = ToyData.moons(1001, 0, new Rng(5));
        int[] labels = m.labels();
        assertThat(java.util.Arrays.stream(labels).filter(l -> l == 0).count()).isEqualTo(500);
        for (int i = 0; i < m.size(); i++) {
            double x = m.features().get(i, 0), y = m.features().get(i, 1);
            double r = labels[i] == 0 ? Math.hypot(x, y) : Math.hypot(x - 1, y - 0.5);
            assertThat(r).as("point %d lies on its half circle", i).isCloseTo(1.0, within(1e-5));
            assertThat(labels[i] == 0 ? y >= -1e-6 : y <= 0.5 + 1e-6).isTrue();
        }
        Dataset noisy = ToyData.moons(200, 0.2, new Rng(6));
        assertThat(noisy.features().contentEquals(ToyData.moons(200, 0.2, new Rng(6)).features())).isTrue();
        assertThatThrownBy(() -> ToyData.moons(0, 0.1, new Rng(1))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("n must be positive");
        assertThatThrownBy(() -> ToyData.moons(10, -1, new Rng(1))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-1");
    }

    @Test
    void otherToySetsHaveTheirShapes() {
        Dataset c = ToyData.circles(100, 0, 0.5, new Rng(1));
        for (int i = 0; i < 100; i++) {
            double r = Math.hypot(c.features().get(i, 0), c.features().get(i, 1));
            assertThat(r).isCloseTo(c.labels()[i] == 0 ? 1.0 : 0.5, within(1e-5));
        }
        Dataset x = ToyData.xor(200, 0, new Rng(2));
        for (int i = 0; i < 200; i++) {
            boolean opposite = (x.features().get(i, 0) > 0) != (x.features().get(i, 1) > 0);
            assertThat(x.labels()[i]).isEqualTo(opposite ? 1 : 0);
        }
        Dataset s = ToyData.spiral(300, 3, 0.1, new Rng(3));
        assertThat(s.targets().cols()).isEqualTo(3);
        assertThat(s.size()).isEqualTo(300);
    }

    @Test
    void blobsGatherAroundCentresOnTheUnitCircle() {
        Dataset b = ToyData.blobs(301, 3, 0.1, new Rng(4));
        int[] labels = b.labels();
        assertThat(b.targets().cols()).isEqualTo(3);
        int[] counts = new int[3];
        double[][] mean = new double[3][2];
        for (int i = 0; i < b.size(); i++) {
            counts[labels[i]]++;
            mean[labels[i]][0] += b.features().get(i, 0);
            mean[labels[i]][1] += b.features().get(i, 1);
        }
        assertThat(counts).containsExactly(101, 100, 100);
        for (int k = 0; k < 3; k++) {
            double angle = Math.PI / 4 + 2 * Math.PI * k / 3;
            assertThat(mean[k][0] / counts[k]).as("class %d centre x", k).isCloseTo(Math.cos(angle), within(0.05));
            assertThat(mean[k][1] / counts[k]).as("class %d centre y", k).isCloseTo(Math.sin(angle), within(0.05));
        }
        Dataset exact = ToyData.blobs(4, 2, 0, new Rng(1));
        assertThat(exact.features().get(3, 0)).isCloseTo((float) Math.cos(Math.PI / 4 + Math.PI), within(1e-6f));
        assertThat(ToyData.blobs(50, 2, 0.3, new Rng(7)).features()
                .contentEquals(ToyData.blobs(50, 2, 0.3, new Rng(7)).features())).isTrue();
        assertThatThrownBy(() -> ToyData.blobs(10, 1, 0.1, new Rng(1))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("classes must be in 2..10");
        assertThatThrownBy(() -> ToyData.blobs(10, 2, Double.NaN, new Rng(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NaN");
    }
}
