package org.vigil.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * Issue 13's tracking and notifications with Debian's keepalived as the peer: Vigil (r1, 150)
 * tracks a process through the kernel's proc connector (vrrp_track_process, weight -60) and a
 * track_file block (weight -1), keepalived (r2, 100) takes over when r1's effective priority
 * falls below 100 and hands back when it rises. A split (r2 dropping r1's adverts) makes both
 * masters: r1 hears r2's lower priority and runs notify_master_rx_lower_pri. Every FIFO line
 * (notify_priority_changes included) reaches a notify_fifo_script.
 */
class TrackingLabIT extends LabTest {
    private static final Vrrp V2 = Vrrp.v2Pass();
    private static final Duration MOVE = Duration.ofSeconds(20);
    /** 15 characters: /proc/PID/comm holds the whole name. */
    private static final String PROCESS = "vigil-lab-sleep";

    private Process sleeper(Path program) throws IOException {
        return new ProcessBuilder(program.toString(), "600").start();
    }

    @Test
    void processAndFileTrackingMoveTheMasterToKeepalivedAndBack() throws Exception {
        Path d = dir("tracking");
        Path program = d.resolve(PROCESS);
        Files.copy(Path.of("/bin/sleep"), program, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        for (String old : List.of("rxlow.record", "nobodys/fifo.record", "fifo")) {
            Files.deleteIfExists(d.resolve(old)); // an earlier run's
        }
        Files.setPosixFilePermissions(program, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path prio = d.resolve("prio");
        Path rxlow = d.resolve("rxlow.sh");
        Path rxlowRecord = d.resolve("rxlow.record");
        Files.writeString(rxlow, "#!/bin/sh\necho \"$*\" >> " + rxlowRecord + "\n");
        Path fifoReader = d.resolve("fifo.sh");
        // the FIFO's reader runs as nobody (notify_fifo PATH nobody nogroup gives it the FIFO) and
        // writes where only nobody may
        Path nobodys = Files.createDirectories(d.resolve("nobodys"));
        Files.setOwner(nobodys, nobodys.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody"));
        Files.setPosixFilePermissions(nobodys, PosixFilePermissions.fromString("rwx------"));
        Path fifoRecord = nobodys.resolve("fifo.record");
        Files.writeString(fifoReader, "#!/bin/sh\nwhile read line; do echo \"$line\" >> " + fifoRecord + "; done < \"$1\"\n");
        for (Path p : List.of(rxlow, fifoReader)) {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        String r1Config = V2.config("r1", 150)
                .replace("    router_id r1\n", "    router_id r1\n    notify_fifo " + d.resolve("fifo") + " nobody nogroup\n"
                        + "    notify_fifo_script " + fifoReader + " nobody\n")
                .replace("vrrp_instance VI_1 {\n", "vrrp_track_process sleeper {\n    process " + PROCESS
                        + "\n    weight -60\n}\ntrack_file prio {\n    file " + prio + "\n    weight -1\n"
                        + "    init_file 0 overwrite\n}\nvrrp_instance VI_1 {\n    track_process {\n        sleeper\n    }\n"
                        + "    track_file {\n        prio\n    }\n    notify_master_rx_lower_pri \"" + rxlow + " lower\"\n"
                        + "    notify_priority_changes\n");

        Process running = sleeper(program);
        try {
            Daemon r2 = keepalived("r2", V2.config("r2", 100));
            Daemon r1 = vigil("r1", r1Config);
            VigilPairLabIT.awaitStates(r1, "MASTER", r2, "BACKUP");
            assertThat(Files.readString(prio)).as("init_file wrote its value").isEqualTo("0\n");
            java.nio.file.attribute.PosixFileAttributes fifo = Files.readAttributes(d.resolve("fifo"),
                    java.nio.file.attribute.PosixFileAttributes.class, java.nio.file.LinkOption.NOFOLLOW_LINKS);
            assertThat(fifo.owner().getName() + ":" + fifo.group().getName() + " " + PosixFilePermissions.toString(
                    fifo.permissions())).as("the FIFO Vigil made is its owner's").isEqualTo("nobody:nogroup rw-r-----");
            assertThat(r1.linesWith("Changing effective priority", 0)).as("the process is counted before the "
                    + "instance starts, as keepalived scans /proc first").isEmpty();

            // the tracked process ends: 150 - 60 = 90 < 100, keepalived takes over
            int m1 = r1.mark();
            int m2 = r2.mark();
            running.destroyForcibly().waitFor();
            r1.awaitLog("(VI_1) Changing effective priority from 150 to 90", m1, SHORT);
            r2.awaitLog("(VI_1) Entering MASTER STATE", m2, MOVE);
            r1.awaitLog("(VI_1) Entering BACKUP STATE", m1, SHORT);

            // it runs again: 150 preempts keepalived's 100
            m1 = r1.mark();
            m2 = r2.mark();
            running = sleeper(program);
            r1.awaitLog("(VI_1) Changing effective priority from 90 to 150", m1, SHORT);
            r1.awaitLog("(VI_1) Entering MASTER STATE", m1, MOVE);
            r2.awaitLog("(VI_1) Entering BACKUP STATE", m2, SHORT);

            // the tracked file says 70: 150 - 70 = 80, keepalived again; 0 brings r1 back
            m1 = r1.mark();
            m2 = r2.mark();
            Files.writeString(prio, "70\n");
            r1.awaitLog("(VI_1) Changing effective priority from 150 to 80", m1, SHORT);
            r2.awaitLog("(VI_1) Entering MASTER STATE", m2, MOVE);
            m1 = r1.mark();
            m2 = r2.mark();
            Files.writeString(prio, "0\n");
            r1.awaitLog("(VI_1) Entering MASTER STATE", m1, MOVE);
            r2.awaitLog("(VI_1) Entering BACKUP STATE", m2, SHORT);

            // a split: r2 stops hearing r1 and becomes master too; r1 hears its lower priority
            String ns2 = lab.ns("r2");
            Sh.ok("ip", "netns", "exec", ns2, "nft", "add", "table", "inet", "vigiltrack");
            try {
                Sh.ok("ip", "netns", "exec", ns2, "nft", "add", "chain", "inet", "vigiltrack", "in",
                        "{ type filter hook input priority 0 ; }");
                Sh.ok("ip", "netns", "exec", ns2, "nft", "add", "rule", "inet", "vigiltrack", "in", "ip", "saddr",
                        Lab.ipv4("r1"), "ip", "protocol", "vrrp", "drop");
                await("notify_master_rx_lower_pri on r1").atMost(MOVE).pollInterval(Duration.ofMillis(200))
                        .until(() -> Files.exists(rxlowRecord) && Files.readString(rxlowRecord).contains("lower"));
            } finally {
                Sh.quiet("ip", "netns", "exec", ns2, "nft", "delete", "table", "inet", "vigiltrack");
            }
            await("the FIFO lines at the fifo script").atMost(SHORT).pollInterval(Duration.ofMillis(200))
                    .untilAsserted(() -> assertThat(Files.readAllLines(fifoRecord)).contains(
                            "INSTANCE \"VI_1\" MASTER 150", "INSTANCE \"VI_1\" MASTER_PRIORITY 90",
                            "INSTANCE \"VI_1\" BACKUP 90", "INSTANCE \"VI_1\" BACKUP_PRIORITY 150",
                            "INSTANCE \"VI_1\" MASTER_PRIORITY 80", "INSTANCE \"VI_1\" MASTER_RX_LOWER_PRI 150"));

            // a reload that deletes the instance: priority 0 to keepalived, FAULT to the notifies, no STOP
            await("r1 master again").atMost(MOVE).until(() -> States.last(r1).equals("MASTER"));
            m2 = r2.mark();
            r1.rewriteConfig(r1Config.substring(0, r1Config.indexOf("vrrp_instance VI_1 {")));
            r1.hangup();
            r2.awaitLog("(VI_1) Entering MASTER STATE", m2, MOVE);
            await("FAULT for the deleted instance").atMost(SHORT).pollInterval(Duration.ofMillis(200))
                    .until(() -> Files.readAllLines(fifoRecord).contains("INSTANCE \"VI_1\" FAULT 150"));
            assertThat(Files.readAllLines(fifoRecord)).as("keepalived sends no STOP for an instance deleted at reload")
                    .doesNotContain("INSTANCE \"VI_1\" STOP 150");

            // as keepalived does: the FIFO Vigil made goes when Vigil stops
            r1.close();
            assertThat(Files.exists(d.resolve("fifo"), java.nio.file.LinkOption.NOFOLLOW_LINKS))
                    .as("the FIFO Vigil made, after Vigil stopped").isFalse();
        } finally {
            running.destroyForcibly().waitFor();
        }
    }

    /**
     * keepalived's net_namespace: bin/vigil started on the host restarts itself inside r1's
     * namespace and elects there against keepalived; its pid file carries the namespace's name.
     */
    @Test
    void netNamespaceRunsVigilInsideTheNamedNamespace() throws Exception {
        Daemon r2 = keepalived("r2", V2.config("r2", 100));
        Path d = dir("vigil-r1-netns");
        // track_bfd is refused (no BFD in Vigil) with its file:line, and the instance runs without it
        String config = "net_namespace " + lab.ns("r1") + "\ninstance lab\n" + V2.config("r1", 150)
                .replace("vrrp_instance VI_1 {\n", "vrrp_instance VI_1 {\n    track_bfd {\n        peer\n    }\n");
        Path conf = Daemon.writeConfig(d, config);
        Daemon r1 = track(new Daemon("vigil@r1", "r1", d, List.of(LabEnv.dist().resolve("bin/vigil").toString(), "-n",
                "-l", "-D", "-f", conf.toString())) {
        });
        VigilPairLabIT.awaitStates(r1, "MASTER", r2, "BACKUP");
        r1.awaitLog("Entering network namespace " + lab.ns("r1") + " (ip netns exec)", SHORT);
        r1.awaitLog(conf + ":7: (VI_1) track_bfd is not supported: Vigil has no BFD (RFC 5880) - ignoring", SHORT);
        await("VIP on r1").atMost(SHORT).until(() -> lab.hasAddress("r1", Lab.VIP4));
        Path pid = Path.of("/run/vigil/vigil_lab_" + lab.ns("r1") + ".pid");
        assertThat(pid).as("keepalived's pid file naming").exists();
        // SIGTERM to the first process reaches the daemon in the namespace: a graceful stop
        int m2 = r2.mark();
        r1.term();
        r2.awaitLog("(VI_1) Backup received priority 0 advertisement", m2, SHORT);
        r2.awaitLog("(VI_1) Entering MASTER STATE", m2, SHORT);
        await("pid file removed").atMost(SHORT).until(() -> !Files.exists(pid));
    }
}
