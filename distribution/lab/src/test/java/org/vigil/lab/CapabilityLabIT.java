package org.vigil.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * Issue 12: the capability set of the systemd unit works without systemd. The built appliance (its bundled
 * runtime) runs as the unprivileged user nobody, started by util-linux setpriv with CAP_NET_RAW and
 * CAP_NET_ADMIN as ambient capabilities and nothing else in the bounding set: it becomes master, holds the
 * VIP and sends a gratuitous ARP; its scripts (a vrrp_script and notify_master) run without those
 * capabilities. Without the capabilities it says why in one line and sends nothing.
 */
class CapabilityLabIT extends LabTest {
    static final String CAPS = "+net_raw,+net_admin";
    static final String NO_DRIVER = "Linux interface driver not started: raw IP sockets need CAP_NET_RAW";

    @Override
    protected int routers() {
        return 1;
    }

    @Test
    void unprivilegedUserWithNetRawAndNetAdminIsAMaster() throws IOException {
        Capture cap = capture();
        Daemon d = asNobody(true, "MASTER");
        await("the VIP on lan0").atMost(SHORT).pollInterval(Duration.ofMillis(100))
                .until(() -> lab.addresses("r1").contains(Lab.VIP4));
        awaitAdverts(cap, Vrrp.v2Pass(), "r1", 2);
        await("a gratuitous ARP for the VIP").atMost(SHORT).pollInterval(Duration.ofMillis(200))
                .until(() -> !cap.fields(gratuitousArp("r1"), "frame.number").isEmpty());
        assertNetCapsOnly(Files.readString(Path.of("/proc", Long.toString(d.pid()), "status")), Sh.ok("id", "-u",
                "nobody").strip());
        assertThat(d.logText()).doesNotContain(NO_DRIVER).doesNotContain("Unable to resolve");

        // the scripts got none of Vigil's capabilities (the ambient set would pass them on through exec)
        for (String script : List.of("track", "notify")) {
            Path status = d.dir.resolve(script + "-status");
            await(script + " script's status").atMost(SHORT).pollInterval(Duration.ofMillis(100))
                    .until(() -> Files.exists(status));
            assertNoCaps(script, Files.readString(status), Sh.ok("id", "-u", "nobody").strip());
        }

        d.term();
        assertThat(lab.addresses("r1")).doesNotContain(Lab.VIP4);
    }

    @Test
    void withoutTheCapabilitiesOneLineSaysWhy() throws IOException {
        Capture cap = capture();
        Daemon d = asNobody(false, "FAULT");
        d.awaitLog(NO_DRIVER, SHORT);
        assertThat(d.linesWith(NO_DRIVER, 0)).hasSize(1);
        // no stack trace: each line of the log is one of Vigil's own lines
        assertThat(d.logText().lines().filter(l -> l.startsWith("\tat ") || l.contains("Exception:"))).isEmpty();
        Bench.hold(4); // longer than Master_Down_Interval (3.4 s): a master would have sent by now
        assertThat(cap.fields("vrrp && eth.src == " + lab.mac("r1"), "frame.number")).isEmpty();
        assertThat(lab.addresses("r1")).doesNotContain(Lab.VIP4);
        assertThat(d.logText()).doesNotContain("Entering MASTER STATE");
    }

    /**
     * A script's /proc/PID/status: its user, and no capability effective, permitted or ambient (the
     * inheritable set, Vigil's, grants nothing without an ambient set or file capabilities).
     */
    private static void assertNoCaps(String script, String status, String uid) {
        assertThat(Daemon.statusField(status, "Uid:").split("\\s+")[0]).as(script + " uid").isEqualTo(uid);
        for (String set : List.of("CapPrm:", "CapEff:", "CapAmb:")) {
            assertThat(Long.parseLong(Daemon.statusField(status, set), 16)).as(script + " " + set).isZero();
        }
    }

    /**
     * The configuration plus a vrrp_script and a notify_master that each write their own
     * /proc/PID/status into the folder ({@code track-status}, {@code notify-status}).
     */
    private static String withScripts(String config, Path dir) throws IOException {
        Path script = dir.resolve("status.sh");
        Files.writeString(script, "#!/bin/sh\ncat /proc/$$/status > \"$1.part\" && mv \"$1.part\" \"$1\"\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.deleteIfExists(dir.resolve("track-status")); // from an earlier run
        Files.deleteIfExists(dir.resolve("notify-status"));
        return config.replace("vrrp_instance VI_1 {\n", "vrrp_script chk_caps {\n    script \"" + script + " "
                + dir.resolve("track-status") + "\"\n    interval 1\n}\nvrrp_instance VI_1 {\n    track_script {\n"
                + "        chk_caps\n    }\n    notify_master \"" + script + " " + dir.resolve("notify-status") + "\"\n");
    }

    /**
     * bin/vigil as nobody in r1 (v2 PASS, priority 150), with the two capabilities ambient (and the only ones
     * bounded) or with none, once VI_1 entered the state.
     */
    private Daemon asNobody(boolean caps, String state) throws IOException {
        Path dir = dir("vigil-nobody");
        // nobody writes its pid file and control socket here and reads the configuration
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
        String config = withScripts(Vrrp.v2Pass().config("cap-r1", 150), dir);
        Path conf = Daemon.writeConfig(dir, config);
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", lab.ns("r1"), "setpriv", "--reuid=nobody",
                "--regid=nogroup", "--clear-groups"));
        if (caps) {
            cmd.addAll(List.of("--inh-caps=" + CAPS, "--ambient-caps=" + CAPS, "--bounding-set=-all," + CAPS));
        }
        cmd.addAll(List.of(LabEnv.dist().resolve("bin/vigil").toString(), "-n", "-l", "-D", "-f", conf.toString(), "-p",
                dir.resolve("vigil.pid").toString()));
        Daemon d = track(new Daemon("vigil-nobody@r1", "r1", dir, cmd) {
        });
        d.awaitLog("(VI_1) Entering " + state + " STATE", START);
        return d;
    }

}
