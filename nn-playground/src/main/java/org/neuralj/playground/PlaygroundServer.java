package org.neuralj.playground;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.ForbiddenResponse;
import io.javalin.http.NotFoundResponse;
import io.javalin.util.JavalinBindException;
import io.javalin.websocket.WsConnectContext;
import io.javalin.websocket.WsContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.websocket.api.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The playground's web server: one page, its script and style, the chart library, and a WebSocket per browser tab,
 * each with its own {@link Session}.
 *
 * <pre>{@code
 * try (PlaygroundServer server = PlaygroundServer.start("127.0.0.1", 7070)) {
 *     System.out.println(server.url());
 *     server.join();
 * }
 * }</pre>
 *
 * <p><b>Security.</b> Bound to the loopback interface, the server answers only requests whose {@code Host} is a
 * loopback name (so a web site that rebinds its own name to 127.0.0.1 is refused), and refuses a WebSocket whose
 * {@code Origin} is another site (browsers always send one). It serves five fixed resources from its jar and reads no file. Messages are limited
 * in size ({@link Command#MAX_CHARS} characters; the WebSocket closes above {@value #MAX_FRAME_BYTES} bytes) and
 * checked; at most {@code maxSessions} tabs train at once, and closing a tab ends its session. Bound to another
 * address, anyone who can reach the port can use the page and the server's CPU: there is no authentication.
 */
public final class PlaygroundServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PlaygroundServer.class);
    public static final int DEFAULT_PORT = 7070;
    public static final int DEFAULT_MAX_SESSIONS = 8;
    /** The WebSocket refuses (closes with 1009) a message above this many bytes before it is read. */
    static final int MAX_FRAME_BYTES = 64 * 1024;
    static final String WEB = "/org/neuralj/playground/web/";
    private static final List<String> LOOPBACK_NAMES = List.of("localhost", "127.0.0.1", "[::1]");

    private final Javalin app;
    private final String host;
    private final boolean loopbackOnly;
    private final int maxSessions;
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final Map<String, Resource> resources;

    private record Resource(byte[] bytes, String contentType) {
    }

    private PlaygroundServer(String host, int maxSessions) {
        this.host = host;
        this.maxSessions = maxSessions;
        this.loopbackOnly = isLoopback(host);
        this.resources = Map.of(
                "/", resource(WEB + "index.html", "text/html; charset=utf-8"),
                "/playground.js", resource(WEB + "playground.js", "text/javascript; charset=utf-8"),
                "/playground.css", resource(WEB + "playground.css", "text/css; charset=utf-8"),
                "/chart.js", resource(chartJsPath(), "text/javascript; charset=utf-8"),
                "/favicon.ico", resource(WEB + "favicon.svg", "image/svg+xml"));
        this.app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.jetty.modifyWebSocketServletFactory(f -> {
                f.setMaxTextMessageSize(MAX_FRAME_BYTES);
                f.setMaxBinaryMessageSize(1024);
                f.setIdleTimeout(Duration.ofMinutes(5));
            });
            config.routes.before(this::guard);
            config.routes.wsBeforeUpgrade(this::guard);
            for (String path : resources.keySet()) {
                config.routes.get(path, this::serve);
            }
            config.routes.ws("/session", ws -> {
                ws.onConnect(this::open);
                ws.onMessage(ctx -> {
                    Session s = sessions.get(ctx.sessionId());
                    if (s != null) {
                        s.receive(ctx.message());
                    }
                });
                ws.onBinaryMessage(ctx -> ctx.closeSession(1003, "binary messages are not accepted"));
                ws.onClose(ctx -> end(ctx, "closed (" + ctx.status() + ")"));
                ws.onError(ctx -> end(ctx, "failed: " + ctx.error()));
            });
        });
    }

    /** Starts a server on {@code host} and {@code port} (0: any free port) with the default session cap. */
    public static PlaygroundServer start(String host, int port) {
        return start(host, port, DEFAULT_MAX_SESSIONS);
    }

    /** Starts a server on {@code host} and {@code port} (0: any free port) for at most {@code maxSessions} tabs. */
    public static PlaygroundServer start(String host, int port, int maxSessions) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be in 0..65535 but was " + port);
        }
        if (maxSessions < 1) {
            throw new IllegalArgumentException("maxSessions must be at least 1 but was " + maxSessions);
        }
        PlaygroundServer server = new PlaygroundServer(host, maxSessions);
        try {
            server.app.start(host, port);
        } catch (JavalinBindException e) {
            throw new IllegalStateException("cannot listen on " + host + ":" + port + ": " + e.getMessage()
                    + " (choose another port with --port)", e);
        }
        LOG.info("playground listening on {}", server.url());
        if (!server.loopbackOnly) {
            LOG.warn("playground bound to {}: anyone who can reach this address can use it (no authentication)",
                    host);
        }
        return server;
    }

    public int port() {
        return app.port();
    }

    /** The page's address, e.g. {@code http://127.0.0.1:7070/}. */
    public String url() {
        String h = host.contains(":") ? "[" + host + "]" : host;
        if (h.equals("0.0.0.0") || h.equals("[::]")) {
            h = "127.0.0.1";
        }
        return "http://" + h + ":" + port() + "/";
    }

    /** The open sessions, one per connected tab. */
    public List<Session> sessions() {
        return new ArrayList<>(sessions.values());
    }

    /** Blocks until the server stops (the JVM's end, or {@link #close()} from another thread). */
    public void join() throws InterruptedException {
        app.jettyServer().server().join();
    }

    @Override
    public void close() {
        app.stop();
        sessions.values().forEach(Session::close);
        sessions.clear();
    }

    // ---------------------------------------------------------------- HTTP

    /** Refuses a request whose Host is not ours (DNS rebinding) and sets the headers that keep the page to itself. */
    private void guard(Context ctx) {
        String hostHeader = ctx.header("Host");
        if (loopbackOnly && !loopbackHost(hostHeader)) {
            throw new ForbiddenResponse("Host " + Settings.clip(String.valueOf(hostHeader)) + " refused: the"
                    + " playground answers on localhost or 127.0.0.1 only");
        }
        // the page's WebSocket goes to the Host it was loaded from; a Host that is not a plain name is left out
        String socket = hostHeader != null && hostHeader.matches("[A-Za-z0-9.:\\[\\]-]{1,300}")
                ? " ws://" + hostHeader : "";
        ctx.header("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self';"
                + " img-src 'self' data:; connect-src 'self'" + socket + "; frame-ancestors 'none';"
                + " base-uri 'none'; form-action 'none'");
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Referrer-Policy", "no-referrer");
        ctx.header("Cache-Control", "no-store");
    }

    private void serve(Context ctx) {
        Resource r = resources.get(ctx.path());
        if (r == null) {
            throw new NotFoundResponse();
        }
        ctx.contentType(r.contentType).result(r.bytes);
    }

    private static Resource resource(String path, String contentType) {
        try (InputStream in = PlaygroundServer.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("the playground's resource " + path + " is missing from the jar");
            }
            return new Resource(in.readAllBytes(), contentType);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The chart library's file in its WebJar, whatever the version on the class path. */
    private static String chartJsPath() {
        Properties p = new Properties();
        try (InputStream in = PlaygroundServer.class.getResourceAsStream(
                "/META-INF/maven/org.webjars.npm/chart.js/pom.properties")) {
            if (in == null) {
                throw new IllegalStateException("the chart.js WebJar (org.webjars.npm:chart.js) is not on the class"
                        + " path");
            }
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return "/META-INF/resources/webjars/chart.js/" + p.getProperty("version") + "/dist/chart.umd.min.js";
    }

    // ---------------------------------------------------------------- WebSocket

    private void open(WsConnectContext ctx) {
        String origin = ctx.header("Origin");
        if (origin != null && !sameOrigin(origin, ctx.header("Host"))) {
            refuse(ctx, 1008, "connection from another site (" + Settings.clip(origin) + ") refused");
            return;
        }
        Session session;
        synchronized (sessions) {
            if (sessions.size() >= maxSessions) {
                session = null;
            } else {
                session = new Session(shortId(ctx.sessionId()), sink(ctx));
                sessions.put(ctx.sessionId(), session);
            }
        }
        if (session == null) {
            refuse(ctx, 1013, "The playground is full: " + maxSessions + (maxSessions == 1 ? " session is"
                    : " sessions are") + " open, the most it runs at once. Close another playground tab, then"
                    + " reload this one.");
            return;
        }
        ctx.enableAutomaticPings(20, TimeUnit.SECONDS);
        LOG.info("session {} opened ({} of {})", session.id(), sessions.size(), maxSessions);
        session.start(maxSessions);
    }

    private static Session.Sink sink(WsContext ctx) {
        return new Session.Sink() {
            @Override
            public void send(String text, Runnable done) {
                ctx.session.sendText(text, Callback.from(done, t -> done.run()));
            }

            @Override
            public void close(int code, String reason) {
                ctx.closeSession(code, reason);
            }
        };
    }

    private static void refuse(WsContext ctx, int code, String message) {
        try {
            ctx.send(Json.MAPPER.writeValueAsString(Map.of("type", "error", "fatal", true, "message", message)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        ctx.closeSession(code, code == 1013 ? "full" : "refused");
        LOG.info("connection refused: {}", message);
    }

    private void end(WsContext ctx, String how) {
        Session s = sessions.remove(ctx.sessionId());
        if (s != null) {
            s.close();
            LOG.info("session {} {}; {} open", s.id(), how, sessions.size());
        }
    }

    private static String shortId(String id) {
        return id.length() <= 8 ? id : id.substring(0, 8);
    }

    // ---------------------------------------------------------------- names

    static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("unknown host " + host, e);
        }
    }

    /** Whether a Host header names this machine's loopback interface: localhost, 127.0.0.1 or [::1], any port. */
    static boolean loopbackHost(String hostHeader) {
        if (hostHeader == null) {
            return false;
        }
        String h = hostHeader.toLowerCase(Locale.ROOT);
        int colon = h.lastIndexOf(':');
        if (colon >= 0 && colon > h.lastIndexOf(']')) {
            h = h.substring(0, colon);
        }
        return LOOPBACK_NAMES.contains(h);
    }

    /** Whether a WebSocket's Origin is the page's own: {@code http://} followed by the Host the request went to. */
    static boolean sameOrigin(String origin, String hostHeader) {
        try {
            URI o = new URI(origin);
            return "http".equals(o.getScheme()) && hostHeader != null
                    && o.getRawAuthority() != null && o.getRawAuthority().equalsIgnoreCase(hostHeader);
        } catch (java.net.URISyntaxException e) {
            return false;
        }
    }
}
