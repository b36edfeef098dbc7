package org.neuralj.playground;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The server on a free loopback port: its resources and headers, the WebSocket protocol, and what it refuses. */
class PlaygroundServerTest {
    private static PlaygroundServer server;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        server = PlaygroundServer.start("127.0.0.1", 0, 3);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(server.url() + path.substring(1))).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void servesThePageItsScriptsAndNothingElse() throws Exception {
        assertThat(server.url()).isEqualTo("http://127.0.0.1:" + server.port() + "/");
        HttpResponse<String> page = get("/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("<title>neuralj playground</title>");
        assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/html"));
        assertThat(page.headers().firstValue("Content-Security-Policy"))
                .hasValueSatisfying(v -> assertThat(v).contains("default-src 'self'").contains("frame-ancestors 'none'"));
        assertThat(page.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(get("/playground.js").body()).contains("new WebSocket");
        assertThat(get("/playground.css").statusCode()).isEqualTo(200);
        HttpResponse<String> chart = get("/chart.js");
        assertThat(chart.statusCode()).isEqualTo(200);
        assertThat(chart.body()).contains("Chart.js v4");
        for (String path : List.of("/index.html", "/webjars/chart.js/4.5.1/dist/chart.umd.min.js", "/..%2f..%2fpom.xml",
                "/org/neuralj/playground/Lab.class", "/etc/passwd")) {
            assertThat(get(path).statusCode()).as(path).isEqualTo(404);
        }
    }

    @Test
    void aPortInUseIsRefusedWithAMessage() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> PlaygroundServer.start("127.0.0.1", server.port()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("cannot listen on 127.0.0.1:" + server.port())
                .hasMessageContaining("--port");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> PlaygroundServer.start("127.0.0.1", 70000))
                .hasMessageContaining("port must be in 0..65535 but was 70000");
    }

    @Test
    void refusesRequestsForAnotherHostName() throws Exception {
        assertThat(rawStatus("localhost:" + server.port())).isEqualTo(200);
        assertThat(rawStatus("127.0.0.1")).isEqualTo(200);
        assertThat(rawStatus("evil.example:" + server.port())).isEqualTo(403);   // DNS rebinding
        assertThat(rawStatus("127.0.0.1.evil.example")).isEqualTo(403);
        assertThat(PlaygroundServer.loopbackHost("[::1]:7070")).isTrue();
        assertThat(PlaygroundServer.loopbackHost(null)).isFalse();
        assertThat(PlaygroundServer.sameOrigin("http://127.0.0.1:7070", "127.0.0.1:7070")).isTrue();
        assertThat(PlaygroundServer.sameOrigin("http://evil.example", "127.0.0.1:7070")).isFalse();
        assertThat(PlaygroundServer.sameOrigin("null", "127.0.0.1:7070")).isFalse();
    }

    private static int rawStatus(String host) throws Exception {
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            OutputStream out = s.getOutputStream();
            out.write(("GET / HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String status = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII))
                    .readLine();
            return Integer.parseInt(status.split(" ")[1]);
        }
    }

    @Test
    void aSessionSaysHelloTrainsAndAnswersEveryCommand() throws Exception {
        try (WsClient c = WsClient.connect(server.port())) {
            JsonNode hello = c.await("hello");
            assertThat(hello.get("limits").get("learningRate").get("max").asDouble()).isEqualTo(10);
            assertThat(c.await("network").get("sizes").toString()).isEqualTo("[2,4,4,2]");
            assertThat(c.await("frame").get("step").asLong()).isZero();

            c.send("{\"type\":\"step\"}");
            assertThat(c.await("frame", f -> f.get("step").asLong() == 1, 20).get("boundary").asText()).isNotEmpty();

            c.send("{\"type\":\"configure\",\"settings\":{\"learningRate\":50}}");
            JsonNode error = c.await("error");
            assertThat(error.get("field").asText()).isEqualTo("learningRate");
            assertThat(error.get("message").asText()).isEqualTo("learningRate must be in 0.00001..10 but was 50");
            assertThat(c.await("settings").get("settings").get("learningRate").asDouble()).isEqualTo(0.03);

            c.send("{\"type\":\"configure\",\"settings\":{\"hidden\":[5],\"activation\":\"relu\",\"dataset\":\"xor\"}}");
            JsonNode network = c.await("network");
            assertThat(network.get("sizes").toString()).isEqualTo("[2,5,2]");
            assertThat(network.get("settings").get("dataset").asText()).isEqualTo("xor");

            c.send("{\"type\":\"play\"}");
            c.await("state", s -> s.get("playing").asBoolean(), 20);
            c.await("frame", f -> f.get("step").asLong() >= 50, 30);
            c.send("{\"type\":\"pause\"}");
            c.await("state", s -> !s.get("playing").asBoolean(), 20);

            c.send("{\"type\":\"neuronGradients\",\"on\":true}");
            JsonNode g = c.await("frame", f -> f.has("neuronGradients"), 20).get("neuronGradients");
            assertThat(g.get("arriving").get(0)).hasSize(5);

            c.send("{\"type\":\"check\"}");
            JsonNode check = c.await("check");
            assertThat(check.get("passes").asBoolean()).as(check.toString()).isTrue();

            c.send("{\"type\":\"reset\"}");
            assertThat(c.await("frame", f -> f.get("step").asLong() == 0, 20).get("epoch").asInt()).isZero();

            c.send("this is not json");
            assertThat(c.await("error").get("message").asText()).startsWith("malformed message, not JSON");
            c.send("{\"type\":\"play\",\"x\":\"" + "a".repeat(5000) + "\"}");
            assertThat(c.await("error").get("message").asText()).contains("refused: at most 4096");
            // above the WebSocket's own limit the message is not even read: the connection closes (1009, too big)
            c.send("{\"type\":\"play\",\"x\":\"" + "a".repeat(PlaygroundServer.MAX_FRAME_BYTES) + "\"}");
            assertThat(c.closed.get(20, TimeUnit.SECONDS)).isEqualTo(1009);
        }
    }

    @Test
    void sessionsAreCappedAndClosingATabFreesItsSession() throws Exception {
        awaitSessions(0);
        List<WsClient> clients = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                WsClient c = WsClient.connect(server.port());
                c.await("hello");
                clients.add(c);
            }
            assertThat(server.sessions()).hasSize(3);
            try (WsClient refused = WsClient.connect(server.port())) {
                JsonNode error = refused.await("error");
                assertThat(error.get("fatal").asBoolean()).isTrue();
                assertThat(error.get("message").asText()).startsWith("The playground is full: 3 sessions are open");
                assertThat(refused.closed.get(20, TimeUnit.SECONDS)).isEqualTo(1013);
            }
            clients.remove(0).close();
            awaitSessions(2);
            try (WsClient again = WsClient.connect(server.port())) {
                again.await("hello");
                assertThat(server.sessions()).hasSize(3);
            }
        } finally {
            clients.forEach(WsClient::close);
        }
        awaitSessions(0);
    }

    @Test
    void refusesAWebSocketFromAnotherSite() throws Exception {
        try (WsClient c = WsClient.connect(server.port(), "http://evil.example")) {
            assertThat(c.await("error").get("message").asText()).contains("connection from another site");
            assertThat(c.closed.get(20, TimeUnit.SECONDS)).isEqualTo(1008);
        }
        try (WsClient ok = WsClient.connect(server.port(), "http://127.0.0.1:" + server.port())) {
            ok.await("hello");
        }
    }

    private static void awaitSessions(int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (server.sessions().size() != n && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(server.sessions()).hasSize(n);
    }
}
