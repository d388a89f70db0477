package org.vigil.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Issue 12 item 6: the appliance's footprint beside keepalived 2.2.7, in one run. One VRRPv3 IPv4 instance at
 * advert_int 0.01 started as BACKUP (priority 100) on r2 with no peer: RSS, start to its first advert on the wire
 * (process start to the first advert tcpdump sees on the switch), CPU as master (15 s), then with keepalived as a
 * priority-150 master on r1, CPU as backup (15 s). Then what larger configurations cost in RSS (the master alone):
 * 510 instances at advert_int 1 (ScaleBenchmark's set) and the checker with 1,000 real servers under TCP_CHECK at
 * delay_loop 1 (scripts/listeners.py on r2). Writes results/footprint.txt.
 * Run: {@code mvn -B -ntp verify -pl distribution/lab -Dvigil.bench=true -Dit.test=FootprintBenchmark}; a
 * variant of the distribution with {@code -Dvigil.bench.dist=DIR}; only some parts with
 * {@code -Dvigil.bench.footprint.parts=single} (single, scale, checker) and {@code -Dvigil.bench.footprint.impls=vigil}.
 */
class FootprintBenchmark extends LabTest {
    static final Duration CPU_WINDOW = Duration.ofSeconds(Long.getLong("vigil.bench.footprint.window", 15));
    static final List<String> PARTS = List.of(System.getProperty("vigil.bench.footprint.parts", "single,scale,checker")
            .split(","));
    static final List<String> IMPLS = List.of(System.getProperty("vigil.bench.footprint.impls", "keepalived,vigil")
            .split(","));
    static final int REAL_SERVERS = 1000;
    static final int RS_BASE = 20_000;
    static final String RS = "192.0.2.12";

    private final Map<String, Map<String, String>> columns = new LinkedHashMap<>();

    @Test
    void footprint() {
        Assumptions.assumeTrue(Bench.enabled(), "the benchmark runs with -Dvigil.bench=true");
        String label = Bench.label();
        for (String impl : IMPLS) {
            Map<String, String> cells = new LinkedHashMap<>();
            columns.put(impl, cells);
            for (String part : PARTS) {
                try {
                    switch (part.strip()) {
                        case "single" -> single(impl, cells);
                        case "scale" -> scale(impl, cells);
                        case "checker" -> checker(impl, cells);
                        default -> throw new IllegalArgumentException("unknown part " + part);
                    }
                } catch (RuntimeException | AssertionError e) {
                    cells.put(part + " error", e.toString().lines().findFirst().orElse("?"));
                } finally {
                    stopEverything();
                }
                // a run of some parts only keeps the full run's file
                Bench.write(PARTS.size() == 3 ? "footprint" : "footprint-" + String.join("-", PARTS), table(label));
            }
        }
        assertThat(columns.values()).allSatisfy(c -> assertThat(c.keySet()).noneMatch(k -> k.endsWith("error")));
    }

    private Daemon start(String impl, String host, String conf) {
        return impl.equals("vigil") ? vigil(host, conf) : keepalived(host, conf);
    }

    private void single(String impl, Map<String, String> cells) {
        Vrrp v = Vrrp.v3("0.01");
        Capture cap = capture();
        Daemon d = start(impl, "r2", v.config(impl + "-r2", 100));
        d.awaitLog("(VI_1) Entering MASTER STATE", START);
        awaitAdverts(cap, v, "r2", 1);
        List<String[]> first = cap.fields("vrrp && ip.src == " + Lab.ipv4("r2"), "frame.time_epoch");
        cap.close();
        double firstMs = Double.parseDouble(first.get(0)[0]) * 1000 - d.startedMillis;
        cells.put("start -> first advert (BACKUP start, 0.01 s)", fmt("%.2f s", firstMs / 1000));
        cells.put("  of which Master_Down_Interval", fmt("%.2f s", v.masterDownSeconds(100)));
        Bench.hold(5);
        cells.put("RSS, one instance (master)", fmt("%.1f MB", d.rssKb() / 1024.0));
        cells.put("threads, one instance (master)", Long.toString(d.threads()));
        cells.put("CPU as master, 0.01 s", fmt("%.2f %%", Bench.cpuPercent(d, CPU_WINDOW)));
        int mark = d.mark();
        Daemon master = keepalived("r1", v.config("ka-r1", 150));
        master.awaitLog("(VI_1) Entering MASTER STATE", START);
        d.awaitLog("(VI_1) Entering BACKUP STATE", mark, START);
        Bench.hold(2);
        cells.put("CPU as backup, 0.01 s", fmt("%.2f %%", Bench.cpuPercent(d, CPU_WINDOW)));
        cells.put("RSS, one instance (backup)", fmt("%.1f MB", d.rssKb() / 1024.0));
    }

    private void scale(String impl, Map<String, String> cells) {
        List<ScaleBenchmark.Inst> insts = ScaleBenchmark.instances(510);
        Daemon d = start(impl, "r1", ScaleBenchmark.config(impl + "-r1", 150, insts));
        try {
            await("510 instances MASTER").atMost(Duration.ofSeconds(150)).pollInterval(Duration.ofMillis(500))
                    .until(() -> Bench.count(d, "Entering MASTER STATE", 0) >= insts.size());
            Bench.hold(10);
            cells.put("RSS, 510 instances at 1 s (master)", fmt("%.1f MB", d.rssKb() / 1024.0));
        } finally {
            d.close();
            for (ScaleBenchmark.Inst i : insts) {
                Sh.quiet("ip", "-n", lab.ns("r1"), "addr", "del", i.vip() + (i.family() == 4 ? "/32" : "/128"), "dev",
                        i.ifname());
            }
        }
    }

    private void checker(String impl, Map<String, String> cells) {
        StringBuilder c = new StringBuilder("global_defs {\n    router_id bench\n}\nvirtual_server 192.0.2.249 80 {\n"
                + "    delay_loop 1\n    lb_algo rr\n    lb_kind NAT\n    protocol TCP\n");
        for (int i = 0; i < REAL_SERVERS; i++) {
            c.append("    real_server ").append(RS).append(' ').append(RS_BASE + i).append(" {\n        weight 1\n"
                    + "        TCP_CHECK {\n            connect_timeout 1\n            retry 0\n        }\n    }\n");
        }
        c.append("}\n");
        Path dir = dir("listeners");
        // listeners.py reads commands from stdin, which must be a pipe (a selector cannot watch /dev/null)
        String script = Path.of("scripts", "listeners.py").toAbsolutePath().toString();
        try (Bench.Helper servers = track(new Bench.Helper(dir.resolve("out"), List.of("ip", "netns", "exec",
                lab.ns("r2"), "sh", "-c", "sleep 3600 | exec python3 -u " + script + " " + RS + " " + RS_BASE + " "
                        + REAL_SERVERS)))) {
            await("listeners up").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                    .until(() -> servers.output().contains("ready "));
            Daemon d = start(impl, "r1", c.toString());
            // the checks run: after 20 s every server was checked many times; the RSS is then a steady one
            Bench.hold(20);
            if (!d.alive() && impl.equals("keepalived") && d.logText().toLowerCase(Locale.ROOT).contains("ipvs")) {
                // keepalived's checker needs IPVS in the kernel and ends without it: a fact of this host, not an
                // error; an exit for any other reason still fails the part below
                cells.put("RSS, checker with 1,000 real servers", "exits (IPVS)");
                return;
            }
            assertThat(d.alive()).as(impl + " running with 1,000 real servers").isTrue();
            cells.put("RSS, checker with 1,000 real servers", fmt("%.1f MB", d.rssKb() / 1024.0));
            d.close();
        }
    }

    private String table(String label) {
        StringBuilder b = new StringBuilder();
        b.append("Footprint benchmark (issue 12): VRRPv3 IPv4, RSS of the process tree, CPU in % of one core over ")
                .append(CPU_WINDOW.toSeconds()).append(" s\n").append(label).append('\n');
        b.append("dist ").append(LabEnv.dist()).append("\n\n");
        List<String> rows = new ArrayList<>();
        columns.values().forEach(m -> m.keySet().forEach(k -> {
            if (!rows.contains(k)) {
                rows.add(k);
            }
        }));
        b.append(String.format(Locale.ROOT, "%-48s", ""));
        columns.keySet().forEach(k -> b.append(String.format(Locale.ROOT, " %14s", k)));
        b.append('\n');
        for (String r : rows) {
            b.append(String.format(Locale.ROOT, "%-48s", r));
            columns.values().forEach(m -> {
                String cell = m.getOrDefault(r, "-");
                b.append(r.endsWith("error") ? " " + cell : String.format(Locale.ROOT, " %14s", cell));
            });
            b.append('\n');
        }
        return b.toString();
    }

    private static String fmt(String f, Object... args) {
        return String.format(Locale.ROOT, f, args);
    }
}
