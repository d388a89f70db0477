package org.vigil.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.BeforeClass;
import org.junit.Test;

/** The built appliance layout, driven as an operator would: bin/vigil -t, -v, demo, ctl. */
public class DistributionIT {
    private static Path home;
    private static Path work;

    @BeforeClass
    public static void locate() throws IOException {
        home = Path.of(System.getProperty("vigil.dist")).toAbsolutePath();
        assertTrue("distribution layout at " + home, Files.isExecutable(home.resolve("bin/vigil")));
        work = Files.createDirectories(Path.of("target", "dist-it"));
    }

    record Result(int exit, String output) {
    }

    private static Result vigil(long timeoutSeconds, String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(home.resolve("bin/vigil").toString());
        cmd.addAll(List.of(args));
        Path log = work.resolve("vigil-" + String.join("_", args).replaceAll("[^A-Za-z0-9_.-]", "") + ".out");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("bin/vigil " + String.join(" ", args) + " still running after " + timeoutSeconds
                    + " s; output so far:\n" + Files.readString(log));
        }
        return new Result(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    }

    /** The daemon alone on its simulated LAN is MASTER after 3 x 1 s + skew; vrrp:list through ctl says so. */
    private static Result awaitMaster(Path pid, String daemonOutput) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        Result list = null;
        while (System.nanoTime() < deadline && (list == null || !list.output().contains("VI_1  MASTER"))) {
            list = vigil(30, "ctl", "-p", pid.toString(), "vrrp:list");
            Thread.sleep(200);
        }
        assertTrue(list + "\n" + Files.readString(work.resolve(daemonOutput)),
                list.exit() == 0 && list.output().contains("VI_1  MASTER"));
        return list;
    }

    private static Path write(String name, String... lines) throws IOException {
        Path f = work.resolve(name);
        Files.writeString(f, String.join("\n", lines) + "\n");
        return f;
    }

    /** The two-router configuration (router 1; router 2 differs in state and priority). */
    static String[] twoRouterConfig(String iface, String state, int priority) {
        return new String[] {
            "! Vigil: router of a two-router pair",
            "global_defs {",
            "    notification_email {",
            "        ops@example.org       # who hears about transitions",
            "        \"Night Shift <night@example.org>\"",
            "    }",
            "    notification_email_from vigil@example.org   ! keepalived also accepts ! comments",
            "    smtp_server 127.0.0.1",
            "    smtp_connect_timeout 30",
            "    router_id r_" + priority,
            "}",
            "",
            "vrrp_instance VI_1 {      # the service address",
            "    state " + state + "             # initial state",
            "    interface " + iface,
            "    virtual_router_id 51",
            "    priority " + priority + "            # higher wins",
            "    advert_int 1",
            "    authentication {",
            "        auth_type PASS",
            "        auth_pass lab51pw",
            "    }",
            "    virtual_ipaddress {",
            "        192.0.2.249/24 dev " + iface + "   # the VIP",
            "    }",
            "}",
        };
    }

    @Test
    public void configTestAcceptsBothRoutersOfAPair() throws Exception {
        // -t checks that the interface exists, as keepalived does: lo exists on every host.
        Path r1 = write("r1.conf", twoRouterConfig("lo", "MASTER", 150));
        Path r2 = write("r2.conf", twoRouterConfig("lo", "BACKUP", 100));
        Result one = vigil(60, "-t", "-f", r1.toString());
        assertEquals(one.output(), 0, one.exit());
        Result two = vigil(60, "--config-test", "--use-file", r2.toString());
        assertEquals(two.output(), 0, two.exit());
    }

    @Test
    public void configTestNamesFileAndLineOfAnError() throws Exception {
        String[] lines = twoRouterConfig("lo", "BACKUP", 100);
        lines[15] = "    virtual_router_id 256";
        Path bad = write("bad.conf", lines);
        Result r = vigil(60, "-t", "-f", bad.toString());
        assertNotEquals(r.output(), 0, r.exit());
        assertTrue(r.output(), r.output().contains("bad.conf:16:"));
    }

    @Test
    public void configTestReportsAMissingInterface() throws Exception {
        Path bad = write("noif.conf", twoRouterConfig("vigil-none0", "BACKUP", 100));
        Result r = vigil(60, "-t", "-f", bad.toString());
        assertNotEquals(r.output(), 0, r.exit());
        assertTrue(r.output(), r.output().contains("noif.conf:15:"));
        assertTrue(r.output(), r.output().contains("vigil-none0"));
    }

    @Test
    public void versionAndHelp() throws Exception {
        Result v = vigil(30, "-v");
        assertEquals(v.output(), 0, v.exit());
        assertTrue(v.output(), v.output().startsWith("Vigil v"));
        Result h = vigil(30, "--help");
        assertEquals(0, h.exit());
        for (String opt : new String[] { "--use-file", "--config-test", "--dont-fork", "--log-console", "--log-detail", "--pid" }) {
            assertTrue(opt, h.output().contains(opt));
        }
    }

    @Test
    public void ctlRunsConsoleCommandsInTheRunningDaemon() throws Exception {
        Path dir = Files.createDirectories(work.resolve("ctl")).toAbsolutePath();
        Path pid = dir.resolve("vigil.pid");
        Path socket = dir.resolve("vigil.ctl");
        Path conf = write("ctl.conf", twoRouterConfig("lan0", "MASTER", 150));
        int lanPort = 44_000 + 16 * (int) (Math.random() * 100);
        Process daemon = new ProcessBuilder(home.resolve("bin/vigil").toString(), "-n", "-l", "-f", conf.toString(),
                "-p", pid.toString(), "--sim-lan", Integer.toString(lanPort), "--sim-node", "r1",
                "--sim-interface", "lan0 192.0.2.11/24").redirectErrorStream(true)
                .redirectOutput(work.resolve("ctl-daemon.out").toFile()).start();
        try {
            Result list = awaitMaster(pid, "ctl-daemon.out");
            assertTrue(list.output(), list.output().startsWith("NAME"));
            assertEquals("rw-------",
                    java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(socket)));

            Result drivers = vigil(30, "ctl", "-p", pid.toString(), "vrrp:driver");
            assertEquals(drivers.output(), 0, drivers.exit());
            assertTrue(drivers.output(), drivers.output().contains("*  sim"));

            Result failing = vigil(30, "ctl", "-p", pid.toString(), "vrrp:show", "VI_9");
            assertEquals(failing.output(), 1, failing.exit());
            assertTrue(failing.output(), failing.output().contains("No VRRP instance named 'VI_9'"));

            Result missing = vigil(30, "ctl", "-p", dir.resolve("other.pid").toString(), "vrrp:list");
            assertEquals(missing.output(), 3, missing.exit());
            assertTrue(missing.output(), missing.output().startsWith("vigil ctl: no Vigil daemon: ")
                    && missing.output().contains("other.ctl"));
        } finally {
            daemon.destroy(); // SIGTERM: the daemon stops as keepalived does and removes its files
            assertTrue("daemon stopped", daemon.waitFor(30, TimeUnit.SECONDS));
        }
        assertTrue("socket removed on exit", Files.notExists(socket));
        assertTrue("pid file removed on exit", Files.notExists(pid));
    }

    /**
     * An operator profiles the running daemon with a flight recording. HotSpot suspends a thread
     * for each of JFR's execution samples with SIGUSR2 unless told otherwise, and SIGUSR2 is
     * keepalived's stats signal, which Vigil handles: every sample would write
     * /tmp/keepalived.stats. bin/vigil moves HotSpot to another signal, so the recording has its
     * samples and the stats file is left alone (the appliance's runtime carries jdk.jfr).
     */
    @Test
    public void aFlightRecordingTakesSamplesWithoutWritingTheStatsFile() throws Exception {
        Path dir = Files.createDirectories(work.resolve("jfr")).toAbsolutePath();
        Path pid = dir.resolve("vigil.pid");
        Path recording = dir.resolve("vigil.jfr");
        Files.deleteIfExists(recording);
        Path conf = write("jfr.conf", twoRouterConfig("lan0", "MASTER", 150));
        Path stats = Path.of("/tmp/keepalived.stats");
        java.nio.file.attribute.FileTime statsBefore = Files.exists(stats) ? Files.getLastModifiedTime(stats) : null;
        int lanPort = 44_000 + 16 * (int) (Math.random() * 100);
        ProcessBuilder pb = new ProcessBuilder(home.resolve("bin/vigil").toString(), "-n", "-l", "-f", conf.toString(),
                "-p", pid.toString(), "--sim-lan", Integer.toString(lanPort), "--sim-node", "r1",
                "--sim-interface", "lan0 192.0.2.11/24").redirectErrorStream(true)
                .redirectOutput(work.resolve("jfr-daemon.out").toFile());
        pb.environment().remove("_JAVA_SR_SIGNUM");
        // bin/vigil's default options plus a recording from the start, written when the daemon stops
        pb.environment().remove("VIGIL_JAVA_OPTS");
        pb.environment().put("VIGIL_EXTRA_JAVA_OPTS",
                "-XX:StartFlightRecording=settings=profile,dumponexit=true,filename=" + recording);
        Process daemon = pb.start();
        try {
            awaitMaster(pid, "jfr-daemon.out");
        } finally {
            daemon.destroy();
            assertTrue("daemon stopped", daemon.waitFor(30, TimeUnit.SECONDS));
        }
        long samples = jdk.jfr.consumer.RecordingFile.readAllEvents(recording).stream()
                .filter(e -> e.getEventType().getName().equals("jdk.ExecutionSample")).count();
        assertTrue("execution samples in the recording: " + samples, samples > 0);
        java.nio.file.attribute.FileTime statsAfter = Files.exists(stats) ? Files.getLastModifiedTime(stats) : null;
        assertEquals("/tmp/keepalived.stats written during the recording", statsBefore, statsAfter);
    }

    @Test
    public void demoShowsElectionFailoverAndPreemptionAndExitsZero() throws Exception {
        long start = System.nanoTime();
        // A generous per-step deadline: on a loaded build machine three JVMs boot slowly; the
        // demo's own duration (printed) is what the 30 s promise is about.
        Result r = vigil(150, "demo", "--step-timeout", "45");
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("bin/vigil demo took %.1f s%n", seconds);
        assertEquals(r.output(), 0, r.exit());
        String out = r.output();
        assertTrue(out, out.contains("Demo complete"));
        assertTrue(out, out.contains("r1 | ") && out.contains("(VI_1) Entering MASTER STATE"));
        assertTrue(out, out.contains("priority-0 advert from 192.0.2.11 seen: true"));
        assertTrue(out, out.contains("with higher priority 150, ours 50"));
    }
}
