package org.vigil.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.TestInstance;

/**
 * Base of the lab test classes: one lab segment per class (routers r1, r2 and client c1), daemons and
 * captures per test, each test's files under target/lab/CLASS/TEST/. Everything started is stopped after
 * each test, also on failure; the namespaces go after the class.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class LabTest {
    /** JVM and Felix start plus the config: a generous bound for the slow 2-core CI host. */
    static final Duration START = Duration.ofSeconds(40);
    static final Duration SHORT = Duration.ofSeconds(10);

    protected Lab lab;
    private final List<AutoCloseable> running = new ArrayList<>();
    private Path testDir;
    private int seq;

    protected int routers() {
        return 2;
    }

    @BeforeAll
    void createLab() {
        LabEnv.require();
        lab = Lab.create(routers());
    }

    @AfterAll
    void destroyLab() {
        if (lab != null) {
            lab.close();
        }
    }

    @BeforeEach
    void testFolder(TestInfo info) {
        seq = 0;
        String method = info.getTestMethod().map(m -> m.getName()).orElse("test");
        String name = info.getDisplayName().startsWith(method + "(") ? method
                : method + "-" + info.getDisplayName().replaceAll("[^A-Za-z0-9.]+", "_");
        testDir = Path.of("target", "lab", getClass().getSimpleName(), name).toAbsolutePath();
        try {
            Files.createDirectories(testDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @AfterEach
    void stopEverything() {
        List<AutoCloseable> reversed = new ArrayList<>(running);
        java.util.Collections.reverse(reversed);
        for (AutoCloseable c : reversed) {
            try {
                c.close();
            } catch (Exception | AssertionError e) {
                // teardown goes on for the rest
            }
        }
        running.clear();
        if (lab != null) {
            lab.restoreLinks();
            lab.flushVips();
        }
    }

    /** A fresh folder for one daemon or capture of this test. */
    protected Path dir(String what) {
        Path d = testDir.resolve(String.format("%02d-%s", ++seq, what));
        try {
            return Files.createDirectories(d);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** python3's http.server on r2's lan0 address, port 8080: a real server the test stops with close(). */
    protected Bench.Helper webServerOnR2() {
        return track(new Bench.Helper(dir("web").resolve("out"), List.of("ip", "netns", "exec", lab.ns("r2"), "python3",
                "-m", "http.server", "--bind", "192.0.2.12", "8080")));
    }

    /** A virtual server VIP:8080 whose one real server is {@link #webServerOnR2()}, TCP_CHECK every second. */
    static String virtualServerOnR2(String vip) {
        return "virtual_server " + vip + " 8080 {\n    delay_loop 1\n    lb_algo rr\n    lb_kind NAT\n    protocol TCP\n"
                + "    real_server 192.0.2.12 8080 {\n        TCP_CHECK {\n            connect_timeout 1\n"
                + "            retry 0\n        }\n    }\n}\n";
    }

    /** A copy of the distribution with one more file (a deploy/ configuration, say); the shared one stays as shipped. */
    protected Path distWith(String file, String content) {
        Path copy = dir("dist").resolve("vigil");
        // an earlier run's copy would otherwise receive this one inside it (cp -a into a folder)
        Sh.ok("rm", "-rf", copy.toString());
        Sh.ok("cp", "-a", LabEnv.dist().toString(), copy.toString());
        try {
            Files.writeString(copy.resolve(file), content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return copy;
    }

    protected Daemon.Vigil vigil(String host, String config) {
        return track(new Daemon.Vigil(lab, host, dir("vigil-" + host), config));
    }

    protected Daemon.Keepalived keepalived(String host, String config) {
        return track(new Daemon.Keepalived(lab, host, dir("keepalived-" + host), config));
    }

    protected Capture capture() {
        return track(new Capture(lab, dir("capture")));
    }

    /** Waits for n more adverts from the router than the capture holds now. */
    protected void awaitAdverts(Capture cap, Vrrp v, String router, int n) {
        String filter = "vrrp && eth.src == " + lab.mac(router);
        int before = cap.fields(filter, "frame.number").size();
        await(n + " more adverts from " + router).atMost(Duration.ofMillis((long) (n * v.advertSeconds() * 1000) + 10_000))
                .pollInterval(Duration.ofMillis(Math.max(100, (long) (v.advertSeconds() * 1000))))
                .until(() -> cap.fields(filter, "frame.number").size() >= before + n);
    }

    /** The display filter of a gratuitous ARP for the IPv4 VIP from the router's lan0. */
    protected String gratuitousArp(String router) {
        return "arp && eth.src == " + lab.mac(router) + " && arp.src.proto_ipv4 == " + Lab.VIP4
                + " && arp.dst.proto_ipv4 == " + Lab.VIP4;
    }

    /** CAP_NET_RAW (13) and CAP_NET_ADMIN (12): all an unprivileged Vigil needs (issue 12). */
    static final long NET_CAPS = (1L << 13) | (1L << 12);

    /** A /proc/PID/status of a process of that uid with exactly CAP_NET_RAW and CAP_NET_ADMIN, effective and bounded. */
    static void assertNetCapsOnly(String status, String uid) {
        assertThat(Daemon.statusField(status, "Uid:").split("\\s+")[0]).as("uid")
                .isEqualTo(uid);
        assertThat(Long.parseLong(Daemon.statusField(status, "CapEff:"), 16))
                .as("effective capabilities").isEqualTo(NET_CAPS);
        assertThat(Long.parseLong(Daemon.statusField(status, "CapBnd:"), 16))
                .as("bounding set").isEqualTo(NET_CAPS);
    }

    protected <T extends AutoCloseable> T track(T t) {
        running.add(t);
        return t;
    }
}
