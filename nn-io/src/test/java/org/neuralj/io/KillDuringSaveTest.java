package org.neuralj.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neuralj.core.Sequential;
import org.neuralj.layers.Dense;

/** A process killed while it saves leaves a loadable model under the target name: the old one or the new one. */
class KillDuringSaveTest {
    @TempDir
    Path dir;

    /** The child process: saves a 4 MB model over {@code args[0]} again and again until it is killed. */
    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        for (long seed = 1; ; seed++) {
            ModelFile.save(Sequential.builder().input(1000).add(new Dense(1000)).seed(seed).build(), file);
        }
    }

    @Test
    void killingTheSavingProcessNeverLeavesATruncatedModel() throws Exception {
        Path file = dir.resolve("model.safetensors");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                KillDuringSaveTest.class.getName(), file.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("child.log").toFile()).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!Files.exists(file) && System.nanoTime() < deadline && child.isAlive()) {
                Thread.sleep(10);
            }
            assertThat(file).as("the child saved at least once; its log: %s", dir.resolve("child.log")).exists();
            Thread.sleep(150); // now it is somewhere inside a later save
        } finally {
            child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        Sequential loaded = ModelFile.load(file);
        assertThat(loaded.parameterCount()).isEqualTo(1000 * 1000 + 1000);
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .allMatch(n -> n.equals("model.safetensors") || n.equals("child.log")
                            || n.matches("\\.model\\.safetensors\\." + child.pid() + "\\.[0-9a-z]+\\.tmp"));
        }
        // the next save cleans up what the killed one left
        ModelFile.save(loaded, file);
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("model.safetensors",
                    "child.log");
        }
    }
}
