package org.neuralj.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.spark.broadcast.Broadcast;
import org.neuralj.core.Sequential;
import org.neuralj.io.ModelFile;

/**
 * The network copies an executor JVM keeps between training rounds: rebuilt from the broadcast model bytes once per
 * task slot, not once per round. Only the current training run's copies are kept (a new run replaces them), so an
 * executor holds at most one model's worth of copies per concurrently running task.
 */
final class ExecutorNetworks {
    private record Pool(long broadcastId, ConcurrentLinkedQueue<Sequential> idle) {
    }

    private static final AtomicReference<Pool> CURRENT = new AtomicReference<>(new Pool(-1, new ConcurrentLinkedQueue<>()));

    private ExecutorNetworks() {
    }

    /** A network built from {@code model}'s bytes, idle copy or new; give it back with {@link #release}. */
    static Sequential borrow(Broadcast<byte[]> model) {
        Pool pool = CURRENT.get();
        if (pool.broadcastId() == model.id()) {
            Sequential idle = pool.idle().poll();
            if (idle != null) {
                return idle;
            }
        }
        try {
            return ModelFile.fromBytes(model.value());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot rebuild the broadcast model", e);
        }
    }

    /** Returns a copy borrowed for {@code model} to the pool, replacing the pool of an earlier run. */
    static void release(Broadcast<byte[]> model, Sequential net) {
        Pool pool = CURRENT.updateAndGet(p -> p.broadcastId() == model.id() ? p
                : new Pool(model.id(), new ConcurrentLinkedQueue<>()));
        pool.idle().add(net);
    }

    /** Drops the copies of the run that broadcast {@code model} (on the driver, which in local mode runs the tasks). */
    static void forget(Broadcast<byte[]> model) {
        CURRENT.updateAndGet(p -> p.broadcastId() == model.id() ? new Pool(-1, new ConcurrentLinkedQueue<>()) : p);
    }
}
