package org.vigil.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Issue 9 "must show": the detection latency of each checker type at keepalived's defaults for that type
 * (delay_loop 60, connect_timeout 5, warmup = delay_loop; retry 1, DNS_CHECK 3, MISC_CHECK 0; delay_before_retry
 * 1 s, HTTP_GET/SSL_GET 3 s (retried after max(3, delay_loop)), DNS_CHECK its delay_loop; misc_timeout the
 * delay_loop). One Vigil on r1; {@value #REPS} real servers of each type on r2 (the servers of CheckerLabIT:
 * scripts/realserver.py, dnsmasq, addresses, state files), one virtual server per type. Once every server has been
 * checked (the first check comes 1 s + random(0..warmup) after start), each one is killed at its own random moment
 * within one delay_loop, so the kill falls at a random phase of its check cycle; its latency runs from the kill to
 * its "Removing service" line (the log is polled every 20 ms). Run:
 * {@code -Dvigil.bench=true -Dit.test=CheckerDetectionBenchmark [-Dvigil.bench.detect.reps=10]}; about 7 minutes,
 * most of it DNS_CHECK's 3 retries a delay_loop apart.
 */
class CheckerDetectionBenchmark extends LabTest {
    static final int REPS = Integer.getInteger("vigil.bench.detect.reps", 10);
    static final double DELAY_LOOP = 60;

    /** keepalived's defaults per type as the expected window: [phase 0, phase = delay_loop] of kill -> down, in s. */
    static String expected(String type) {
        return switch (type) {
            case "HTTP_GET", "SSL_GET" -> "0-60 + 60 (retry 1 after max(3, 60))";
            case "DNS_CHECK" -> "0-60 + 180 (retry 3, 60 apart)";
            case "MISC_CHECK" -> "0-60 (retry 0)";
            case "PING_CHECK" -> "0-60 + 5 + 1 + 5 (no reply: 2 x connect_timeout)";
            default -> "0-60 + 1 (retry 1, 1 s apart)";
        };
    }

    @Test
    void detectionLatencyPerCheckTypeAtDefaults() throws Exception {
        Assumptions.assumeTrue(Bench.enabled(), "the benchmark runs with -Dvigil.bench=true");
        String label = Bench.label();
        RealServers.requireTools();
        Path base = dir("real-servers");
        Path[] tls = RealServers.selfSigned(base.resolve("tls"));
        String ns = lab.ns("r2");

        Map<String, List<RealServers.Case>> byType = new LinkedHashMap<>();
        StringBuilder conf = new StringBuilder("global_defs {\n    router_id lab-detect\n}\n");
        int t = 0;
        for (String type : RealServers.TYPES) {
            List<RealServers.Case> cases = new ArrayList<>();
            for (int k = 0; k < REPS; k++) {
                RealServers.Case c = RealServers.create(type, ns, base, 10_000 + t * 100 + k, "192.0.2." + (40 + k), "",
                        tls);
                track(c.server());
                cases.add(c);
            }
            byType.put(type, cases);
            String protocol = cases.get(0).protocol().toUpperCase(Locale.ROOT);
            // no delay_loop, timing keyword or warmup anywhere: keepalived's defaults for the type
            conf.append("virtual_server ").append(Lab.VIP4).append(' ').append(2000 + t).append(" {\n    lb_algo rr\n"
                    + "    lb_kind NAT\n    protocol ").append(protocol).append('\n');
            for (RealServers.Case c : cases) {
                conf.append("    real_server ").append(c.address()).append(' ').append(c.port()).append(" {\n")
                        .append(c.checkBlock()).append("    }\n");
            }
            conf.append("}\n");
            t++;
        }
        for (List<RealServers.Case> cases : byType.values()) {
            cases.forEach(c -> c.server().start());
        }
        Daemon.Vigil vigil = vigil("r1", conf.toString());
        vigil.awaitLog("applied - ", START);

        // every server checked once (its first check falls within 1 s + warmup = 61 s), all still up
        List<RealServers.Case> all = byType.values().stream().flatMap(List::stream).toList();
        await("every real server checked once").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(5))
                .until(() -> checkedOnce(vigil, byType.size()) >= all.size());
        assertThat(vigil.linesWith("Removing service", 0)).as("no server down before the kills").isEmpty();

        Tail tail = new Tail(vigil.log);
        Map<RealServers.Case, Long> killedAt = new ConcurrentHashMap<>();
        Random random = new Random();
        ScheduledExecutorService killer = Executors.newSingleThreadScheduledExecutor();
        try {
            for (RealServers.Case c : all) {
                long delay = (long) (random.nextDouble() * DELAY_LOOP * 1000);
                killer.schedule(() -> {
                    c.server().kill();
                    killedAt.put(c, System.currentTimeMillis());
                }, delay, TimeUnit.MILLISECONDS);
            }
            Map<RealServers.Case, Long> seenAt = new HashMap<>();
            // the slowest by the defaults: DNS_CHECK, a phase of up to 60 s and three retries 60 s apart
            long deadline = System.currentTimeMillis() + (long) ((DELAY_LOOP + 4 * DELAY_LOOP + 60) * 1000);
            while (System.currentTimeMillis() < deadline && seenAt.size() < all.size()) {
                for (String line : tail.poll()) {
                    for (RealServers.Case c : all) {
                        if (!seenAt.containsKey(c) && line.contains("Removing service " + c.text() + " from VS ")) {
                            seenAt.put(c, System.currentTimeMillis());
                        }
                    }
                }
                Thread.sleep(20);
            }

            StringBuilder b = new StringBuilder();
            b.append(String.format(Locale.ROOT, "Checker detection latency per type at keepalived's defaults (issue 9): %d "
                    + "real servers per type, each killed at a random moment of one delay_loop, latency = kill -> "
                    + "\"Removing service\" line (log polled every 20 ms)%n", REPS));
            b.append(label).append('\n');
            b.append("defaults: delay_loop 60, connect_timeout 5, warmup 60; retry 1 (DNS_CHECK 3, MISC_CHECK 0); "
                    + "delay_before_retry 1 s (HTTP_GET/SSL_GET 3 s, retried after max(3, delay_loop); DNS_CHECK "
                    + "delay_loop); misc_timeout = delay_loop. Kills: SIGKILL of the server process (TCP listener, "
                    + "python3 http.server-style HTTP and HTTPS, SMTP, dnsmasq, UDP echo; MISC_CHECK curls an HTTP "
                    + "server), the address deleted (PING_CHECK), 1 written into the file (FILE_CHECK, weight 0)\n\n");
            b.append(String.format(Locale.ROOT, "%-11s %9s %9s %9s %9s  %s%n", "type", "detected", "p50 s", "max s",
                    "min s", "keepalived's defaults give"));
            for (Map.Entry<String, List<RealServers.Case>> e : byType.entrySet()) {
                List<Double> lat = new ArrayList<>();
                for (RealServers.Case c : e.getValue()) {
                    Long k = killedAt.get(c);
                    Long s = seenAt.get(c);
                    if (k != null && s != null) {
                        lat.add((s - k) / 1000.0);
                    }
                }
                b.append(String.format(Locale.ROOT, "%-11s %9s %9.1f %9.1f %9.1f  %s%n", e.getKey(),
                        lat.size() + "/" + e.getValue().size(), Bench.median(lat), Bench.max(lat),
                        lat.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN), expected(e.getKey())));
            }
            Bench.write("checker-detection", b.toString());
        } finally {
            killer.shutdownNow();
        }
    }

    /** Real servers whose check has a last result, over every virtual server's check:show. */
    private static int checkedOnce(Daemon.Vigil vigil, int virtualServers) {
        int n = 0;
        for (int t = 0; t < virtualServers; t++) {
            Sh.Result r = Sh.run(List.of(LabEnv.dist().resolve("bin/vigil").toString(), "ctl", "-p",
                    vigil.dir.resolve("vigil.pid").toString(), "check:show", ":" + (2000 + t)));
            for (String line : r.out().lines().toList()) {
                if (line.startsWith("[") && !line.strip().endsWith(" -")) {
                    n++;
                }
            }
        }
        return n;
    }

    /** New complete lines of a growing file. */
    private static final class Tail {
        private final Path file;
        private long offset;
        private final StringBuilder partial = new StringBuilder();

        Tail(Path file) throws IOException {
            this.file = file;
            this.offset = java.nio.file.Files.size(file);
        }

        List<String> poll() throws IOException {
            List<String> lines = new ArrayList<>();
            try (FileChannel ch = FileChannel.open(file)) {
                long size = ch.size();
                if (size > offset) {
                    ByteBuffer buf = ByteBuffer.allocate((int) Math.min(size - offset, 1 << 20));
                    ch.read(buf, offset);
                    offset += buf.position();
                    partial.append(new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8));
                }
            }
            int nl;
            while ((nl = partial.indexOf("\n")) >= 0) {
                lines.add(partial.substring(0, nl));
                partial.delete(0, nl + 1);
            }
            return lines;
        }
    }
}
