package org.vigil.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * The bundle cache kept between starts (issue 12, start-up budget), on a copy of the built
 * installation, as an operator sees it: the second start reloads the bundles from the cache; an
 * upgrade that removes or adds a jar in bundle/ is picked up at the next start (the driver bundle's
 * service gone, then back, in {@code vrrp:driver}); a corrupt cache gives one log line and a clean
 * start, never a failed one.
 */
public class BundleCacheIT {
    private static final String INSTALLED = "Bundles installed from bundle/ into the cache";
    private static final String REUSED = "Bundles from the kept cache";
    private static final String FELL_BACK = "installing bundle/ into a clean cache";

    private static Path home;
    private static Path work;
    private static Path conf;
    /** Each test's own state directory (VIGIL_STATE_DIR), so that their order does not matter. */
    private Path state;

    @BeforeClass
    public static void copyTheInstallation() throws IOException {
        Path built = Path.of(System.getProperty("vigil.dist")).toAbsolutePath();
        assertTrue("distribution layout at " + built, Files.isExecutable(built.resolve("bin/vigil")));
        work = Path.of("target", "bundle-cache-it").toAbsolutePath();
        deleteTree(work);
        home = work.resolve("vigil");
        // hard links: the copy costs nothing, and removing or adding a jar in its bundle/ leaves the build alone
        try (Stream<Path> s = Files.walk(built)) {
            for (Path p : s.toList()) {
                Path target = home.resolve(built.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    if (!built.relativize(p).startsWith("var")) {
                        Files.createDirectories(target);
                    }
                } else if (!built.relativize(p).startsWith("var") && !built.relativize(p).startsWith("log")) {
                    Files.createLink(target, p);
                }
            }
        }
        conf = work.resolve("keepalived.conf");
        Files.writeString(conf, String.join("\n", DistributionIT.twoRouterConfig("lan0", "MASTER", 150)) + "\n");
    }

    @AfterClass
    public static void removeTheCopy() {
        deleteTree(home);
    }

    record Run(String log, String drivers) {
    }

    /** One daemon start on the simulated LAN until MASTER, its driver list, SIGTERM; its log. */
    private Run start(String name) throws Exception {
        Path pid = work.resolve(name + ".pid");
        Path out = work.resolve(name + ".out");
        int lanPort = 45_000 + 16 * (int) (Math.random() * 100);
        ProcessBuilder pb = new ProcessBuilder(home.resolve("bin/vigil").toString(), "-n", "-l", "-f", conf.toString(),
                "-p", pid.toString(), "--sim-lan", Integer.toString(lanPort), "--sim-node", "r1",
                "--sim-interface", "lan0 192.0.2.11/24").redirectErrorStream(true).redirectOutput(out.toFile());
        pb.environment().put("VIGIL_STATE_DIR", state.toString());
        Process daemon = pb.start();
        String drivers;
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            String list = "";
            while (System.nanoTime() < deadline && !list.contains("VI_1  MASTER")) {
                list = ctl(pid, "vrrp:list");
                Thread.sleep(200);
            }
            assertTrue(name + ": MASTER\n" + list + "\n" + Files.readString(out), list.contains("VI_1  MASTER"));
            drivers = ctl(pid, "vrrp:driver");
        } finally {
            daemon.destroy();
            assertTrue(name + ": daemon stopped", daemon.waitFor(30, TimeUnit.SECONDS));
        }
        return new Run(Files.readString(out, StandardCharsets.UTF_8), drivers);
    }

    private static String ctl(Path pid, String command) throws Exception {
        Path out = work.resolve("ctl.out");
        Process p = new ProcessBuilder(home.resolve("bin/vigil").toString(), "ctl", "-p", pid.toString(), command)
                .redirectErrorStream(true).redirectOutput(out.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        assertTrue("vigil ctl " + command + " returned", p.waitFor(30, TimeUnit.SECONDS));
        return Files.readString(out, StandardCharsets.UTF_8);
    }

    private static long count(String log, String line) {
        return log.lines().filter(l -> l.contains(line)).count();
    }

    private static Path pcapDriver(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().startsWith("org.vigil.driver.pcap-")).findFirst()
                    .orElseThrow(() -> new AssertionError("no driver-pcap jar in " + dir));
        }
    }

    @Test
    public void aSecondStartReusesTheCacheAndAChangedBundleFolderIsPickedUp() throws Exception {
        state = work.resolve("state-upgrade");
        Run first = start("first");
        assertEquals(first.log(), 1, count(first.log(), INSTALLED));
        assertTrue(first.drivers(), first.drivers().contains("pcap"));
        assertTrue("stamp written", Files.isRegularFile(state.resolve("bundle-cache.stamp")));

        Run second = start("second");
        assertEquals(second.log(), 1, count(second.log(), REUSED));
        assertEquals(second.log(), 0, count(second.log(), INSTALLED));
        assertTrue(second.drivers(), second.drivers().contains("pcap"));

        // an upgrade without the libpcap driver: the next start no longer has its service
        Path jar = pcapDriver(home.resolve("bundle"));
        Path aside = Files.move(jar, work.resolve(jar.getFileName()));
        Run removed = start("removed");
        assertEquals(removed.log(), 1, count(removed.log(), INSTALLED));
        assertFalse(removed.drivers(), removed.drivers().contains("pcap"));

        // and with it again: the service is back
        Files.copy(aside, jar);
        Run added = start("added");
        assertEquals(added.log(), 1, count(added.log(), INSTALLED));
        assertTrue(added.drivers(), added.drivers().contains("pcap"));

        Run again = start("again");
        assertEquals(again.log(), 1, count(again.log(), REUSED));
        assertTrue(again.drivers(), again.drivers().contains("pcap"));
    }

    @Test
    public void aCorruptCacheFallsBackToACleanStartWithOneLine() throws Exception {
        state = work.resolve("state-corrupt");
        start("fill");
        List<Path> cached = new ArrayList<>();
        try (Stream<Path> s = Files.walk(state.resolve("bundle-cache"))) {
            s.filter(p -> p.getFileName().toString().equals("bundle.jar")).forEach(cached::add);
        }
        assertFalse("cached bundles", cached.isEmpty());
        for (Path p : cached) {
            Files.writeString(p, "not a jar");
        }
        Run corrupt = start("corrupt");
        assertEquals(corrupt.log(), 1, count(corrupt.log(), FELL_BACK));
        assertEquals(corrupt.log(), 1, count(corrupt.log(), INSTALLED));
        assertEquals("no stack trace per bundle from Felix: " + corrupt.log(), 0, count(corrupt.log(), "ERROR:"));
        assertTrue(corrupt.drivers(), corrupt.drivers().contains("pcap"));

        // a stamp that matches no installation: a clean start too, then warm ones again
        Files.writeString(state.resolve("bundle-cache.stamp"), "garbage");
        Run stale = start("stale");
        assertEquals(stale.log(), 1, count(stale.log(), INSTALLED));
        Run warm = start("warm");
        assertEquals(warm.log(), 1, count(warm.log(), REUSED));
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
