package org.neuralj.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;
import org.neuralj.core.Dataset;
import org.neuralj.core.FitOptions;
import org.neuralj.core.Gemm;
import org.neuralj.core.Rng;
import org.neuralj.core.Sequential;
import org.neuralj.core.Trainer;
import org.neuralj.core.TrainingContext;
import org.neuralj.core.TrainingListener;
import org.neuralj.datasets.Digits;
import org.neuralj.datasets.Idx;
import org.neuralj.datasets.Scaling;
import org.neuralj.datasets.Split;
import org.neuralj.layers.CrossEntropy;
import org.neuralj.layers.Dense;
import org.neuralj.layers.Initializer;
import org.neuralj.layers.ReLU;
import org.neuralj.layers.Softmax;
import org.neuralj.optim.Adam;

/**
 * Data-parallel training ({@code FitOptions.workers}) against one worker: the epoch time of workload B (digits
 * 64-128-10 ReLU, softmax + cross-entropy, Adam 1e-3, batch 32) and of Fashion-MNIST 784-256-128-10 at batch 128,
 * each with 1 and 2 workers.
 *
 * <p>Each run trains a fresh network (same seed) for one warm-up epoch and then the timed epochs, and reports the
 * median of the timed epochs. A workload's two worker counts run interleaved, round after round, so that a change in
 * the machine's load hits them alike; each run prints one JSON line with the load average, and each workload ends
 * with a summary line: the median over the rounds of each worker count and the speed-up {@code t(1 worker) / t(2 workers)}.
 * Each run's line also says how much two threads could gain at that moment ({@code two_thread_capacity}: the
 * speed-up of a plain arithmetic loop split over two threads, 2 on two free cores): on a shared machine whose other
 * jobs take the cores, no data-parallel speed-up can show, and this says whether that was the case; and what moving
 * a cache line between two cores costs at that moment ({@code core_to_core_round_trip_ns}).
 *
 * <p>Each summary line also carries what two workers would gain if exchanging gradients and weights cost nothing
 * ({@link ExchangeFreeBound}), measured after the workload's rounds, and the per-batch times to compare with it.
 *
 * <p>Before the rounds, the benchmark starts the Vector API kernel's compilation and waits for it; each workload
 * then runs warm-up rounds, the same way and left out of the summary, for at least {@code --warmup} seconds (default
 * 20), and its rounds follow, before the next workload starts: until C2 has compiled the training loop and the pool's
 * hand-off for this workload's shapes, an epoch takes longer, and a compiler thread takes a core from the second
 * worker. (Workload B's rounds are a tenth of a second each, so a few rounds would not cover it; alternating with
 * Fashion's rounds made C2 recompile B's paths in the middle of its measured rounds.)
 *
 * <p>Usage: {@code java --add-modules jdk.incubator.vector -cp nn-bench/target/benchmarks.jar
 * org.neuralj.bench.WorkersBenchmark [--rounds N] [--warmup SECONDS] [--fashion DIR] [--skip-fashion]}.
 */
public final class WorkersBenchmark {
    private static final int[] WORKERS = {1, 2};

    private WorkersBenchmark() {
    }

    /** One workload: how to build its network, its data, its batch size and its epochs. */
    private record Workload(String name, String description, LongFunction<Sequential> network, Dataset train,
                            int batch, int timedEpochs) {
    }

    public static void main(String[] args) throws IOException {
        int rounds = 3;
        double warmupSeconds = 20;
        Path fashion = Path.of("/usr/share/datasets/fashion-mnist");
        boolean withFashion = true;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--warmup" -> warmupSeconds = Double.parseDouble(args[++i]);
                case "--fashion" -> fashion = Path.of(args[++i]);
                case "--skip-fashion" -> withFashion = false;
                default -> {
                    System.err.println("unknown argument '" + args[i] + "'; usage: WorkersBenchmark [--rounds N]"
                            + " [--warmup SECONDS] [--fashion DIR] [--skip-fashion]");
                    System.exit(2);
                }
            }
        }
        List<Workload> workloads = new ArrayList<>();
        Split digits = Split.trainTest(Scaling.divide(Digits.load(), 16f), 360.0 / Digits.SAMPLES, new Rng(0));
        workloads.add(new Workload("B", "digits 64-128-10 ReLU, softmax-CE, Adam 1e-3", WorkersBenchmark::digitsNet,
                digits.train(), 32, 40));
        if (withFashion) {
            if (!Files.isDirectory(fashion)) {
                throw new IllegalArgumentException("Fashion-MNIST folder " + fashion + " does not exist; pass"
                        + " --fashion DIR or --skip-fashion");
            }
            Dataset train = Idx.readFolder(fashion, true, 10, Idx.Layout.FLAT);
            train.features().scaleInPlace(1f / 255);
            workloads.add(new Workload("C", "Fashion-MNIST 784-256-128-10 ReLU, softmax-CE, Adam 1e-3",
                    FashionNetwork::build, train, 128, 3));
        }

        awaitSelectedKernel();
        ObjectMapper json = new ObjectMapper();
        Map<String, double[][]> medians = new LinkedHashMap<>();
        for (Workload w : workloads) {
            medians.put(w.name(), new double[WORKERS.length][rounds]);
        }
        Map<String, Integer> warmupRounds = new LinkedHashMap<>();
        Map<String, ExchangeFreeBound> bounds = new LinkedHashMap<>();
        for (Workload w : workloads) {
            int warm = 0;
            for (long end = System.nanoTime() + (long) (warmupSeconds * 1e9); warm == 0 || System.nanoTime() < end;
                 warm++) {
                runRound(w, -1, null, json);
            }
            warmupRounds.put(w.name(), warm);
            for (int round = 0; round < rounds; round++) {
                runRound(w, round, medians.get(w.name()), json);
            }
            bounds.put(w.name(), ExchangeFreeBound.measure(w.network().apply(0), w.train(), w.batch()));
        }
        for (Workload w : workloads) {
            double[][] m = medians.get(w.name());
            double one = median(m[0]), two = median(m[1]);
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("workload", w.name());
            line.put("description", w.description());
            line.put("batch", w.batch());
            line.put("n_train", w.train().size());
            line.put("timed_epochs", w.timedEpochs());
            line.put("rounds", rounds);
            line.put("warmup_rounds", warmupRounds.get(w.name()));
            line.put("epoch_ms_1_worker", Math.round(one * 1e6) / 1e3);
            line.put("epoch_ms_2_workers", Math.round(two * 1e6) / 1e3);
            line.put("speedup_2_workers", Math.round(one / two * 1000) / 1000.0);
            int batches = (w.train().size() + w.batch() - 1) / w.batch();
            ExchangeFreeBound bound = bounds.get(w.name());
            line.put("batch_us_1_worker", round1(one / batches * 1e6));
            line.put("batch_us_2_workers", round1(two / batches * 1e6));
            line.put("gradient_us_whole_batch", round1(bound.wholeBatchSeconds() * 1e6));
            line.put("gradient_us_two_halves_at_once", round1(bound.twoHalvesSeconds() * 1e6));
            line.put("step_us", round1(bound.stepSeconds() * 1e6));
            line.put("exchange_free_speedup_bound", Math.round(bound.speedup() * 1000) / 1000.0);
            line.put("kernel", Gemm.kernelName() + (Gemm.selectedKernelInUse() ? "" : " (not compiled yet)"));
            line.put("cpus", Runtime.getRuntime().availableProcessors());
            line.put("java", System.getProperty("java.vm.version"));
            line.put("loadavg", loadAverage());
            System.out.println(json.writeValueAsString(line));
        }
    }

    /**
     * Trains {@code w} with each worker count and prints a line per run; a round of the summary ({@code round ≥ 0})
     * also keeps the run's median epoch in {@code medians[workers][round]}.
     */
    private static void runRound(Workload w, int round, double[][] medians, ObjectMapper json) throws IOException {
        for (int c = 0; c < WORKERS.length; c++) {
            double median = medianEpochSeconds(w, WORKERS[c]);
            if (round >= 0) {
                medians[c][round] = median;
            }
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("workload", w.name());
            line.put("round", round < 0 ? "warm-up" : String.valueOf(round + 1));
            line.put("workers", WORKERS[c]);
            line.put("batch", w.batch());
            line.put("epoch_ms_median", Math.round(median * 1e6) / 1e3);
            line.put("loadavg", loadAverage());
            line.put("two_thread_capacity", Math.round(twoThreadCapacity() * 100) / 100.0);
            line.put("core_to_core_round_trip_ns", Math.round(roundTripNanos()));
            System.out.println(json.writeValueAsString(line));
        }
    }

    /** Starts the Vector API kernel's compilation with one large product and waits (at most a minute) until it is in use. */
    private static void awaitSelectedKernel() {
        int n = 256;
        float[] a = new float[n * n], c = new float[n * n];
        Gemm.gemm(false, false, n, n, n, a, n, a, n, c, n, false); // 33 MFLOP: large enough to start the warm-up
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!Gemm.selectedKernelInUse() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static Sequential digitsNet(long seed) {
        return Sequential.builder().input(Digits.FEATURES)
                .add(new Dense(128, Initializer.heUniform())).add(new ReLU())
                .add(new Dense(Digits.CLASSES, Initializer.heUniform())).add(new Softmax())
                .seed(seed).build();
    }

    /** Trains a fresh network one warm-up epoch and then the timed ones; the median timed epoch in seconds. */
    private static double medianEpochSeconds(Workload w, int workers) {
        EpochTimer timer = new EpochTimer();
        Trainer.fit(w.network().apply(0), w.train(), FitOptions.of(new CrossEntropy(), new Adam(1e-3))
                .epochs(1 + w.timedEpochs()).batchSize(w.batch()).workers(workers).listener(timer).quiet());
        double[] timed = timer.seconds.subList(1, timer.seconds.size()).stream().mapToDouble(Double::doubleValue)
                .toArray();
        return median(timed);
    }

    /** The speed-up of a 40 ms arithmetic loop run as two halves on two threads: about 2 when two cores are free. */
    private static double twoThreadCapacity() {
        long iterations = 40_000_000L;
        long start = System.nanoTime();
        spin(iterations);
        long one = System.nanoTime() - start;
        start = System.nanoTime();
        Thread other = new Thread(() -> spin(iterations / 2));
        other.start();
        spin(iterations / 2);
        try {
            other.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return (double) one / (System.nanoTime() - start);
    }

    private static volatile long sink;

    /**
     * The median time for one thread to hand a counter to another and get it back: the latency of a cache line
     * moving between two cores and back, which sets what the workers' exchange costs (on a virtual machine it can
     * change for minutes at a time, as the hypervisor places the virtual CPUs; docs/training.md).
     */
    private static double roundTripNanos() {
        int trips = 20_000, batches = 5;
        AtomicLong ball = new AtomicLong();
        Thread other = new Thread(() -> {
            for (long i = 1; i < 2L * trips * batches; i += 2) {
                while (ball.get() != i) {
                    Thread.onSpinWait();
                }
                ball.set(i + 1);
            }
        });
        other.start();
        double[] perTrip = new double[batches];
        for (int b = 0; b < batches; b++) {
            long start = System.nanoTime();
            for (int i = 0; i < trips; i++) {
                long v = ball.get();
                ball.set(v + 1);
                while (ball.get() != v + 2) {
                    Thread.onSpinWait();
                }
            }
            perTrip[b] = (System.nanoTime() - start) / (double) trips;
        }
        try {
            other.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return median(perTrip);
    }

    private static void spin(long iterations) {
        long x = 0;
        for (long i = 0; i < iterations; i++) {
            x += i * i ^ (x >>> 3);
        }
        sink = x;
    }

    /** Times each epoch's training with the nanosecond clock (no validation set is given). */
    private static final class EpochTimer implements TrainingListener {
        final List<Double> seconds = new ArrayList<>();
        private long start;

        @Override
        public void onEpochBegin(int epoch, TrainingContext context) {
            start = System.nanoTime();
        }

        @Override
        public void onEpochEnd(org.neuralj.core.EpochResult result, TrainingContext context) {
            seconds.add((System.nanoTime() - start) / 1e9);
        }
    }

    private static double round1(double x) {
        return Math.round(x * 10) / 10.0;
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /** The 1, 5 and 15-minute load averages, as {@code uptime} prints them: the machine is shared. */
    private static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }
}
