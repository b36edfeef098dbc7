package org.neuralj.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neuralj.core.Dataset;
import org.neuralj.core.FitOptions;
import org.neuralj.core.History;
import org.neuralj.core.Sequential;
import org.neuralj.core.Trainer;
import org.neuralj.layers.CrossEntropy;
import org.neuralj.layers.Dense;
import org.neuralj.layers.Dropout;
import org.neuralj.layers.Initializer;
import org.neuralj.layers.ReLU;
import org.neuralj.layers.Softmax;
import org.neuralj.optim.Adam;

/** {@code FitOptions.workers(2)} with checkpoints: a run resumed from its file continues bit for bit. */
class DataParallelCheckpointTest {
    @TempDir
    Path dir;

    private static Sequential net() {
        return Sequential.builder().input(4)
                .add(new Dense(16, Initializer.heNormal())).add(new ReLU()).add(new Dropout(0.2))
                .add(new Dense(3, Initializer.xavierNormal())).add(new Softmax())
                .seed(11).build();
    }

    private static FitOptions options(int epochs) {
        return FitOptions.of(new CrossEntropy(), new Adam(0.01)).epochs(epochs).batchSize(15).workers(2)
                .validation(CheckpointTest.blobs(45, 2)).quiet();
    }

    @Test
    void twoWorkersResumedFromACheckpointEqualAStraightRunBitForBit() throws IOException {
        Sequential straight = net();
        History all = Trainer.fit(straight, CheckpointTest.blobs(120, 1), options(4));

        Path file = dir.resolve("run.ckpt");
        Trainer.fit(net(), CheckpointTest.blobs(120, 1), options(2).listener(new ModelCheckpoint(file)));
        Checkpoint cp = Checkpoint.load(file);
        Sequential resumed = cp.model();
        History rest = Trainer.fit(resumed, CheckpointTest.blobs(120, 1), cp.resume(options(4)));

        assertThat(resumed.parameters().values()).containsExactly(straight.parameters().values());
        assertThat(rest.loss()).containsExactly(all.loss()[2], all.loss()[3]);
        assertThat(resumed.rng().state()).isEqualTo(straight.rng().state());
    }
}
