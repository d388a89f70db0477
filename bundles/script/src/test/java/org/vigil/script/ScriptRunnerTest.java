package org.vigil.script;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real processes: /bin/sh scripts in a temporary directory. */
class ScriptRunnerTest {
    @TempDir
    Path dir;
    private ScriptRunner runner = new ScriptRunner("test-scripts", 4, 8);

    @AfterEach
    void stop() {
        runner.close();
    }

    private Path script(String name, String body) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        return p;
    }

    private static ScriptResult result(ScriptRun run) throws Exception {
        return run.result().toCompletableFuture().get(15, TimeUnit.SECONDS);
    }

    @Test
    void reportsTheExitStatus() throws Exception {
        Path s = script("exit7.sh", "exit 7");
        ScriptResult r = result(runner.run(List.of(s.toString()), Duration.ofSeconds(5)));
        assertThat(r.status()).isEqualTo(ScriptResult.Status.EXITED);
        assertThat(r.code()).isEqualTo(7);
        assertThat(r.succeeded()).isFalse();
        assertThat(result(runner.run(List.of("/bin/true"), Duration.ofSeconds(5))).succeeded()).isTrue();
    }

    @Test
    void reportsTheSignalThatEndedIt() throws Exception {
        Path s = script("killed.sh", "kill -9 $$");
        ScriptResult r = result(runner.run(List.of(s.toString()), Duration.ofSeconds(5)));
        assertThat(r.status()).isEqualTo(ScriptResult.Status.SIGNALLED);
        assertThat(r.code()).isEqualTo(9);
    }

    @Test
    void argumentsArriveAsGivenWithoutAShell() throws Exception {
        Path out = dir.resolve("args");
        Path s = script("args.sh", "for a in \"$@\"; do echo \"[$a]\"; done > " + out);
        ScriptResult r = result(runner.run(List.of(s.toString(), "a|b", "$HOME", "*", "x;y", "", "two words"),
                Duration.ofSeconds(5)));
        assertThat(r.succeeded()).isTrue();
        assertThat(Files.readAllLines(out)).containsExactly("[a|b]", "[$HOME]", "[*]", "[x;y]", "[]", "[two words]");
    }

    @Test
    void aScriptWithoutShebangRunsUnderShAsExecvpDoes() throws Exception {
        Path out = dir.resolve("out");
        Path s = dir.resolve("plain");
        Files.writeString(s, "echo \"ran $1\" > " + out + "\n");
        Files.setPosixFilePermissions(s, PosixFilePermissions.fromString("rwxr-xr-x"));
        assertThat(result(runner.run(List.of(s.toString(), "x"), Duration.ofSeconds(5))).succeeded()).isTrue();
        assertThat(Files.readString(out).strip()).isEqualTo("ran x");
    }

    @Test
    void lotsOfOutputNeverBlocksTheScript() throws Exception {
        // 4 MB on each of stdout and stderr: far beyond a pipe's buffer if anything kept a pipe
        Path s = script("chatty.sh", "head -c 4194304 /dev/zero; head -c 4194304 /dev/zero >&2; exit 3");
        ScriptResult r = result(runner.run(List.of(s.toString()), Duration.ofSeconds(10)));
        assertThat(r.status()).isEqualTo(ScriptResult.Status.EXITED);
        assertThat(r.code()).isEqualTo(3);
    }

    @Test
    void atItsTimeoutTheScriptAndItsChildrenGetSigterm() throws Exception {
        Path pids = dir.resolve("pids");
        Path s = script("hang.sh", "sleep 30 &\necho $! > " + pids + "\nwait");
        long started = System.nanoTime();
        ScriptResult r = result(runner.run(List.of(s.toString()), Duration.ofMillis(300)));
        long tookMs = (System.nanoTime() - started) / 1_000_000;
        assertThat(r.status()).isEqualTo(ScriptResult.Status.TIMED_OUT);
        assertThat(tookMs).isBetween(250L, 3_000L);
        long child = Long.parseLong(Files.readString(pids).trim());
        await().atMost(Duration.ofSeconds(3)).until(() -> ProcessHandle.of(child).map(h -> !h.isAlive()).orElse(true));
    }

    @Test
    void aScriptIgnoringSigtermGetsSigkillAfterTheGrace() throws Exception {
        Path pid = dir.resolve("pid");
        Path s = script("stubborn.sh", "trap '' TERM\necho $$ > " + pid + "\nwhile :; do sleep 0.1; done");
        long started = System.nanoTime();
        ScriptResult r = result(runner.run(List.of(s.toString()), Duration.ofMillis(300)));
        long tookMs = (System.nanoTime() - started) / 1_000_000;
        assertThat(r.status()).isEqualTo(ScriptResult.Status.TIMED_OUT);
        assertThat(tookMs).isGreaterThanOrEqualTo(300 + ScriptRunner.KILL_GRACE.toMillis() - 50);
        long p = Long.parseLong(Files.readString(pid).trim());
        assertThat(ProcessHandle.of(p).map(ProcessHandle::isAlive).orElse(false)).isFalse();
    }

    @Test
    void aMissingProgramDoesNotStart() throws Exception {
        ScriptResult r = result(runner.run(List.of(dir.resolve("missing").toString()), Duration.ofSeconds(5)));
        assertThat(r.status()).isEqualTo(ScriptResult.Status.NOT_STARTED);
        assertThat(r.message()).contains("missing");
    }

    @Test
    void runNeverBlocksTheCallerEvenWhenEverySlotHangs() throws Exception {
        runner.close();
        runner = new ScriptRunner("test-scripts", 1, 1);
        Path pid = dir.resolve("pid");
        Path hang = script("hang.sh", "echo $$ > " + pid + "\nexec sleep 30");
        ScriptRun first = assertTimeoutPreemptively(Duration.ofMillis(500),
                () -> runner.run(List.of(hang.toString()), Duration.ofSeconds(30)));
        ScriptRun second = assertTimeoutPreemptively(Duration.ofMillis(500),
                () -> runner.run(List.of("/bin/true"), Duration.ofSeconds(30)));
        ScriptRun third = assertTimeoutPreemptively(Duration.ofMillis(500),
                () -> runner.run(List.of("/bin/true"), Duration.ofSeconds(30)));

        // one running, one waiting, the third beyond the queue: refused at once
        assertThat(result(third).status()).isEqualTo(ScriptResult.Status.REJECTED);
        assertThat(second.result().toCompletableFuture().isDone()).isFalse();
        await().atMost(Duration.ofSeconds(5)).until(() -> Files.exists(pid) && !Files.readString(pid).isBlank());
        first.kill();
        assertThat(result(first).status()).isEqualTo(ScriptResult.Status.SIGNALLED);
        assertThat(result(second).succeeded()).isTrue();
    }

    @Test
    void aKilledWaitingRunNeverStarts() throws Exception {
        runner.close();
        runner = new ScriptRunner("test-scripts", 1, 4);
        Path hang = script("hang.sh", "exec sleep 30");
        Path marker = dir.resolve("marker");
        Path touch = script("touch.sh", "touch " + marker);
        ScriptRun first = runner.run(List.of(hang.toString()), Duration.ofSeconds(30));
        ScriptRun waiting = runner.run(List.of(touch.toString()), Duration.ofSeconds(30));
        waiting.kill();
        assertThat(result(waiting).status()).isEqualTo(ScriptResult.Status.NOT_STARTED);
        first.kill();
        result(first);
        assertThat(runner.awaitIdle(Duration.ofSeconds(5))).isTrue();
        assertThat(marker).doesNotExist();
    }

    @Test
    void shutdownLetsQueuedRunsFinishAndRefusesNewOnes() throws Exception {
        runner.close();
        runner = new ScriptRunner("test-scripts", 1, 4);
        Path out = dir.resolve("order");
        Path slow = script("slow.sh", "sleep 0.3\necho $1 >> " + out);
        ScriptRun a = runner.run(List.of(slow.toString(), "a"), Duration.ofSeconds(5));
        ScriptRun b = runner.run(List.of(slow.toString(), "b"), Duration.ofSeconds(5));
        runner.shutdown();
        assertThat(result(runner.run(List.of("/bin/true"), Duration.ofSeconds(5))).status())
                .isEqualTo(ScriptResult.Status.REJECTED);
        assertThat(runner.awaitIdle(Duration.ofSeconds(10))).isTrue();
        assertThat(result(a).succeeded()).isTrue();
        assertThat(result(b).succeeded()).isTrue();
        assertThat(Files.readAllLines(out)).containsExactly("a", "b");
    }

    @Test
    void aSupplierReturningNullRunsNothing() throws Exception {
        ScriptResult r = result(runner.run(() -> null, Duration.ofSeconds(5)));
        assertThat(r.status()).isEqualTo(ScriptResult.Status.NOT_STARTED);
    }
}
