package org.vigil.script;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vigil.testing.netns.HostRequirement;

/**
 * Scripts never get Vigil's capabilities. The lab's CapabilityLabIT runs the whole appliance as an
 * unprivileged user with ambient CAP_NET_RAW and CAP_NET_ADMIN; here the command line the runner
 * starts is checked under a real parent that holds them (setpriv, as root), and the runner's
 * results through setpriv.
 */
class InheritedCapabilitiesTest {
    /** CAP_NET_ADMIN (12) and CAP_NET_RAW (13). */
    private static final long NET_CAPS = (1L << 12) | (1L << 13);

    @TempDir
    Path dir;
    private final ScriptRunner clearing = new ScriptRunner(ScriptRunner.ownExecutor("test-clearing"), true, 4, 8, true);

    @AfterEach
    void stop() {
        clearing.close();
    }

    @Test
    void readsTheAmbientAndInheritableSetsOfProcStatus() {
        String unprivileged = "Name:\tjava\nUid:\t65534\t65534\t65534\t65534\nCapInh:\t0000000000003000\n"
                + "CapPrm:\t0000000000003000\nCapEff:\t0000000000003000\nCapBnd:\t0000000000003000\n"
                + "CapAmb:\t0000000000003000\n";
        assertThat(InheritedCapabilities.mask(unprivileged, "CapAmb:")).isEqualTo(NET_CAPS);
        assertThat(InheritedCapabilities.held(unprivileged)).isTrue();
        String root = "Uid:\t0\t0\t0\t0\nCapInh:\t0000000000000000\nCapPrm:\t000001ffffffffff\n"
                + "CapEff:\t000001ffffffffff\nCapBnd:\t000001ffffffffff\nCapAmb:\t0000000000000000\n";
        assertThat(InheritedCapabilities.mask(root, "CapEff:")).isEqualTo(0x1ffffffffffL);
        assertThat(InheritedCapabilities.held(root)).as("root's scripts are root's, as in keepalived").isFalse();
        // an inheritable set alone passes nothing to a program without file-inheritable capabilities
        assertThat(InheritedCapabilities.held("Uid:\t1000\t1000\t1000\t1000\nCapInh:\t0000000000001000\n"
                + "CapAmb:\t0000000000000000\n")).isFalse();
    }

    @Test
    void setprivGoesInFrontOrJoinsTheUserSwitch() {
        assertThat(InheritedCapabilities.cleared(List.of("/etc/keepalived/chk.sh", "a b")))
                .containsExactly("/usr/bin/setpriv", "--ambient-caps=-all", "--", "/etc/keepalived/chk.sh", "a b");
        assertThat(InheritedCapabilities.cleared(List.of("/usr/bin/setpriv", "--reuid=1000", "--regid=1000",
                "--clear-groups", "--", "/x"))).containsExactly("/usr/bin/setpriv", "--ambient-caps=-all",
                        "--reuid=1000", "--regid=1000", "--clear-groups", "--", "/x");
        // a configured script that is itself setpriv is a script like any other
        assertThat(InheritedCapabilities.cleared(List.of("/usr/bin/setpriv", "--dump")))
                .containsExactly("/usr/bin/setpriv", "--ambient-caps=-all", "--", "/usr/bin/setpriv", "--dump");
    }

    @Test
    void aChildOfAnUnprivilegedProcessWithAmbientCapabilitiesGetsNone() throws Exception {
        HostRequirement.require(ScriptSecurity.Host.system().currentUid() == 0,
                "a parent with ambient capabilities as another user needs root");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
        Path status = dir.resolve("status");
        List<String> script = List.of("/bin/sh", "-c", "cat /proc/$$/status > " + status);

        // what Vigil is under the unit: nobody with the two capabilities ambient
        List<String> asVigil = new ArrayList<>(List.of("/usr/bin/setpriv", "--reuid=65534", "--regid=65534",
                "--clear-groups", "--inh-caps=+net_raw,+net_admin", "--ambient-caps=+net_raw,+net_admin", "--"));
        List<String> inherited = new ArrayList<>(asVigil);
        inherited.addAll(script);
        assertThat(exec(inherited)).isZero();
        String before = Files.readString(status);
        assertThat(InheritedCapabilities.mask(before, "CapEff:")).as("without clearing: the bug").isEqualTo(NET_CAPS);
        assertThat(InheritedCapabilities.mask(before, "CapAmb:")).isEqualTo(NET_CAPS);

        List<String> cleared = new ArrayList<>(asVigil);
        cleared.addAll(InheritedCapabilities.cleared(script));
        assertThat(exec(cleared)).isZero();
        String after = Files.readString(status);
        for (String set : List.of("CapPrm:", "CapEff:", "CapAmb:")) {
            assertThat(InheritedCapabilities.mask(after, set)).as(set).isZero();
        }
        // kept: without an ambient set it grants nothing by itself
        assertThat(InheritedCapabilities.mask(after, "CapInh:")).isEqualTo(NET_CAPS);
        assertThat(after).containsPattern("Uid:\\s+65534\\s");
    }

    @Test
    void throughSetprivStatusArgumentsAndTimeoutsAreTheScriptsOwn() throws Exception {
        Path out = dir.resolve("args");
        Path s = dir.resolve("args.sh");
        Files.writeString(s, "#!/bin/sh\nfor a in \"$@\"; do echo \"[$a]\"; done > " + out + "\nexit 7\n");
        Files.setPosixFilePermissions(s, PosixFilePermissions.fromString("rwxr-xr-x"));
        ScriptResult r = result(clearing.run(List.of(s.toString(), "--", "a b", "$HOME"), Duration.ofSeconds(5)));
        assertThat(r.status()).isEqualTo(ScriptResult.Status.EXITED);
        assertThat(r.code()).isEqualTo(7);
        assertThat(Files.readAllLines(out)).containsExactly("[--]", "[a b]", "[$HOME]");

        Path hang = dir.resolve("hang.sh");
        Files.writeString(hang, "#!/bin/sh\nsleep 30\n");
        Files.setPosixFilePermissions(hang, PosixFilePermissions.fromString("rwxr-xr-x"));
        ScriptResult timedOut = result(clearing.run(List.of(hang.toString()), Duration.ofMillis(300)));
        assertThat(timedOut.status()).isEqualTo(ScriptResult.Status.TIMED_OUT);
    }

    private static ScriptResult result(ScriptRun run) throws Exception {
        return run.result().toCompletableFuture().get(15, TimeUnit.SECONDS);
    }

    private static int exec(List<String> argv) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("timed out: " + argv);
        }
        return p.exitValue();
    }
}
