package org.neuralj.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.SparkConf;
import org.apache.spark.serializer.JavaSerializer;
import org.apache.spark.serializer.KryoSerializer;
import org.apache.spark.serializer.Serializer;
import org.apache.spark.serializer.SerializerInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import scala.reflect.ClassTag$;

/**
 * What travels through {@code spark.serializer} (task results, and cached rows that spill to disk) survives both of
 * Spark's serializers bit for bit: Java, the default, and Kryo, which many clusters set and which cannot serialize
 * records.
 */
class SerializersTest {

    private static SerializerInstance serializer(String name) {
        SparkConf conf = new SparkConf();
        Serializer s = name.equals("kryo") ? new KryoSerializer(conf) : new JavaSerializer(conf);
        return s.newInstance();
    }

    @SuppressWarnings("unchecked")
    private static <T> T roundTrip(SerializerInstance s, T value) {
        ByteBuffer bytes = s.serialize(value, ClassTag$.MODULE$.apply(Object.class));
        return (T) s.deserialize(bytes, ClassTag$.MODULE$.apply(Object.class));
    }

    @ParameterizedTest
    @ValueSource(strings = {"java", "kryo"})
    void aPartialGradientSumArrivesIntact(String name) {
        float[] left = {1.5f, -2f, Float.MIN_VALUE, 3e38f}, right = {0.25f, 4f, -1f, -3e38f};
        GradientSum partial = GradientSum.empty(3).add(2, right.clone(), 0.5, 7, 11).add(0, left.clone(), 0.25, 3, 5);

        GradientSum arrived = roundTrip(serializer(name), partial);

        // the third partition arrives after the trip: the result is as if nothing had travelled
        float[] middle = {8f, 16f, 32f, 64f};
        GradientSum expected = GradientSum.empty(3).add(2, right.clone(), 0.5, 7, 11).add(0, left.clone(), 0.25, 3, 5)
                .add(1, middle.clone(), 1, 1, 1);
        arrived.add(1, middle.clone(), 1, 1, 1);
        assertThat(arrived.complete()).isTrue();
        assertThat(arrived.gradient()).isEqualTo(expected.gradient());
        assertThat(arrived.loss()).isEqualTo(expected.loss());
        assertThat(arrived.correct()).isEqualTo(11);
        assertThat(arrived.computeNanos()).isEqualTo(11);
    }

    @ParameterizedTest
    @ValueSource(strings = {"java", "kryo"})
    void aSampleArrivesIntact(String name) {
        Sample arrived = roundTrip(serializer(name), new Sample(42, new float[] {0.5f, 1f}, new float[] {0, 1}));

        assertThat(arrived.index()).isEqualTo(42);
        assertThat(arrived.features()).containsExactly(0.5f, 1f);
        assertThat(arrived.targets()).containsExactly(0f, 1f);
    }

    @ParameterizedTest
    @ValueSource(strings = {"java", "kryo"})
    void anEpochShardArrivesIntact(String name) {
        Iterator<Sample> rows = List.of(new Sample(0, new float[] {1, 2}, new float[] {1, 0}),
                new Sample(1, new float[] {3, 4}, new float[] {0, 1})).iterator();
        EpochShard shard = EpochShard.of(rows, new int[] {1, 0}, 1, 2, 2);

        EpochShard arrived = roundTrip(serializer(name), shard);

        assertThat(arrived.rows(0)).isEqualTo(1);
        assertThat(arrived.features(0).toArray()).containsExactly(3f, 4f);
        assertThat(arrived.targets(1).toArray()).containsExactly(1f, 0f);
    }
}
