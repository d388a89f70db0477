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
import org.vigil.script.ScriptRunner;
import org.vigil.script.ScriptSecurity;

/**
 * A vrrp_script's command goes through the same splitting as a notify script's: the command
 * line below is the one notify-script's ScriptNotifierTest.splitsTheCommandLineAsCoreTrackingDoes
 * runs, with the same words expected (keepalived's rules, org.vigil.script CommandLineTest). Real
 * process, through the path Tracking takes: TrackScriptCheck, then ScriptSchedule.
 */
class TrackScriptSplittingTest {
    @TempDir
    Path dir;
    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor();
    private final ScriptRunner processes = new ScriptRunner(executor, Integer.MAX_VALUE, 0);
    private final List<ScriptState.Outcome> outcomes = new CopyOnWriteArrayList<>();
    private ScriptSchedule schedule;

    @AfterEach
    void stop() {
        if (schedule != null) {
            schedule.close();
        }
        processes.close();
        executor.shutdownNow();
    }

    @Test
    void splitsTheCommandLineAsNotifyScriptsDo() throws IOException {
        Path out = dir.resolve("args.txt");
        Path script = dir.resolve("args.sh");
        Files.writeString(script, "#!/bin/sh\nfor a in \"$@\"; do printf '[%s]\\n' \"$a\"; done > " + out + "\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        ScriptSpec spec = new ScriptSpec("chk", script + " one 'two words' \"say \\\"hi\\\"\" a\\ b '' x\\ty 'it'\\''s' a|b $HOME",
                10_000, 5_000, 0, false, 1, 1, null, null, false, false);

        ScriptSecurity.Decision d = TrackScriptCheck.decide(spec, false, null, ScriptSecurity.Host.system(), line -> { });
        schedule = new ScriptSchedule(spec, d.argv(), executor, processes, outcomes::add, line -> { });
        schedule.start();

        await().atMost(Duration.ofSeconds(10)).until(() -> !outcomes.isEmpty());
        assertThat(outcomes.get(0)).isEqualTo(ScriptState.Outcome.exited(0));
        assertThat(Files.readAllLines(out)).containsExactly("[one]", "[two words]", "[say \"hi\"]", "[a b]", "[]",
                "[x\ty]", "[it's]", "[a|b]", "[$HOME]");
    }
}
