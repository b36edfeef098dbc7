package org.neuralj.playground;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A session without a server: its messages go to a queue, with the time each was sent. */
class SessionTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private record Sent(long nanos, JsonNode message) {
    }

    private final LinkedBlockingQueue<Sent> out = new LinkedBlockingQueue<>();
    private final List<Sent> all = new CopyOnWriteArrayList<>();
    private final Session session = new Session("test", new Session.Sink() {
        @Override
        public void send(String text, Runnable done) {
            try {
                Sent s = new Sent(System.nanoTime(), JSON.readTree(text));
                out.add(s);
                all.add(s);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
            done.run();
        }

        @Override
        public void close(int code, String reason) {
        }
    });

    @AfterEach
    void close() throws InterruptedException {
        session.close();
        assertThat(session.awaitClosed(10_000)).as("the session's thread ends").isTrue();
    }

    private JsonNode await(String type, Predicate<JsonNode> test) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            Sent s = out.poll(100, TimeUnit.MILLISECONDS);
            if (s != null && s.message.get("type").asText().equals(type) && test.test(s.message)) {
                return s.message;
            }
        }
        throw new AssertionError("no " + type + " message");
    }

    @Test
    void startsWithHelloNetworkStateAndAFrame() throws InterruptedException {
        session.start(8);
        assertThat(await("hello", m -> true).get("maxSessions").asInt()).isEqualTo(8);
        await("network", m -> true);
        assertThat(await("state", m -> true).get("playing").asBoolean()).isFalse();
        assertThat(await("frame", m -> true).get("step").asLong()).isZero();
    }

    @Test
    void playingSendsAtMostTwentyFramesASecondAndPauseStops() throws InterruptedException {
        session.start(8);
        await("frame", m -> true);
        session.receive("{\"type\":\"configure\",\"settings\":{\"speed\":1}}");
        await("settings", m -> m.get("settings").get("speed").asInt() == 1);
        long start = System.nanoTime();
        session.receive("{\"type\":\"play\"}");
        await("frame", m -> m.get("step").asLong() >= 30);
        // step/configure messages also ask for frames: they must wait for the same 50 ms
        for (int i = 0; i < 20; i++) {
            session.receive("{\"type\":\"neuronGradients\",\"on\":" + (i % 2 == 0) + "}");
        }
        await("frame", m -> m.get("step").asLong() >= 40);
        session.receive("{\"type\":\"pause\"}");
        await("state", m -> !m.get("playing").asBoolean());
        long elapsed = System.nanoTime() - start;
        long frames = all.stream().filter(s -> s.nanos >= start && s.message.get("type").asText().equals("frame"))
                .count();
        // a hard bound, not a timing guess: frames leave at least 50 ms apart
        assertThat(frames).isLessThanOrEqualTo(TimeUnit.NANOSECONDS.toMillis(elapsed) / Session.FRAME_MILLIS + 1);
        Thread.sleep(300);
        long steps = lastFrameStep();
        Thread.sleep(300);
        assertThat(lastFrameStep()).as("no training after pause").isEqualTo(steps);
    }

    private long lastFrameStep() {
        for (int i = all.size() - 1; i >= 0; i--) {
            if (all.get(i).message.get("type").asText().equals("frame")) {
                return all.get(i).message.get("step").asLong();
            }
        }
        return -1;
    }

    @Test
    void refusedSettingsChangeNothingAndSayWhy() throws InterruptedException {
        session.start(8);
        await("frame", m -> true);
        session.receive("{\"type\":\"configure\",\"settings\":{\"hidden\":[4,4,4,4,4,4,4]}}");
        JsonNode error = await("error", m -> true);
        assertThat(error.get("field").asText()).isEqualTo("hidden");
        assertThat(error.get("message").asText()).contains("at most 6 layer widths");
        assertThat(await("settings", m -> true).get("settings").get("hidden").toString()).isEqualTo("[4,4]");
        session.receive("{\"type\":\"warp\"}");
        assertThat(await("error", m -> true).get("message").asText()).startsWith("unknown message type \"warp\"");
        session.receive("{\"type\":\"step\"}");
        assertThat(await("frame", m -> true).get("step").asLong()).isEqualTo(1);
        assertThat(session.errors()).isEqualTo(2);
    }

    @Test
    void divergencePausesAndSaysSo() throws InterruptedException {
        session.start(8);
        await("frame", m -> true);
        session.receive("{\"type\":\"configure\",\"settings\":{\"activation\":\"relu\",\"output\":\"linear\","
                + "\"loss\":\"mse\",\"optimizer\":\"sgd\",\"learningRate\":10,\"hidden\":[8,8,8],\"speed\":50}}");
        await("network", m -> true);
        session.receive("{\"type\":\"play\"}");
        JsonNode error = await("error", m -> true);
        assertThat(error.get("message").asText()).contains("Training diverged");
        assertThat(error.get("field").asText()).isEqualTo("learningRate");
        assertThat(await("state", m -> !m.get("playing").asBoolean()).get("playing").asBoolean()).isFalse();
    }

    @Test
    void closingEndsTheThreadAndSendsNothingMore() throws InterruptedException {
        session.start(8);
        await("frame", m -> true);
        session.receive("{\"type\":\"play\"}");
        await("frame", m -> m.get("step").asLong() > 0);
        session.close();
        assertThat(session.awaitClosed(10_000)).isTrue();
        int count = all.size();
        Thread.sleep(200);
        session.receive("{\"type\":\"step\"}");
        Thread.sleep(200);
        assertThat(all).hasSize(count);
    }
}
