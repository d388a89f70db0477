package org.vigil.lab;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Issue 9 item 8: N real servers (default 10,000) under TCP_CHECK at delay_loop 1, connect_timeout 1,
 * down at the first failure (retry 0), checked by Vigil; then the same servers checked by Debian's
 * HAProxy 2.6 ({@code check inter 1s fall 1}), in one run. The real servers are one process on r2
 * (scripts/listeners.py: N listening sockets). Checks per second are the SYNs to those ports that an
 * nftables counter in r2 sees, so both daemons are measured the same way (HAProxy resets its check
 * connections before the server accepts them, so the server's own accept count would miss them). Detection latency: K listeners are closed at once, and
 * each one's latency runs from the close to the daemon's line for it (Vigil's "Removing service",
 * HAProxy's "Server be/sI is DOWN"), stamped when the line appears (polled every 20 ms).
 * Run: {@code -Dvigil.bench=true -Dit.test=CheckerBenchmark [-Dvigil.bench.checker.servers=10000]}.
 */
class CheckerBenchmark extends LabTest {
    static final int N = Integer.getInteger("vigil.bench.checker.servers", 10_000);
    static final double WINDOW = Double.parseDouble(System.getProperty("vigil.bench.checker.window", "30"));
    static final int KILL = Integer.getInteger("vigil.bench.checker.kill", 100);
    static final int BASE = 20_000;
    static final String RS = "192.0.2.12";

    record Row(String who, double startSeconds, double checksPerSecond, double cpuPercent, double rssMb,
            List<Double> latencies, int detected) {
    }

    @Test
    void checkTenThousandServers() throws Exception {
        Assumptions.assumeTrue(Bench.enabled(), "the benchmark runs with -Dvigil.bench=true");
        String label = Bench.label();
        Row vigil = run("vigil", this::vigilDaemon, port -> "Removing service [" + RS + "]:tcp:" + port + " ");
        Row haproxy = run("haproxy", this::haproxyDaemon, port -> "Server be/s" + (port - BASE) + " is DOWN");
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "Checker benchmark (issue 9 item 8): %d real servers, TCP_CHECK at delay_loop 1, "
                + "connect_timeout 1, retry 0 (down at the first failure) / HAProxy check inter 1s fall 1%n", N));
        b.append(label).append('\n');
        b.append(String.format(Locale.ROOT, "real servers: one process on r2 with %d listeners (scripts/listeners.py), "
                + "checks = SYNs to their ports counted by nftables in r2; window %.0f s; %d servers closed at once for detection; "
                + "NaN = not within 90 s%n%n",
                N, WINDOW, KILL));
        b.append(String.format(Locale.ROOT, "%-28s %14s %14s%n", "", "Vigil", "HAProxy 2.6"));
        b.append(row("start -> 90 % checked each s", "%.1f s", vigil.startSeconds(), haproxy.startSeconds()));
        b.append(row("checks per second", "%.0f", vigil.checksPerSecond(), haproxy.checksPerSecond()));
        b.append(row("CPU, % of one core", "%.1f", vigil.cpuPercent(), haproxy.cpuPercent()));
        b.append(row("RSS, MB", "%.0f", vigil.rssMb(), haproxy.rssMb()));
        b.append(String.format(Locale.ROOT, "%-28s %14s %14s%n", "closed servers detected", vigil.detected() + " / " + KILL,
                haproxy.detected() + " / " + KILL));
        b.append(row("detection latency p50", "%.0f ms", Bench.percentile(vigil.latencies(), 50),
                Bench.percentile(haproxy.latencies(), 50)));
        b.append(row("detection latency p99", "%.0f ms", Bench.percentile(vigil.latencies(), 99),
                Bench.percentile(haproxy.latencies(), 99)));
        b.append(row("detection latency max", "%.0f ms", Bench.max(vigil.latencies()), Bench.max(haproxy.latencies())));
        Bench.write("checker", b.toString());
    }

    private static String row(String what, String format, double a, double b) {
        return String.format(Locale.ROOT, "%-28s %14s %14s%n", what, String.format(Locale.ROOT, format, a),
                String.format(Locale.ROOT, format, b));
    }

    /** A daemon under test: its process, its output file, and how to read its CPU and RSS. */
    interface Checked extends AutoCloseable {
        Path output();

        long cpuTicks();

        long rssKb();

        @Override
        void close();
    }

    private Row run(String who, java.util.function.Supplier<Checked> start, IntFunction<String> downLine)
            throws Exception {
        try (Listeners servers = new Listeners(dir("listeners-" + who))) {
            long t0 = System.currentTimeMillis();
            try (Checked d = start.get()) {
                // every server checked within a second: the rounds are running
                boolean reached = servers.awaitRate(N * 9 / 10, 90);
                double startSeconds = reached ? (System.currentTimeMillis() - t0) / 1000.0 : Double.NaN;
                Bench.hold(5);
                long ticks0 = d.cpuTicks();
                long syn0 = servers.syns();
                long w0 = System.nanoTime();
                Bench.hold(WINDOW);
                double window = (System.nanoTime() - w0) / 1e9;
                long ticks1 = d.cpuTicks();
                long accepted = servers.syns() - syn0;
                double rss = d.rssKb() / 1024.0;
                Tail tail = new Tail(d.output());
                List<Integer> victims = new ArrayList<>();
                for (int i = 0; i < KILL; i++) {
                    victims.add(i * (N / KILL));
                }
                long closedMicros = servers.close(victims);
                long deadline = System.currentTimeMillis() + 30_000;
                Map<Integer, Long> seen = new ConcurrentHashMap<>();
                while (System.currentTimeMillis() < deadline && seen.size() < victims.size()) {
                    tail.poll();
                    for (int v : victims) {
                        if (!seen.containsKey(v)) {
                            Long at = tail.firstStamp(downLine.apply(BASE + v));
                            if (at != null) {
                                seen.put(v, at);
                            }
                        }
                    }
                    Thread.sleep(20);
                }
                List<Double> latencies = new ArrayList<>();
                seen.values().forEach(at -> latencies.add((at - closedMicros) / 1000.0));
                return new Row(who, startSeconds, accepted / window,
                        100.0 * (ticks1 - ticks0) / Bench.ticksPerSecond() / window, rss, latencies, seen.size());
            }
        }
    }

    private Checked vigilDaemon() {
        StringBuilder c = new StringBuilder("global_defs {\n    router_id bench\n}\nvirtual_server 192.0.2.249 80 {\n"
                + "    delay_loop 1\n    lb_algo rr\n    lb_kind NAT\n    protocol TCP\n");
        for (int i = 0; i < N; i++) {
            c.append("    real_server ").append(RS).append(' ').append(BASE + i).append(" {\n        weight 1\n"
                    + "        TCP_CHECK {\n            connect_timeout 1\n            retry 0\n"
                    + "            delay_before_retry 1\n        }\n    }\n");
        }
        c.append("}\n");
        Daemon.Vigil v = vigil("r1", c.toString());
        return new Checked() {
            @Override
            public Path output() {
                return v.dir.resolve("log");
            }

            @Override
            public long cpuTicks() {
                return v.cpuTicks();
            }

            @Override
            public long rssKb() {
                return v.rssKb();
            }

            @Override
            public void close() {
                v.close();
            }
        };
    }

    private Checked haproxyDaemon() {
        Path d = dir("haproxy-r1");
        StringBuilder c = new StringBuilder("global\n    maxconn 2000\n    nbthread 2\n"
                + "defaults\n    mode tcp\n    timeout connect 1s\n    timeout client 5s\n    timeout server 5s\n"
                + "backend be\n    balance roundrobin\n    default-server check inter 1s fall 1 rise 1\n");
        for (int i = 0; i < N; i++) {
            c.append("    server s").append(i).append(' ').append(RS).append(':').append(BASE + i).append('\n');
        }
        c.append("frontend fe\n    bind 192.0.2.11:80\n    default_backend be\n");
        Path cfg = d.resolve("haproxy.cfg");
        try {
            Files.writeString(cfg, c);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Bench.Helper h = track(new Bench.Helper(d.resolve("log"), List.of("ip", "netns", "exec", lab.ns("r1"),
                "/usr/sbin/haproxy", "-db", "-f", cfg.toString())));
        return new Checked() {
            @Override
            public Path output() {
                return h.out;
            }

            @Override
            public long cpuTicks() {
                return procTicks(h.process.pid());
            }

            @Override
            public long rssKb() {
                return procRss(h.process.pid());
            }

            @Override
            public void close() {
                h.stop(5000);
            }
        };
    }

    private static long procTicks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    private static long procRss(long pid) {
        try {
            for (String l : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (l.startsWith("VmRSS:")) {
                    return Long.parseLong(l.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            // gone
        }
        return 0;
    }

    /** The real servers: listeners.py in r2, fed commands on its stdin, its reports read as they come. */
    private final class Listeners implements AutoCloseable {
        final Process process;
        final OutputStream commands;
        final List<Long> reports = new CopyOnWriteArrayList<>();
        final List<Long> closed = new CopyOnWriteArrayList<>();

        Listeners(Path dir) throws IOException {
            Path script = Path.of("scripts", "listeners.py").toAbsolutePath();
            process = new ProcessBuilder("ip", "netns", "exec", lab.ns("r2"), "python3", script.toString(), RS,
                    Integer.toString(BASE), Integer.toString(N)).redirectError(dir.resolve("stderr").toFile()).start();
            commands = process.getOutputStream();
            // the checks' SYNs, counted by the kernel of r2 (the table goes with the namespace)
            Sh.ok("ip", "netns", "exec", lab.ns("r2"), "nft", "add", "table", "inet", "vigilbench");
            Sh.ok("ip", "netns", "exec", lab.ns("r2"), "nft", "add", "chain", "inet", "vigilbench", "in",
                    "{ type filter hook input priority 0; policy accept; }");
            Sh.ok("ip", "netns", "exec", lab.ns("r2"), "nft", "add", "rule", "inet", "vigilbench", "in", "tcp", "flags",
                    "syn", "/", "syn,ack", "tcp", "dport", BASE + "-" + (BASE + N - 1), "counter");
            Thread reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = r.readLine()) != null) {
                        String[] f = line.split(" ");
                        if (f[0].equals("accepts")) {
                            reports.add(Long.parseLong(f[2]));
                        } else if (f[0].equals("closed")) {
                            closed.add(Long.parseLong(f[1]));
                        } else if (f[0].equals("ready")) {
                            reports.add(-1L);
                        }
                    }
                } catch (IOException e) {
                    // the process ended
                }
            }, "listeners-reader");
            reader.setDaemon(true);
            reader.start();
            long until = System.currentTimeMillis() + 120_000;
            while (!reports.contains(-1L)) {
                assertTrue(System.currentTimeMillis() < until && process.isAlive(), "listeners.py did not get ready");
                Bench.hold(0.2);
            }
            reports.clear();
        }

        /**
         * Whether a second saw at least {@code perSecond} checks (SYNs to the servers) within {@code seconds};
         * a daemon that never gets there is measured all the same, from then on.
         */
        boolean awaitRate(int perSecond, int seconds) {
            long until = System.currentTimeMillis() + seconds * 1000L;
            long last = syns();
            while (System.currentTimeMillis() < until) {
                Bench.hold(1);
                long now = syns();
                if (now - last >= perSecond) {
                    return true;
                }
                last = now;
            }
            return false;
        }

        /** SYNs to the servers' ports so far, from the nftables counter in r2. */
        long syns() {
            String out = Sh.ok("ip", "netns", "exec", lab.ns("r2"), "nft", "list", "chain", "inet", "vigilbench", "in");
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("counter packets (\\d+)").matcher(out);
            return m.find() ? Long.parseLong(m.group(1)) : 0;
        }

        /** Closes those listeners; returns when they were closed (the script's clock, epoch µs). */
        long close(List<Integer> indexes) throws IOException {
            StringBuilder b = new StringBuilder("close");
            indexes.forEach(i -> b.append(' ').append(i));
            int before = closed.size();
            commands.write((b + "\n").getBytes(StandardCharsets.US_ASCII));
            commands.flush();
            long until = System.currentTimeMillis() + 10_000;
            while (closed.size() == before) {
                assertTrue(System.currentTimeMillis() < until, "listeners.py did not close");
                Bench.hold(0.01);
            }
            return closed.get(closed.size() - 1);
        }

        @Override
        public void close() throws InterruptedException {
            Sh.quiet("ip", "netns", "exec", lab.ns("r2"), "nft", "delete", "table", "inet", "vigilbench");
            process.destroy();
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    /** Lines of a growing file, each stamped (epoch µs) when first read. */
    private static final class Tail {
        private final Path file;
        private long offset;
        private final StringBuilder partial = new StringBuilder();
        private final Map<String, Long> stamps = new ConcurrentHashMap<>();
        private final List<String> lines = new ArrayList<>();

        Tail(Path file) {
            this.file = file;
            try {
                this.offset = Files.size(file);
            } catch (IOException e) {
                this.offset = 0;
            }
        }

        void poll() throws IOException {
            long now = System.currentTimeMillis() * 1000;
            try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(file)) {
                long size = ch.size();
                if (size <= offset) {
                    return;
                }
                java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate((int) Math.min(size - offset, 1 << 24));
                ch.read(buf, offset);
                offset += buf.position();
                partial.append(new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8));
            }
            int nl;
            while ((nl = partial.indexOf("\n")) >= 0) {
                String line = partial.substring(0, nl);
                partial.delete(0, nl + 1);
                lines.add(line);
                stamps.putIfAbsent(line, now);
            }
        }

        Long firstStamp(String containing) {
            for (String l : lines) {
                if (l.contains(containing)) {
                    return stamps.get(l);
                }
            }
            return null;
        }
    }
}
