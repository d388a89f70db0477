package org.vigil.check.misc.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vigil.api.check.CheckContext;
import org.vigil.api.check.CheckProperties;
import org.vigil.api.check.CheckResult;
import org.vigil.api.check.CheckSpec;
import org.vigil.api.check.HealthCheck;
import org.vigil.script.ScriptRunner;
import org.vigil.script.ScriptSecurity;
import org.vigil.testing.netns.HostRequirement;

/** MISC_CHECK alone, running real shell scripts written by the test. */
class MiscCheckTest {
    static final String RS = "[192.0.2.21]:tcp:80";
    static final String VS = "[192.0.2.249]:tcp:80";
    static final CheckContext CONTEXT = new CheckContext() {
        @Override
        public Executor executor() {
            return Runnable::run;
        }

        @Override
        public ScheduledExecutorService scheduler() {
            throw new UnsupportedOperationException();
        }

        @Override
        public int attemptNumber() {
            return 1;
        }
    };

    @TempDir
    Path dir;

    final List<String> scriptLines = new CopyOnWriteArrayList<>();
    final MiscCheckType type = new MiscCheckType(new MiscCheckType.Globals(null, false),
            new ScriptRunner("test-check-misc", 8, 16), ScriptSecurity.Host.system(), scriptLines::add);

    @AfterEach
    void tearDown() {
        type.deactivate();
    }

    static CheckSpec spec(Map<String, List<String>> keywords, Duration connectTimeout) {
        InetSocketAddress a = new InetSocketAddress(InetAddress.getLoopbackAddress(), 80);
        InetSocketAddress rs = new InetSocketAddress(addr("192.0.2.21"), 80);
        return new CheckSpec("MISC_CHECK", "test", rs, a, null, connectTimeout, "tcp", VS,
                new CheckProperties(keywords), "test:1");
    }

    static InetAddress addr(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    Path script(String name, String body) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        return p;
    }

    CheckResult run(HealthCheck check) throws Exception {
        return check.attempt(CONTEXT).toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void exitZeroPassesAndOneFailsInKeepalivedsWords() throws Exception {
        Path up = script("up.sh", "exit 0");
        Path down = script("down.sh", "exit 1");

        CheckResult ok = run(type.prepare(spec(Map.of("misc.path", List.of(up.toString())), Duration.ofSeconds(5))));
        CheckResult ko = run(type.prepare(spec(Map.of("misc.path", List.of(down.toString())), Duration.ofSeconds(5))));

        assertThat(ok.success()).isTrue();
        assertThat(ok.weight()).isEqualTo(-1);
        assertThat(ok.line()).isEqualTo("Misc check for [" + RS + " VS " + VS + "] by [" + up + "] succeeded (exit status 0).");
        assertThat(ko.success()).isFalse();
        assertThat(ko.line()).isEqualTo("Misc check for [" + RS + " VS " + VS + "] by [" + down + "] failed (exit status 1).");
    }

    @Test
    void exitFourFailsWithoutMiscDynamicAndSetsWeightTwoWithIt() throws Exception {
        Path four = script("four.sh", "exit 4");
        Path zero = script("zero.sh", "exit 0");

        CheckResult plain = run(type.prepare(spec(Map.of("misc.path", List.of(four.toString())), Duration.ofSeconds(5))));
        CheckResult dynamic = run(type.prepare(spec(Map.of("misc.path", List.of(four.toString()),
                "misc.dynamic", List.of()), Duration.ofSeconds(5))));
        CheckResult unchanged = run(type.prepare(spec(Map.of("misc.path", List.of(zero.toString()),
                "misc.dynamic", List.of()), Duration.ofSeconds(5))));
        CheckResult oneDynamic = run(type.prepare(spec(Map.of("misc.path", List.of(script("one.sh", "exit 1").toString()),
                "misc.dynamic", List.of()), Duration.ofSeconds(5))));

        assertThat(plain.success()).isFalse();
        assertThat(plain.weight()).isEqualTo(-1);
        assertThat(dynamic.success()).isTrue();
        assertThat(dynamic.weight()).isEqualTo(2);
        assertThat(dynamic.line()).endsWith("succeeded (exit status 4).");
        // 0 under misc_dynamic: up, weight unchanged; 1: down
        assertThat(unchanged.success()).isTrue();
        assertThat(unchanged.weight()).isEqualTo(-1);
        assertThat(oneDynamic.success()).isFalse();
    }

    @Test
    void miscPathIsSplitByKeepalivedsRulesWithoutAShell() throws Exception {
        Path out = dir.resolve("args.txt");
        Path args = script("args.sh", "for a in \"$@\"; do printf '%s|' \"$a\"; done > " + out);
        // the bridge hands over the value with the keepalived.conf quotes removed
        String path = args + " 'a b' c\\td $HOME";

        CheckResult r = run(type.prepare(spec(Map.of("misc.path", List.of(path)), Duration.ofSeconds(5))));

        assertThat(r.success()).isTrue();
        assertThat(Files.readString(out)).isEqualTo("a b|c\td|$HOME|");
        assertThat(r.line()).contains("by [" + path + "] succeeded");
    }

    @Test
    void aScriptHangingPastMiscTimeoutFailsAndIsKilled() throws Exception {
        Path pid = dir.resolve("pid");
        Path hang = script("hang.sh", "echo $$ > " + pid + ".tmp; mv " + pid + ".tmp " + pid + "; exec sleep 60");
        HealthCheck check = type.prepare(spec(Map.of("misc.path", List.of(hang.toString()), "misc.timeout", List.of("1")),
                Duration.ofSeconds(30)));

        long start = System.nanoTime();
        CheckResult r = run(check);
        long millis = (System.nanoTime() - start) / 1_000_000;

        assertThat(r.success()).isFalse();
        assertThat(r.line()).isEqualTo("Misc check for [" + RS + " VS " + VS + "] by [" + hang + "] timed out.");
        assertThat(millis).isBetween(900L, 5_000L);
        long p = Long.parseLong(Files.readString(pid).trim());
        await().atMost(Duration.ofSeconds(5)).until(() -> ProcessHandle.of(p).map(h -> !h.isAlive()).orElse(true));
    }

    @Test
    void withoutMiscTimeoutTheConnectTimeoutBoundsTheScript() throws Exception {
        Path hang = script("hang2.sh", "exec sleep 60");
        MiscCheck check = (MiscCheck) type.prepare(spec(Map.of("misc.path", List.of(hang.toString())),
                Duration.ofMillis(700)));

        assertThat(check.timeout()).isEqualTo(Duration.ofMillis(700));
        assertThat(run(check).line()).endsWith("timed out.");
    }

    @Test
    void theCheckersCancellationKillsTheScript() throws Exception {
        Path pid = dir.resolve("pid2");
        Path hang = script("hang3.sh", "echo $$ > " + pid + ".tmp; mv " + pid + ".tmp " + pid + "; exec sleep 60");
        HealthCheck check = type.prepare(spec(Map.of("misc.path", List.of(hang.toString())), Duration.ofSeconds(30)));

        CompletableFuture<CheckResult> attempt = check.attempt(CONTEXT).toCompletableFuture();
        await().atMost(Duration.ofSeconds(5)).until(() -> Files.exists(pid));
        long p = Long.parseLong(Files.readString(pid).trim());
        attempt.cancel(true);

        await().atMost(Duration.ofSeconds(5)).until(() -> ProcessHandle.of(p).map(h -> !h.isAlive()).orElse(true));
    }

    @Test
    void attemptNeverBlocksTheCallerEvenWhenEverySlotHangs() throws Exception {
        Path hang = script("hang4.sh", "exec sleep 60");
        HealthCheck check = type.prepare(spec(Map.of("misc.path", List.of(hang.toString()), "misc.timeout", List.of("2")),
                Duration.ofSeconds(30)));

        long start = System.nanoTime();
        List<CompletableFuture<CheckResult>> attempts = new java.util.ArrayList<>();
        for (int i = 0; i < 20; i++) {
            attempts.add(check.attempt(CONTEXT).toCompletableFuture());
        }
        long millis = (System.nanoTime() - start) / 1_000_000;

        assertThat(millis).isLessThan(500);
        CompletableFuture.allOf(attempts.toArray(CompletableFuture[]::new)).get(20, TimeUnit.SECONDS);
        // 8 run at once, the other 12 wait for a slot: every one times out, none is lost
        assertThat(attempts).allSatisfy(a -> assertThat(a.join().success()).isFalse());
        assertThat(attempts.stream().filter(a -> a.join().line().contains("script queue full"))).hasSize(0);
    }

    @Test
    void aScriptThatIsNotExecutableIsRefusedWithTheScriptPackagesWords() throws Exception {
        Path p = dir.resolve("noexec.sh");
        Files.writeString(p, "#!/bin/sh\nexit 0\n");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-r--r--"));
        CheckSpec spec = spec(Map.of("misc.path", List.of(p.toString())), Duration.ofSeconds(5));

        assertThatThrownBy(() -> type.prepare(spec)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Disabling misc script " + p + " since not found/accessible");
        assertThat(scriptLines).anySatisfy(l -> assertThat(l).startsWith("WARNING - script '" + p
                + "' is not executable for uid:gid ").endsWith(" - disabling."));
    }

    @Test
    void aMissingScriptAndAnUnknownUserAreRefused() throws Exception {
        Path missing = dir.resolve("missing.sh");
        Path up = script("up2.sh", "exit 0");

        assertThatThrownBy(() -> type.prepare(spec(Map.of("misc.path", List.of(missing.toString())),
                Duration.ofSeconds(5)))).hasMessage("Disabling misc script " + missing + " since not found/accessible");
        assertThat(scriptLines).contains("Script " + missing + " cannot be accessed - No such file or directory");
        assertThatThrownBy(() -> type.prepare(spec(Map.of("misc.path", List.of(up.toString()),
                "user", List.of("no-such-user-vigil")), Duration.ofSeconds(5))))
                .hasMessage("Failed to set uid/gid for misc checker script " + up + " - removing");
        assertThat(scriptLines).contains("Script user 'no-such-user-vigil' does not exist");
    }

    @Test
    void anUnterminatedQuoteIsRefused() {
        assertThatThrownBy(() -> type.prepare(spec(Map.of("misc.path", List.of("/bin/true 'open")),
                Duration.ofSeconds(5)))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("missing terminating");
    }

    @Test
    void enablingScriptSecurityLaterStopsAnInsecureScriptAtItsNextAttempt() throws Exception {
        Path open = dir.resolve("open");
        Files.createDirectory(open);
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxrwx"));
        Path p = open.resolve("up.sh");
        Files.writeString(p, "#!/bin/sh\nexit 0\n");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        HostRequirement.require(ScriptSecurity.Host.system().currentUid() == 0,
                "the ownership rule applies to scripts run as root");
        HealthCheck check = type.prepare(spec(Map.of("misc.path", List.of(p.toString())), Duration.ofSeconds(5)));
        assertThat(run(check).success()).isTrue();

        // script_user root: without it keepalived 2.2.7 refuses every script (no keepalived_script user)
        type.apply(new MiscCheckType.Globals(org.vigil.script.RunAs.of("root", null, false), true));
        CheckResult r = run(check);

        assertThat(r.success()).isFalse();
        assertThat(r.line()).endsWith("failed: Disabling misc script " + p + " due to insecure.");
        // refused again at each attempt, but logged once
        int logged = scriptLines.size();
        assertThat(run(check).line()).isEqualTo(r.line());
        assertThat(scriptLines).hasSize(logged);
        // and allowed again once global_defs allows it
        type.apply(new MiscCheckType.Globals(org.vigil.script.RunAs.of("root", null, false), false));
        assertThat(run(check).success()).isTrue();
    }

    @Test
    void aScriptUserThatDoesNotReadRefusesScriptsWithoutTheirOwnUser() {
        // MiscCheckType.Globals.of logged the attribute; no default user is taken instead
        type.apply(new MiscCheckType.Globals(null, false, true));
        org.assertj.core.api.Assertions.assertThatThrownBy(
                () -> type.prepare(spec(Map.of("misc.path", List.of("/bin/true")), Duration.ofSeconds(5))))
                .hasMessage(MiscCheckType.refusalLine(ScriptSecurity.Refusal.USER, "/bin/true"));
    }

    @Test
    void theScriptRunsAsItsUser() throws Exception {
        HostRequirement.require(ScriptSecurity.Host.system().currentUid() == 0, "switching to user nobody needs root");
        HostRequirement.require(ScriptSecurity.Host.system().user("nobody").isPresent(), "no user nobody here");
        // nobody must reach the script, and write its answer somewhere
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path out = dir.resolve("out");
        Files.createDirectory(out);
        Files.setPosixFilePermissions(out, PosixFilePermissions.fromString("rwxrwxrwx"));
        Path whoami = script("whoami.sh", "id -u > " + out.resolve("uid") + "; id -g > " + out.resolve("gid"));
        int nobody = ScriptSecurity.Host.system().user("nobody").orElseThrow().uid();

        CheckResult r = run(type.prepare(spec(Map.of("misc.path", List.of(whoami.toString()), "user", List.of("nobody")),
                Duration.ofSeconds(5))));

        assertThat(r.success()).as(r.line()).isTrue();
        assertThat(Files.readString(out.resolve("uid")).trim()).isEqualTo(Integer.toString(nobody));
        assertThat(Files.readString(out.resolve("gid")).trim()).isEqualTo(
                Integer.toString(ScriptSecurity.Host.system().user("nobody").orElseThrow().gid()));
    }

    @Test
    void aMissingUserIsLoggedOnceNotOncePerCheck() throws Exception {
        Path up = script("up3.sh", "exit 0");
        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> type.prepare(spec(Map.of("misc.path", List.of(up.toString()),
                    "user", List.of("no-such-user-vigil")), Duration.ofSeconds(5)))).isInstanceOf(IllegalArgumentException.class);
        }

        assertThat(scriptLines.stream().filter(l -> l.equals("Script user 'no-such-user-vigil' does not exist"))).hasSize(1);
    }
}
