package org.vigil.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vigil.script.CommandLine;
import org.vigil.script.ScriptRunner;

/** Real /bin/sh scripts in a temporary directory, run every interval through the shared runner. */
class ScriptScheduleTest {
    @TempDir
    Path dir;
    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor();
    private final List<ScriptState.Outcome> outcomes = new CopyOnWriteArrayList<>();
    private final List<String> log = new CopyOnWriteArrayList<>();
    private final ScriptRunner processes = new ScriptRunner(executor, Integer.MAX_VALUE, 0);
    private ScriptSchedule runner;

    @AfterEach
    void stop() {
        if (runner != null) {
            runner.close();
        }
        processes.close();
        executor.shutdownNow();
    }

    private Path script(String name, String body) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        return p;
    }

    private void run(String command, long intervalMs, long timeoutMs) {
        ScriptSpec spec = new ScriptSpec("chk", command, intervalMs, timeoutMs, 0, false, 1, 1, null, null, false, false);
        runner = new ScriptSchedule(spec, CommandLine.parse(command).words(), executor, processes, outcomes::add, log::add);
        runner.start();
    }

    @Test
    void theExitStatusIsReportedEveryInterval() throws IOException {
        Path s = script("exit7.sh", "exit 7");
        run(s.toString(), 100, 100);
        await().atMost(Duration.ofSeconds(5)).until(() -> outcomes.size() >= 3);
        assertThat(outcomes).allMatch(o -> o.equals(ScriptState.Outcome.exited(7)));
    }

    @Test
    void argumentsArriveAsKeepalivedSplitsThem() throws IOException {
        Path out = dir.resolve("args");
        Path s = script("args.sh", "for a in \"$@\"; do echo \"[$a]\"; done > " + out);
        run(s + " one 'two words' \"three\"", 10_000, 1_000);
        await().atMost(Duration.ofSeconds(5)).until(() -> !outcomes.isEmpty());
        assertThat(Files.readAllLines(out)).containsExactly("[one]", "[two words]", "[three]");
    }

    @Test
    void aHangingScriptIsKilledWithItsChildrenAtTheTimeoutAndCountsAsAFailure() throws IOException {
        Path pids = dir.resolve("pids");
        Path s = script("hang.sh", "sleep 30 &\necho $! > " + pids + "\nwait");
        long started = System.nanoTime();
        run(s.toString(), 10_000, 300);
        await().atMost(Duration.ofSeconds(5)).until(() -> !outcomes.isEmpty());
        long tookMs = (System.nanoTime() - started) / 1_000_000;
        assertThat(outcomes.get(0)).isEqualTo(ScriptState.Outcome.timedOut());
        assertThat(tookMs).isBetween(250L, 3_000L);
        long child = Long.parseLong(Files.readString(pids).trim());
        await().atMost(Duration.ofSeconds(2))
                .until(() -> ProcessHandle.of(child).map(h -> !h.isAlive()).orElse(true));
    }

    @Test
    void aRunStillGoingIsNotStartedTwice() throws IOException {
        Path s = script("slow.sh", "sleep 1");
        run(s.toString(), 100, 5_000);
        await().atMost(Duration.ofSeconds(5)).until(() -> !outcomes.isEmpty());
        assertThat(outcomes.get(0)).isEqualTo(ScriptState.Outcome.exited(0));
        assertThat(log).contains("Track script chk is already running, expect idle - skipping run");
    }

    @Test
    void aMissingProgramFails() {
        run(dir.resolve("missing").toString(), 10_000, 1_000);
        await().atMost(Duration.ofSeconds(5)).until(() -> !outcomes.isEmpty());
        assertThat(outcomes.get(0)).isEqualTo(ScriptState.Outcome.exited(ScriptSchedule.EXEC_FAILED));
        assertThat(log).anyMatch(l -> l.startsWith("Error exec-ing command '" + dir.resolve("missing")));
    }
}
