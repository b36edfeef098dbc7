package org.neuralj.playground;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A test's WebSocket connection to the playground: collects every message, and how the connection closed. */
final class WsClient implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    final LinkedBlockingQueue<JsonNode> messages = new LinkedBlockingQueue<>();
    final List<JsonNode> seen = new ArrayList<>();
    final CompletableFuture<Integer> closed = new CompletableFuture<>();
    final WebSocket socket;

    private WsClient(int port, String origin) {
        WebSocket.Builder b = HTTP.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10));
        if (origin != null) {
            b.header("Origin", origin);
        }
        socket = b.buildAsync(URI.create("ws://127.0.0.1:" + port + "/session"), new WebSocket.Listener() {
            private final StringBuilder partial = new StringBuilder();

            @Override
            public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                partial.append(data);
                if (last) {
                    try {
                        messages.add(JSON.readTree(partial.toString()));
                    } catch (Exception e) {
                        throw new AssertionError(e);
                    }
                    partial.setLength(0);
                }
                ws.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
                closed.complete(statusCode);
                return null;
            }

            @Override
            public void onError(WebSocket ws, Throwable error) {
                closed.complete(-1);
            }
        }).join();
    }

    static WsClient connect(int port) {
        return new WsClient(port, null);
    }

    static WsClient connect(int port, String origin) {
        return new WsClient(port, origin);
    }

    void send(String text) {
        socket.sendText(text, true).join();
    }

    /** The next message of {@code type} that satisfies {@code test}, skipping others; fails after {@code seconds}. */
    JsonNode await(String type, Predicate<JsonNode> test, double seconds) throws InterruptedException {
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        while (true) {
            long left = deadline - System.nanoTime();
            JsonNode m = left <= 0 ? null : messages.poll(left, TimeUnit.NANOSECONDS);
            if (m == null) {
                throw new AssertionError("no '" + type + "' message in " + seconds + " s; the last messages: "
                        + seen.subList(Math.max(0, seen.size() - 5), seen.size()));
            }
            seen.add(m);
            if (m.get("type").asText().equals(type) && test.test(m)) {
                return m;
            }
        }
    }

    JsonNode await(String type) throws InterruptedException {
        return await(type, m -> true, 20);
    }

    @Override
    public void close() {
        try {
            if (!socket.isOutputClosed()) {
                socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(10, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            // the server closed it meanwhile
        } finally {
            socket.abort();
        }
    }
}
