package org.neuralj.datasets;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.neuralj.core.Dataset;
import org.neuralj.core.Rng;

/**
 * A data set divided into a training and a test part. {@link #trainTest} shuffles with a seeded generator; the
 * stratified form keeps each class's share equal in both parts (within one sample).
 */
public record Split(Dataset train, Dataset test) {

    /** A shuffled split with {@code testFraction} of the rows (rounded) in the test part. */
    public static Split trainTest(Dataset data, double testFraction, Rng rng) {
        int testSize = testSize(data, testFraction);
        int[] order = rng.permutation(data.size());
        return new Split(data.subset(Arrays.copyOfRange(order, testSize, order.length)),
                data.subset(Arrays.copyOf(order, testSize)));
    }

    /** A shuffled split that holds out {@code testFraction} of each class. */
    public static Split stratified(Dataset data, double testFraction, Rng rng) {
        testSize(data, testFraction);
        int[] labels = data.labels();
        int classes = data.targets().cols() == 1 ? 2 : data.targets().cols();
        List<List<Integer>> byClass = new ArrayList<>();
        for (int k = 0; k < classes; k++) {
            byClass.add(new ArrayList<>());
        }
        for (int i = 0; i < labels.length; i++) {
            byClass.get(labels[i]).add(i);
        }
        List<Integer> train = new ArrayList<>(), test = new ArrayList<>();
        for (List<Integer> members : byClass) {
            int[] m = members.stream().mapToInt(Integer::intValue).toArray();
            rng.shuffle(m);
            int t = (int) Math.round(m.length * testFraction);
            for (int i = 0; i < m.length; i++) {
                (i < t ? test : train).add(m[i]);
            }
        }
        int[] trainRows = train.stream().mapToInt(Integer::intValue).toArray();
        int[] testRows = test.stream().mapToInt(Integer::intValue).toArray();
        rng.shuffle(trainRows);
        rng.shuffle(testRows);
        return new Split(data.subset(trainRows), data.subset(testRows));
    }

    private static int testSize(Dataset data, double testFraction) {
        if (!(testFraction > 0 && testFraction < 1)) {
            throw new IllegalArgumentException("testFraction must be in (0, 1) but was " + testFraction);
        }
        int t = (int) Math.round(data.size() * testFraction);
        if (t == 0 || t == data.size()) {
            throw new IllegalArgumentException("testFraction " + testFraction + " of " + data.size()
                    + " samples leaves an empty training or test part");
        }
        return t;
    }
}
