package org.vigil.script;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real reader script on a real FIFO. */
class FifoScriptTest {
    @TempDir
    Path dir;
    private final ScriptRunner runner = new ScriptRunner("test-fifo-scripts", 1, 0);

    @AfterEach
    void stop() {
        runner.close();
    }

    @Test
    void createsTheFifoStartsTheReaderWithItsPathLastAndKillsIt() throws Exception {
        Path reader = dir.resolve("reader.sh");
        Path record = dir.resolve("record");
        Files.writeString(reader, "#!/bin/sh\necho \"args $*\" >> " + record + "\n"
                + "while read line; do echo \"$line\" >> " + record + "; done < \"$2\"\n");
        Files.setPosixFilePermissions(reader, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path fifo = dir.resolve("lvs.fifo");

        ScriptRun run = FifoScript.start(runner, fifo, () -> List.of(reader.toString(), "first"));

        assertThat(Files.isRegularFile(fifo)).isFalse();
        assertThat(Files.getPosixFilePermissions(fifo)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        try (RandomAccessFile out = new RandomAccessFile(fifo.toFile(), "rw")) {
            out.write("RS [192.0.2.2]:tcp:80 [192.0.2.1]:tcp:80 DOWN\n".getBytes(StandardCharsets.UTF_8));
            await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(record)
                    && Files.readAllLines(record).contains("RS [192.0.2.2]:tcp:80 [192.0.2.1]:tcp:80 DOWN"));
            assertThat(Files.readAllLines(record).get(0)).isEqualTo("args first " + fifo);
            assertThat(run.result().toCompletableFuture().isDone()).as("a reader has no timeout").isFalse();
            // while a writer holds the FIFO the reader waits for lines: only a kill ends it
            run.kill();
            ScriptResult r = run.result().toCompletableFuture().get(10, TimeUnit.SECONDS);
            assertThat(r.status()).isEqualTo(ScriptResult.Status.SIGNALLED);
        }
    }

    @Test
    void anExistingFifoIsKeptAndARefusedScriptIsNotRun() throws Exception {
        Path fifo = dir.resolve("fifo");
        FifoScript.createFifo(fifo);
        FifoScript.createFifo(fifo);
        ScriptRun run = FifoScript.start(runner, fifo, () -> null);
        assertThat(run.result().toCompletableFuture().get(10, TimeUnit.SECONDS).status())
                .isEqualTo(ScriptResult.Status.NOT_STARTED);
    }
}
