package org.vigil.lab;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The soak benchmark (issue 8, item 8): one VRRPv3 IPv4 instance at advert_int 0.01 s between a master (priority
 * 150) and a backup (priority 100), an idle phase and then a loaded one beside {@code stress-ng --cpu 2 --vm 1
 * --vm-bytes 1G}. Four pairs run at the same time on one segment, each with its own VRID, so that they share the
 * same load: Vigil with default settings, Vigil with {@code vrrp_rt_priority 5}, keepalived 2.2.7 with default
 * settings and keepalived with {@code vrrp_rt_priority 5} (realtime SCHED_RR). Per pair and phase: the master's
 * adverts, interval p99.9 and max, gaps over Master_Down_Interval, false transitions, CPU, RSS. Writes
 * results/soak.txt, with every silence of a master over Master_Down_Interval beside the machine stalls that
 * SCHED_FIFO probes (src/test/resources/stall-probe.c, one pinned to each CPU) saw at that time. Properties: vigil.bench.soak.idle and vigil.bench.soak.loaded (s, default 300 each).
 */
class SoakBenchmark extends LabTest {
    static final double IDLE = Double.parseDouble(System.getProperty("vigil.bench.soak.idle", "300"));
    static final double LOADED = Double.parseDouble(System.getProperty("vigil.bench.soak.loaded", "300"));
    static final double ADVERT = 0.01;
    static final int MASTER = 150;
    static final int BACKUP = 100;
    static final double MASTER_DOWN = 3 * ADVERT + (256 - BACKUP) * ADVERT / 256;
    static final List<String> STRESS = List.of("stress-ng", "--cpu", "2", "--vm", "1", "--vm-bytes", "1G");

    /** A pair: label, implementation, realtime priority (0 = none), its routers and VRID. */
    record Pair(String label, String impl, int rtPriority, String master, String backup, int vrid) {
        String vip() {
            return "203.0.113." + vrid;
        }

        String config(String routerId, int priority) {
            StringBuilder b = new StringBuilder("global_defs {\n    router_id ").append(routerId).append('\n');
            if (rtPriority > 0) {
                b.append("    vrrp_rt_priority ").append(rtPriority).append('\n');
            }
            b.append("}\nvrrp_instance VI_1 {\n    state BACKUP\n    interface lan0\n    virtual_router_id ").append(vrid)
                    .append("\n    priority ").append(priority).append("\n    version 3\n    advert_int 0.01\n")
                    .append("    virtual_ipaddress {\n        ").append(vip()).append("/32 dev lan0\n    }\n}\n");
            return b.toString();
        }
    }

    record Phase(String name, long t0, long t1, Map<String, Long> masterTicks0, Map<String, Long> masterTicks1,
            Map<String, Long> backupTicks0, Map<String, Long> backupTicks1, Map<String, Integer> masterMark,
            Map<String, Integer> backupMark, Map<String, Integer> masterMarkEnd, Map<String, Integer> backupMarkEnd,
            Stalls stalls, long stealTicks, List<Stall> stallTimes) {
    }

    /**
     * One late wake-up of a stall probe (src/test/resources/stall-probe.c, SCHED_FIFO 5 like the
     * daemons, every 1 ms, one pinned to each CPU): it woke at {@code wokeMicros} (wall clock, as
     * tcpdump stamps), {@code lateMicros} after its deadline, so that CPU ran nothing of it in between.
     */
    record Stall(long wokeMicros, long lateMicros, int cpu) {
        static final long THRESHOLD_US = 20_000;

        /** Whether the stall [woke - late, woke] overlaps the wire gap [from, to] (wall-clock micros). */
        boolean overlaps(long from, long to) {
            return wokeMicros - lateMicros <= to && wokeMicros >= from;
        }

        static List<Stall> parse(String out) {
            List<Stall> stalls = new ArrayList<>();
            for (String line : out.lines().toList()) {
                String[] f = line.trim().split("\\s+");
                if (f.length == 4 && f[0].equals("stall")) {
                    stalls.add(new Stall(Long.parseLong(f[1]), Long.parseLong(f[2]), Integer.parseInt(f[3])));
                }
            }
            return stalls;
        }

        /**
         * The longest stall on each CPU that overlaps the gap [from, to], as "cpu N X ms (woke Y ms into
         * the gap)", or a line saying no probe saw one.
         */
        static String overlapping(List<Stall> stalls, long from, long to) {
            Map<Integer, Stall> worst = new java.util.TreeMap<>();
            stalls.stream().filter(st -> st.overlaps(from, to)).forEach(st -> worst.merge(st.cpu(), st,
                    (a, b) -> a.lateMicros() >= b.lateMicros() ? a : b));
            if (worst.isEmpty()) {
                return "no machine stall over 20 ms seen by the probes";
            }
            StringBuilder b = new StringBuilder("machine stall");
            worst.values().forEach(st -> b.append(String.format(Locale.ROOT, " cpu %d %.1f ms (woke %.1f ms into the gap)",
                    st.cpu(), st.lateMicros() / 1000.0, (st.wokeMicros() - from) / 1000.0)));
            return b.toString();
        }
    }

    private java.nio.file.Path probe;

    @org.junit.jupiter.api.BeforeAll
    void stallProbe() {
        if (!Bench.enabled()) {
            return;
        }
        try {
            java.nio.file.Path src = java.nio.file.Path.of(getClass().getResource("/stall-probe.c").toURI());
            probe = java.nio.file.Path.of("target", "stall-probe").toAbsolutePath();
            Sh.ok("gcc", "-O2", "-Wall", "-o", probe.toString(), src.toString());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The machine's steal time so far (the 8th field of /proc/stat's cpu line, in ticks, summed
     * over the cores): time the hypervisor ran something else while this guest wanted the CPU.
     */
    static long stealTicks() {
        try {
            String cpu = java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/stat")).get(0);
            String[] f = cpu.trim().split("\\s+");
            return f.length > 8 ? Long.parseLong(f[8]) : 0;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * The machine's own stalls in a phase: cyclictest, a C thread at the daemons' realtime priority
     * (SCHED_FIFO 5, memory locked) waking every 1 ms. A wake-up later than Master_Down_Interval
     * there means no daemon on this machine could have advertised in time either.
     */
    record Stalls(double maxMs, long over20ms, long overMasterDown) {
        static final int BUCKETS_US = 100_000;

        static List<String> command(double seconds) {
            return List.of("cyclictest", "-m", "-q", "-p", "5", "-i", "1000", "-t", "1", "-h",
                    Integer.toString(BUCKETS_US), "-D", (long) Math.ceil(seconds) + "s");
        }

        /** cyclictest's histogram: lines "latency_us count", then "# Max Latencies: N" and "# Histogram Overflows: N". */
        static Stalls parse(String out) {
            long over20 = 0;
            long overDown = 0;
            double max = Double.NaN;
            for (String line : out.lines().toList()) {
                String[] f = line.trim().split("\\s+");
                if (line.startsWith("# Max Latencies:") && f.length >= 4) {
                    max = Long.parseLong(f[3]) / 1000.0;
                } else if (line.startsWith("# Histogram Overflows:") && f.length >= 4) {
                    long n = Long.parseLong(f[3]);
                    over20 += n;
                    overDown += n;
                } else if (f.length == 2 && !line.startsWith("#")) {
                    long us = Long.parseLong(f[0]);
                    long n = Long.parseLong(f[1]);
                    if (us > 2 * ADVERT * 1e6) {
                        over20 += n;
                    }
                    if (us > MASTER_DOWN * 1e6) {
                        overDown += n;
                    }
                }
            }
            return new Stalls(max, over20, overDown);
        }
    }

    static final List<Pair> PAIRS = List.of(new Pair("vigil default", "vigil", 0, "r1", "r2", 51),
            new Pair("vigil rt_priority 5", "vigil", 5, "r3", "r4", 52),
            new Pair("keepalived default", "keepalived", 0, "r5", "r6", 53),
            new Pair("keepalived rt_priority 5", "keepalived", 5, "r7", "r8", 54));

    @Override
    protected int routers() {
        return 8;
    }

    @Test
    void soak() {
        Assumptions.assumeTrue(Bench.enabled(), "the benchmark runs with -Dvigil.bench=true");
        String label = Bench.label();
        Map<String, Daemon> masters = new LinkedHashMap<>();
        Map<String, Daemon> backups = new LinkedHashMap<>();
        for (Pair p : PAIRS) {
            String conf = p.config(p.impl() + "-" + p.master(), MASTER);
            masters.put(p.label(), p.impl().equals("vigil") ? vigil(p.master(), conf) : keepalived(p.master(), conf));
        }
        masters.values().forEach(d -> d.awaitLog("(VI_1) Entering MASTER STATE", START));
        for (Pair p : PAIRS) {
            String conf = p.config(p.impl() + "-" + p.backup(), BACKUP);
            backups.put(p.label(), p.impl().equals("vigil") ? vigil(p.backup(), conf) : keepalived(p.backup(), conf));
        }
        backups.values().forEach(d -> d.awaitLog("(VI_1) Entering BACKUP STATE", START));
        Bench.hold(5);
        BenchCapture cap = track(new BenchCapture(lab, dir("capture"), Lab.BRIDGE, BenchCapture.VRRP));
        Bench.hold(1);
        List<Phase> phases = new ArrayList<>();
        phases.add(phase("idle", IDLE, masters, backups, null));
        Bench.Helper stress = track(new Bench.Helper(dir("stress-ng").resolve("out"), withTimeout(LOADED)));
        Bench.hold(1); // stress-ng forks its workers
        phases.add(phase("loaded", LOADED, masters, backups, stress));
        stress.stop(5000);
        Map<String, Long> rss = new LinkedHashMap<>();
        masters.forEach((k, d) -> rss.put(k, d.rssKb()));
        Map<String, Long> rssB = new LinkedHashMap<>();
        backups.forEach((k, d) -> rssB.put(k, d.rssKb()));
        cap.close();
        List<Pcap.Advert> adverts = cap.adverts();
        long hz = Bench.ticksPerSecond();

        StringBuilder b = new StringBuilder();
        b.append("Soak benchmark (issue 8 item 8): VRRPv3 IPv4 at advert_int 0.01 s, master priority 150, backup 100; "
                + "four pairs at once on one segment\n");
        b.append(label).append('\n');
        b.append(String.format(Locale.ROOT, "phases: idle %.0f s, then loaded %.0f s beside %s (started and killed by "
                + "PID); Master_Down_Interval %.1f ms%n", IDLE, LOADED, String.join(" ", STRESS), MASTER_DOWN * 1000));
        b.append("adverts and intervals: the master's adverts in tcpdump on the bridge; false = backup 'Entering MASTER "
                + "STATE' lines (and master 'Entering BACKUP STATE') in the phase; CPU in % of one core\n");
        b.append(String.format(Locale.ROOT, "tcpdump dropped by kernel: %d%n%n", cap.dropped()));
        b.append(String.format(Locale.ROOT, "%-26s %-7s %8s %8s %10s %9s %9s %8s %8s %8s %8s %8s %9s%n", "pair", "phase",
                "adverts", "expected", "p99.9 ms", "max ms", ">MDown", ">20 ms", "false B", "false M", "bk adv",
                "CPU m %", "CPU b %"));
        List<String> explained = new ArrayList<>();
        for (Pair p : PAIRS) {
            long masterMac = Pcap.mac(lab.mac(p.master()));
            long backupMac = Pcap.mac(lab.mac(p.backup()));
            for (Phase ph : phases) {
                List<Long> times = new ArrayList<>();
                long fromBackup = 0;
                for (Pcap.Advert a : adverts) {
                    if (a.vrid() != p.vrid() || a.micros() < ph.t0() || a.micros() > ph.t1()) {
                        continue;
                    }
                    if (a.srcMac() == masterMac && a.priority() == MASTER) {
                        times.add(a.micros());
                    } else if (a.srcMac() == backupMac) {
                        fromBackup++;
                    }
                }
                List<Double> gaps = new ArrayList<>();
                for (int i = 1; i < times.size(); i++) {
                    gaps.add((times.get(i) - times.get(i - 1)) / 1000.0);
                }
                // the phase's edges count as gaps too: a master silent at the start or the end of the phase
                if (!times.isEmpty()) {
                    gaps.add((times.get(0) - ph.t0()) / 1000.0);
                    gaps.add((ph.t1() - times.get(times.size() - 1)) / 1000.0);
                }
                long overDown = gaps.stream().filter(g -> g > MASTER_DOWN * 1000).count();
                for (int i = 1; i < times.size(); i++) {
                    long from = times.get(i - 1);
                    long to = times.get(i);
                    if (to - from > MASTER_DOWN * 1e6) {
                        explained.add(String.format(Locale.ROOT, "  %-26s %-7s %s  master silent %6.1f ms  %s%n",
                                p.label(), ph.name(), java.time.Instant.ofEpochSecond(from / 1_000_000,
                                        from % 1_000_000 * 1000), (to - from) / 1000.0,
                                Stall.overlapping(ph.stallTimes(), from, to)));
                    }
                }
                long over20 = gaps.stream().filter(g -> g > 2 * ADVERT * 1000).count();
                Daemon m = masters.get(p.label());
                Daemon bk = backups.get(p.label());
                String mt = m.logText().substring(0, Math.min(ph.masterMarkEnd().get(p.label()), m.logText().length()));
                String bt = bk.logText().substring(0, Math.min(ph.backupMarkEnd().get(p.label()), bk.logText().length()));
                long falseB = count(bt.substring(Math.min(ph.backupMark().get(p.label()), bt.length())),
                        "Entering MASTER STATE");
                long falseM = count(mt.substring(Math.min(ph.masterMark().get(p.label()), mt.length())),
                        "Entering BACKUP STATE");
                double secs = (ph.t1() - ph.t0()) / 1e6;
                double cpuM = 100.0 * (ph.masterTicks1().get(p.label()) - ph.masterTicks0().get(p.label())) / hz / secs;
                double cpuB = 100.0 * (ph.backupTicks1().get(p.label()) - ph.backupTicks0().get(p.label())) / hz / secs;
                b.append(String.format(Locale.ROOT, "%-26s %-7s %8d %8.0f %10.2f %9.2f %9d %8d %8d %8d %8d %8.2f %9.2f%n",
                        p.label(), ph.name(), times.size(), secs / ADVERT, Bench.percentile(gaps, 99.9), Bench.max(gaps),
                        overDown, over20, falseB, falseM, fromBackup, cpuM, cpuB));
            }
        }
        b.append(String.format(Locale.ROOT, "%nthe machine's own stalls (cyclictest -m -p 5 -i 1000, SCHED_FIFO 5 like the daemons, "
                + "beside them in each phase):%n"));
        for (Phase ph : phases) {
            b.append(String.format(Locale.ROOT, "  %-7s max wake-up latency %7.2f ms, wake-ups later than 20 ms: %d, later "
                    + "than Master_Down_Interval: %d; hypervisor steal %.2f s of the %d cores' %.0f s%n", ph.name(),
                    ph.stalls().maxMs(), ph.stalls().over20ms(), ph.stalls().overMasterDown(), ph.stealTicks() / 100.0,
                    Runtime.getRuntime().availableProcessors(), (ph.t1() - ph.t0()) / 1e6
                            * Runtime.getRuntime().availableProcessors()));
        }
        b.append(String.format(Locale.ROOT, "%nevery silence of a master longer than Master_Down_Interval on the wire, and "
                + "the longest stall each CPU's probe (SCHED_FIFO 5, mlockall, 1 ms sleeps, pinned) saw overlapping it:%n"));
        if (explained.isEmpty()) {
            b.append("  none\n");
        }
        explained.forEach(b::append);
        for (Phase ph : phases) {
            for (int cpu = 0; cpu < Runtime.getRuntime().availableProcessors(); cpu++) {
                int c = cpu;
                List<Stall> on = ph.stallTimes().stream().filter(st -> st.cpu() == c).toList();
                b.append(String.format(Locale.ROOT, "  probe on cpu %d, %-7s %d wake-ups later than 20 ms%s%n", cpu,
                        ph.name(), on.size(), on.isEmpty() ? "" : ", longest " + String.format(Locale.ROOT, "%.1f ms",
                                on.stream().mapToLong(Stall::lateMicros).max().getAsLong() / 1000.0)));
            }
        }
        b.append(String.format(Locale.ROOT, "%nRSS of the process tree at the end (master / backup):%n"));
        for (Pair p : PAIRS) {
            b.append(String.format(Locale.ROOT, "  %-26s %6.1f / %6.1f MB%n", p.label(), rss.get(p.label()) / 1024.0,
                    rssB.get(p.label()) / 1024.0));
        }
        b.append("\nrealtime setting as the daemons logged it (lines mentioning rt_priority, realtime or SCHED):\n");
        for (Pair p : PAIRS) {
            for (Daemon d : List.of(masters.get(p.label()), backups.get(p.label()))) {
                d.logText().lines().filter(l -> l.contains("rt_priority") || l.toLowerCase(Locale.ROOT).contains(
                        "realtime") || l.contains("SCHED")).limit(3).forEach(l -> b.append("  ").append(d.label)
                                .append(": ").append(l.strip()).append('\n'));
            }
        }
        b.append("\nscheduling of the daemons' threads (/proc/PID/task/TID/stat policy and rt_priority, at the end):\n");
        for (Pair p : PAIRS) {
            for (Daemon d : List.of(masters.get(p.label()), backups.get(p.label()))) {
                b.append("  ").append(String.format(Locale.ROOT, "%-16s %s%n", d.label, scheduling(d)));
            }
        }
        b.append("\ncolumns: adverts = the master's adverts seen in the phase; expected = phase / 0.01 s; p99.9 and max = "
                + "the master's advert interval (phase edges included); >MDown = intervals over Master_Down_Interval; "
                + ">20 ms = intervals over two advert intervals; false B = backup entered MASTER; false M = master "
                + "entered BACKUP; bk adv = adverts the backup sent; CPU m/b = master/backup CPU in % of one core\n");
        Bench.write("soak", b.toString());
    }

    /** How many threads of the process tree run under which policy: "SCHED_OTHER x40, SCHED_RR/5 x1". */
    static String scheduling(Daemon d) {
        Map<String, Integer> counts = new java.util.TreeMap<>();
        List<Long> tree = new ArrayList<>();
        tree.add(d.pid());
        ProcessHandle.of(d.pid()).ifPresent(ph -> ph.descendants().forEach(c -> tree.add(c.pid())));
        for (long pid : tree) {
            java.io.File[] tasks = new java.io.File("/proc/" + pid + "/task").listFiles();
            if (tasks == null) {
                continue;
            }
            for (java.io.File t : tasks) {
                try {
                    String stat = java.nio.file.Files.readString(t.toPath().resolve("stat"));
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    int rt = Integer.parseInt(f[37]); // field 40, rt_priority
                    int policy = Integer.parseInt(f[38]); // field 41, policy
                    String name = switch (policy) {
                        case 0 -> "SCHED_OTHER";
                        case 1 -> "SCHED_FIFO/" + rt;
                        case 2 -> "SCHED_RR/" + rt;
                        case 3 -> "SCHED_BATCH";
                        case 5 -> "SCHED_IDLE";
                        default -> "policy " + policy + "/" + rt;
                    };
                    counts.merge(name, 1, Integer::sum);
                } catch (java.io.IOException | RuntimeException e) {
                    // a thread that just ended
                }
            }
        }
        List<String> parts = new ArrayList<>();
        counts.forEach((k, v) -> parts.add(k + " x" + v));
        return String.join(", ", parts);
    }

    private static List<String> withTimeout(double seconds) {
        List<String> cmd = new ArrayList<>(STRESS);
        // stress-ng also stops itself, a little after the phase, should the run die before it kills it
        cmd.addAll(List.of("--timeout", (long) Math.ceil(seconds + 60) + "s"));
        return cmd;
    }

    private static long count(String text, String what) {
        return text.lines().filter(l -> l.contains(what)).count();
    }

    private Phase phase(String name, double seconds, Map<String, Daemon> masters, Map<String, Daemon> backups,
            Bench.Helper stress) {
        Map<String, Long> m0 = new LinkedHashMap<>();
        Map<String, Long> b0 = new LinkedHashMap<>();
        Map<String, Integer> mm = new LinkedHashMap<>();
        Map<String, Integer> bm = new LinkedHashMap<>();
        masters.forEach((k, d) -> {
            m0.put(k, d.cpuTicks());
            mm.put(k, d.mark());
        });
        backups.forEach((k, d) -> {
            b0.put(k, d.cpuTicks());
            bm.put(k, d.mark());
        });
        long t0 = System.currentTimeMillis() * 1000;
        long steal0 = stealTicks();
        Bench.Helper probe = track(new Bench.Helper(dir("cyclictest-" + name).resolve("out"), Stalls.command(seconds)));
        List<Bench.Helper> timed = new ArrayList<>();
        for (int cpu = 0; cpu < Runtime.getRuntime().availableProcessors(); cpu++) {
            timed.add(track(new Bench.Helper(dir("stall-probe-" + name + "-cpu" + cpu).resolve("out"), List.of(
                    this.probe.toString(), "5", "1000", Long.toString((long) Math.ceil(seconds)),
                    Long.toString(Stall.THRESHOLD_US), Integer.toString(cpu)))));
        }
        Bench.hold(seconds);
        long t1 = System.currentTimeMillis() * 1000;
        long steal = stealTicks() - steal0;
        try {
            if (!probe.process.waitFor(15, java.util.concurrent.TimeUnit.SECONDS)) {
                throw new AssertionError("cyclictest did not end after its " + seconds + " s");
            }
            for (Bench.Helper t : timed) {
                if (!t.process.waitFor(15, java.util.concurrent.TimeUnit.SECONDS)) {
                    throw new AssertionError("a stall probe did not end after its " + seconds + " s");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
        Stalls stalls = Stalls.parse(probe.output());
        if (stress != null && !stress.process.isAlive()) {
            throw new AssertionError("stress-ng ended early: " + stress.output());
        }
        Map<String, Long> m1 = new LinkedHashMap<>();
        Map<String, Long> b1 = new LinkedHashMap<>();
        Map<String, Integer> mmEnd = new LinkedHashMap<>();
        Map<String, Integer> bmEnd = new LinkedHashMap<>();
        masters.forEach((k, d) -> {
            m1.put(k, d.cpuTicks());
            mmEnd.put(k, d.mark());
        });
        backups.forEach((k, d) -> {
            b1.put(k, d.cpuTicks());
            bmEnd.put(k, d.mark());
        });
        return new Phase(name, t0, t1, m0, m1, b0, b1, mm, bm, mmEnd, bmEnd, stalls, steal,
                timed.stream().flatMap(t -> Stall.parse(t.output()).stream()).toList());
    }
}
