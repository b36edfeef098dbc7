package org.neuralj.playground;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One browser tab's training session. Every change to its {@link Lab} happens on the session's own thread, in the
 * order the page's messages arrived, so training never runs on the web server's request threads and needs no lock.
 * While playing, the thread repeats a tick: up to {@code speed} training steps (at most {@value #WORK_MILLIS} ms of
 * them), then a frame. Frames leave at most every {@value #FRAME_MILLIS} ms (20 per second), and not while the two
 * before are still being written to a slow connection.
 */
public final class Session {
    private static final Logger LOG = LoggerFactory.getLogger(Session.class);
    /** The shortest time between two frames: 20 frames per second at most. */
    static final long FRAME_MILLIS = 50;
    /** A tick stops taking steps after this much work, so that a large batch cannot delay the frames. */
    static final long WORK_MILLIS = 40;
    /** Messages waiting for the session's thread beyond this are refused: the page never sends that many. */
    static final int MAX_QUEUED = 32;
    private static final int MAX_IN_FLIGHT = 2;

    /** Where a session's messages go: the WebSocket in the server, a list in tests. */
    public interface Sink {
        /** Sends {@code text}, then runs {@code done} once it is written (or failed). */
        void send(String text, Runnable done);

        /** Closes the connection with a WebSocket status code and a reason. */
        void close(int code, String reason);
    }

    private final String id;
    private final Sink sink;
    private final ScheduledExecutorService thread;
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicLong frames = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private Lab lab;
    private boolean playing;
    private boolean neuronGradients;
    private ScheduledFuture<?> tick;
    private ScheduledFuture<?> pendingFrame;
    private long lastFrame;
    private volatile boolean closed;

    Session(String id, Sink sink) {
        this.id = id;
        this.sink = sink;
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "playground-session-" + id);
            t.setDaemon(true);
            return t;
        });
    }

    /** Builds the first network (on the session's thread) and sends the hello, the network and a first frame. */
    void start(int maxSessions) {
        run(() -> {
            lab = new Lab(Settings.defaults(), 1, 1);
            ObjectNode hello = JsonNodeFactory.instance.objectNode().put("type", "hello").put("session", id)
                    .put("maxSessions", maxSessions).put("frameMillis", FRAME_MILLIS);
            hello.set("limits", Settings.limitsJson());
            send(hello);
            send(lab.describe());
            sendState();
            frame();
        });
    }

    /**
     * A message from the page. It is parsed here (on the caller's thread); malformed or oversized messages are
     * answered with an error at once, the others run on the session's thread in order.
     */
    void receive(String text) {
        Command command;
        try {
            command = Command.parse(text);
        } catch (ProtocolException e) {
            error(null, e.getMessage());
            return;
        }
        if (queued.incrementAndGet() > MAX_QUEUED) {
            queued.decrementAndGet();
            error(null, "too many messages at once (" + MAX_QUEUED + " waiting); this one was dropped");
            return;
        }
        run(() -> {
            queued.decrementAndGet();
            handle(command);
        });
    }

    private void handle(Command command) {
        if (command instanceof Command.Configure c) {
            configure(c);
        } else if (command instanceof Command.Play) {
            playing = true;
            sendState();
            if (tick == null || tick.isDone()) {
                tick = thread.schedule(this::tick, 0, TimeUnit.MILLISECONDS);
            }
        } else if (command instanceof Command.Pause) {
            playing = false;
            sendState();
        } else if (command instanceof Command.Step) {
            if (playing) {
                playing = false;
                sendState();
            }
            train(1, Long.MAX_VALUE);
            frame();
        } else if (command instanceof Command.Reset) {
            playing = false;
            lab.reset(ThreadLocalRandom.current().nextLong(1, 1_000_000));
            sendState();
            send(lab.describe());
            frame();
        } else if (command instanceof Command.Check) {
            send(lab.checkGradients());
        } else if (command instanceof Command.NeuronGradients g) {
            neuronGradients = g.on();
            frame();
        }
    }

    private void configure(Command.Configure c) {
        Settings next;
        try {
            next = lab.settings().merge(c.changes());
        } catch (InvalidSettingException e) {
            error(e.field(), e.getMessage());
            send(settingsMessage(lab.settings()));   // the page puts its inputs back
            return;
        }
        if (lab.apply(next)) {
            send(lab.describe());
        } else {
            send(settingsMessage(next));
        }
        frame();
    }

    private static ObjectNode settingsMessage(Settings s) {
        ObjectNode n = JsonNodeFactory.instance.objectNode().put("type", "settings");
        n.set("settings", s.toJson());
        return n;
    }

    private void tick() {
        if (!playing || closed) {
            return;
        }
        long start = System.nanoTime();
        train(lab.settings().speed(), start + TimeUnit.MILLISECONDS.toNanos(WORK_MILLIS));
        frame();
        long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        if (playing && !closed) {
            tick = thread.schedule(this::tick, Math.max(0, FRAME_MILLIS - elapsed), TimeUnit.MILLISECONDS);
        }
    }

    /** Up to {@code steps} training steps, stopping at {@code deadline} (nanoTime); pauses when training diverges. */
    private void train(int steps, long deadline) {
        try {
            for (int i = 0; i < steps && (i == 0 || System.nanoTime() < deadline); i++) {
                lab.step();
            }
        } catch (IllegalStateException e) {
            playing = false;
            error("learningRate", e.getMessage());
            sendState();
        }
    }

    /** Sends a frame now, or as soon as {@value #FRAME_MILLIS} ms have passed since the last and the link is free. */
    private void frame() {
        long now = System.nanoTime();
        long wait = lastFrame == 0 ? 0 : TimeUnit.MILLISECONDS.toNanos(FRAME_MILLIS) - (now - lastFrame);
        if (wait > 0 || inFlight.get() >= MAX_IN_FLIGHT) {
            if (pendingFrame == null || pendingFrame.isDone()) {
                long delay = Math.max(wait, TimeUnit.MILLISECONDS.toNanos(FRAME_MILLIS / 2));
                pendingFrame = thread.schedule(() -> {
                    if (!playing) {
                        frame();   // while playing, the next tick sends one anyway
                    }
                }, delay, TimeUnit.NANOSECONDS);
            }
            return;
        }
        lastFrame = now;
        frames.incrementAndGet();
        send(lab.frame(neuronGradients));
    }

    private void sendState() {
        send(JsonNodeFactory.instance.objectNode().put("type", "state").put("playing", playing)
                .put("step", lab.steps()).put("epoch", lab.epochs()));
    }

    private void error(String field, String message) {
        errors.incrementAndGet();
        ObjectNode n = JsonNodeFactory.instance.objectNode().put("type", "error").put("message", message);
        if (field != null) {
            n.put("field", field);
        }
        send(n);
    }

    private void send(ObjectNode message) {
        if (closed) {
            return;
        }
        String text;
        try {
            text = Json.MAPPER.writeValueAsString(message);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        inFlight.incrementAndGet();
        try {
            synchronized (sink) {   // errors about malformed messages are sent from the server's threads too
                sink.send(text, inFlight::decrementAndGet);
            }
        } catch (RuntimeException e) {
            inFlight.decrementAndGet();
            LOG.debug("session {}: send failed: {}", id, e.toString());
        }
    }

    private void run(Runnable task) {
        try {
            thread.execute(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    LOG.warn("session {}: {}", id, e.toString(), e);
                    error(null, "internal error: " + e.getMessage());
                }
            });
        } catch (RejectedExecutionException e) {
            // closed meanwhile
        }
    }

    /** Stops training and frees the session's thread; its network is garbage once the server forgets it. */
    void close() {
        closed = true;
        thread.shutdownNow();
    }

    /** Waits until the session's thread has ended (after {@link #close()}). */
    boolean awaitClosed(long millis) throws InterruptedException {
        return thread.awaitTermination(millis, TimeUnit.MILLISECONDS);
    }

    public String id() {
        return id;
    }

    /** Frames sent so far. */
    public long frames() {
        return frames.get();
    }

    /** Error messages sent so far (refused input, divergence). */
    public long errors() {
        return errors.get();
    }
}
