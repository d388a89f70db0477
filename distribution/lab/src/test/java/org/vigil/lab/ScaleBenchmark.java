package org.vigil.lab;

import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The scale benchmark (issue 8, item 9): many VRRPv3 instances at advert_int 1 s between two routers (r1 priority
 * 150, r2 priority 100, one VIP each), first two Vigils, then two keepalived 2.2.7, in one run. Cases: 510
 * instances (VRIDs 1-255 x IPv4 + IPv6 on lan0) and 1,000 instances (VRIDs 1-125 x IPv4 + IPv6 on each of lan0..lan3,
 * four separate bridges). Per case and implementation: start to all VIPs on the master, the backup joining (MASTER
 * entries and VIPs taken), a steady window (adverts/s, per-stream gaps, false transitions, CPU, RSS) and a crash of
 * the master (per-stream wire gap over Master_Down_Interval, VIP spread on the backup). Writes results/scale.txt.
 * Properties: vigil.bench.window (steady window, s, default 180), vigil.bench.scale.cases (default "510,1000").
 */
class ScaleBenchmark extends LabTest {
    static final double WINDOW = Double.parseDouble(System.getProperty("vigil.bench.window", "180"));
    static final List<Integer> CASES = java.util.Arrays.stream(System.getProperty("vigil.bench.scale.cases", "510,1000")
            .split(",")).map(String::strip).map(Integer::parseInt).toList();
    static final int MASTER = 150;
    static final int BACKUP = 100;
    static final int LANS = 4;
    /** Master_Down_Interval for priority 100 at 1 s: 3 s + (256 - 100) / 256 s. */
    static final double FLOOR = 3 + (256 - BACKUP) / 256.0;
    static final Duration SETUP = Duration.ofSeconds(Long.getLong("vigil.bench.scale.setup", 150));

    /** One instance: keepalived.conf name, interface, bridge it sits on, VRID, family, VIP. */
    record Inst(String name, String ifname, String bridge, int vrid, int family, String vip) {
        String key() {
            return bridge + "/v" + family + "/" + vrid;
        }
    }

    /** The measurements of one case and implementation, as table cells. */
    private final Map<String, Map<String, String>> columns = new LinkedHashMap<>();
    private final List<String> notes = new ArrayList<>();

    @BeforeAll
    void moreLans() {
        if (!Bench.enabled()) {
            return;
        }
        for (int k = 1; k < LANS; k++) {
            lab.addBridge("br" + k);
            for (int r = 1; r <= 2; r++) {
                lab.addLink("r" + r, "lan" + k, "p-r" + r + "-" + k, "br" + k, "192.0.2." + (16 * (k + 1) + r) + "/28",
                        "2001:db8:" + k + "::1" + r + "/64");
            }
        }
    }

    static List<Inst> instances(int count) {
        int lans = count <= 510 ? 1 : LANS;
        int vrids = count / 2 / lans;
        List<Inst> out = new ArrayList<>();
        int n = 0;
        for (int l = 0; l < lans; l++) {
            for (int v = 1; v <= vrids; v++) {
                // IPv4 VIPs: 203.0.113.1-254, then 198.51.100.1-254 (documentation ranges)
                String v4 = n < 254 ? "203.0.113." + (n + 1) : "198.51.100." + (n - 254 + 1);
                n++;
                out.add(new Inst("V4_L" + l + "_" + v, "lan" + l, "br" + l, v, 4, v4));
                out.add(new Inst("V6_L" + l + "_" + v, "lan" + l, "br" + l, v, 6, "2001:db8:10" + l + "::" + Integer
                        .toHexString(v)));
            }
        }
        return out;
    }

    static String config(String routerId, int priority, List<Inst> insts) {
        StringBuilder b = new StringBuilder();
        b.append("global_defs {\n    router_id ").append(routerId).append("\n}\n");
        for (Inst i : insts) {
            b.append("vrrp_instance ").append(i.name()).append(" {\n");
            b.append("    state BACKUP\n    interface ").append(i.ifname()).append('\n');
            b.append("    virtual_router_id ").append(i.vrid()).append('\n');
            b.append("    priority ").append(priority).append("\n    version 3\n    advert_int 1\n");
            b.append("    virtual_ipaddress {\n        ").append(i.vip()).append(i.family() == 4 ? "/32" : "/128")
                    .append(" dev ").append(i.ifname()).append("\n    }\n}\n");
        }
        return b.toString();
    }

    @Test
    void scale() {
        Assumptions.assumeTrue(Bench.enabled(), "the benchmark runs with -Dvigil.bench=true");
        String label = Bench.label();
        for (int count : CASES) {
            for (String impl : List.of("vigil", "keepalived")) {
                String col = impl + " " + count;
                Map<String, String> cells = new LinkedHashMap<>();
                columns.put(col, cells);
                try {
                    run(impl, instances(count), cells);
                } catch (RuntimeException | AssertionError e) {
                    cells.put("error", e.toString().lines().findFirst().orElse("?"));
                    notes.add(col + ": " + e);
                } finally {
                    stopEverything();
                    flushVips(instances(count));
                }
                Bench.write("scale", table(label)); // after each column, so a failed later one keeps the earlier
            }
        }
    }

    private Daemon start(String impl, String host, String conf) {
        return impl.equals("vigil") ? vigil(host, conf) : keepalived(host, conf);
    }

    private void run(String impl, List<Inst> insts, Map<String, String> cells) {
        int n = insts.size();
        Set<String> vips = new HashSet<>();
        insts.forEach(i -> vips.add(i.vip()));
        Set<String> bridges = new java.util.LinkedHashSet<>();
        insts.forEach(i -> bridges.add(i.bridge()));
        Set<Long> r1Macs = new HashSet<>();
        Set<Long> r2Macs = new HashSet<>();
        for (String br : bridges) {
            String ifname = "lan" + br.substring(2);
            r1Macs.add(Pcap.mac(lab.mac("r1", ifname)));
            r2Macs.add(Pcap.mac(lab.mac("r2", ifname)));
        }
        cells.put("instances", n + " on " + bridges.size() + " lan" + (bridges.size() > 1 ? "s" : ""));

        // 1. the master alone: from process start to the last of its VIPs (kernel address events)
        AddrMonitor m1 = track(new AddrMonitor(lab, "r1", dir("addr-r1")));
        Daemon master = start(impl, "r1", config(impl + "-r1", MASTER, insts));
        long allAt = awaitAll(m1, vips, 0, SETUP);
        cells.put("start -> all VIPs on master", allAt < 0 ? "not in " + SETUP.toSeconds() + " s ("
                + m1.present(vips).size() + "/" + n + ")" : fmt("%.2f s", (allAt / 1000.0 - master.startedMillis) / 1000));
        cells.put("master MASTER entries at start", Integer.toString(Bench.count(master, "Entering MASTER STATE", 0)));

        // 2. the backup joins: its MASTER entries and the VIPs it takes, up to 15 s after its last instance is BACKUP
        AddrMonitor m2 = track(new AddrMonitor(lab, "r2", dir("addr-r2")));
        int mMark = master.mark();
        Daemon backup = start(impl, "r2", config(impl + "-r2", BACKUP, insts));
        String joined;
        try {
            await("all backup instances BACKUP").atMost(SETUP).pollInterval(Duration.ofMillis(250))
                    .until(() -> Bench.count(backup, "Entering BACKUP STATE", 0) >= n);
            joined = fmt("%.1f s", (System.currentTimeMillis() - backup.startedMillis) / 1000.0);
        } catch (ConditionTimeoutException e) {
            joined = "not in " + SETUP.toSeconds() + " s (" + Bench.count(backup, "Entering BACKUP STATE", 0) + "/" + n
                    + ")";
        }
        Bench.hold(15);
        Set<String> taken = new HashSet<>();
        m2.events().stream().filter(e -> e.added() && vips.contains(e.address())).forEach(e -> taken.add(e.address()));
        cells.put("backup start -> all BACKUP", joined);
        cells.put("join: backup MASTER entries", Integer.toString(Bench.count(backup, "Entering MASTER STATE", 0)));
        cells.put("join: VIPs the backup took", Integer.toString(taken.size()));
        cells.put("join: master BACKUP entries", Integer.toString(Bench.count(master, "Entering BACKUP STATE", mMark)));

        // 3. the steady window
        List<BenchCapture> caps = new ArrayList<>();
        Path capDir = dir("steady");
        for (String br : bridges) {
            caps.add(track(new BenchCapture(lab, capDir, br, BenchCapture.VRRP)));
        }
        int bMark = backup.mark();
        mMark = master.mark();
        long hz = Bench.ticksPerSecond();
        long mt0 = master.cpuTicks();
        long bt0 = backup.cpuTicks();
        long t0 = System.currentTimeMillis() * 1000;
        Bench.hold(WINDOW);
        long t1 = System.currentTimeMillis() * 1000;
        long mt1 = master.cpuTicks();
        long bt1 = backup.cpuTicks();
        long mRss = master.rssKb();
        long bRss = backup.rssKb();
        caps.forEach(BenchCapture::close);
        Map<String, List<Long>> streams = new TreeMap<>();
        insts.forEach(i -> streams.put(i.key(), new ArrayList<>()));
        long fromMaster = 0;
        long fromBackup = 0;
        Set<String> backupStreams = new HashSet<>();
        for (BenchCapture c : caps) {
            for (Pcap.Advert a : c.adverts()) {
                if (a.micros() < t0 || a.micros() > t1) {
                    continue;
                }
                String key = c.bridge + "/v" + a.family() + "/" + a.vrid();
                if (r1Macs.contains(a.srcMac())) {
                    fromMaster++;
                    streams.computeIfAbsent(key, k -> new ArrayList<>()).add(a.micros());
                } else if (r2Macs.contains(a.srcMac())) {
                    fromBackup++;
                    backupStreams.add(key);
                }
            }
        }
        double secs = (t1 - t0) / 1e6;
        List<Double> maxGaps = new ArrayList<>();
        int over = 0;
        for (List<Long> times : streams.values()) {
            double g = maxGap(times, t0, t1);
            maxGaps.add(g);
            if (g > 1.5) {
                over++;
            }
        }
        cells.put("window", fmt("%.0f s", secs));
        cells.put("adverts/s master (expected: instances)", fmt("%.1f", fromMaster / secs));
        cells.put("adverts/s backup (expected 0)", fmt("%.1f", fromBackup / secs));
        cells.put("streams the backup advertised", Integer.toString(backupStreams.size()));
        cells.put("per-stream max gap: median", fmt("%.3f s", Bench.median(maxGaps)));
        cells.put("per-stream max gap: max", fmt("%.3f s", Bench.max(maxGaps)));
        cells.put("streams with a gap > 1.5 s", over + " / " + n);
        cells.put("false transitions (backup MASTER)", Integer.toString(Bench.count(backup, "Entering MASTER STATE",
                bMark)));
        cells.put("false transitions (master BACKUP)", Integer.toString(Bench.count(master, "Entering BACKUP STATE",
                mMark)));
        cells.put("CPU master, s per minute", fmt("%.2f", (mt1 - mt0) / (double) hz / (secs / 60)));
        cells.put("CPU backup, s per minute", fmt("%.2f", (bt1 - bt0) / (double) hz / (secs / 60)));
        cells.put("RSS master / backup", fmt("%.0f / %.0f MB", mRss / 1024.0, bRss / 1024.0));
        cells.put("tcpdump dropped (steady)", BenchCapture.drops(caps));

        // 4. a crash of the master: SIGSTOP + SIGKILL of its process tree
        List<BenchCapture> crashCaps = new ArrayList<>();
        Path crashDir = dir("crash");
        for (String br : bridges) {
            crashCaps.add(track(new BenchCapture(lab, crashDir, br, BenchCapture.VRRP)));
        }
        Bench.hold(2.5);
        int heldBefore = m2.present(vips).size();
        long crashAt = System.currentTimeMillis() * 1000;
        master.crash();
        long allOnBackup = awaitAll(m2, vips, crashAt, Duration.ofSeconds(30));
        Bench.hold(2);
        crashCaps.forEach(BenchCapture::close);
        Map<String, Long> lastMaster = new HashMap<>();
        Map<String, List<Long>> backupTimes = new HashMap<>();
        for (BenchCapture c : crashCaps) {
            for (Pcap.Advert a : c.adverts()) {
                String key = c.bridge + "/v" + a.family() + "/" + a.vrid();
                if (r1Macs.contains(a.srcMac())) {
                    lastMaster.merge(key, a.micros(), Math::max);
                } else if (r2Macs.contains(a.srcMac())) {
                    backupTimes.computeIfAbsent(key, k -> new ArrayList<>()).add(a.micros());
                }
            }
        }
        List<Double> over2 = new ArrayList<>();
        int noTakeover = 0;
        for (Inst i : insts) {
            Long last = lastMaster.get(i.key());
            long first = backupTimes.getOrDefault(i.key(), List.of()).stream().filter(t -> last == null || t > last)
                    .mapToLong(Long::longValue).min().orElse(-1);
            if (last == null || first < 0) {
                noTakeover++;
                continue;
            }
            over2.add(((first - last) / 1e6 - FLOOR) * 1000);
        }
        Map<String, Long> firstAdd = new HashMap<>();
        for (AddrMonitor.Event e : m2.events()) {
            if (e.added() && e.micros() >= crashAt && vips.contains(e.address())) {
                firstAdd.putIfAbsent(e.address(), e.micros());
            }
        }
        cells.put("crash: streams taken over", (n - noTakeover) + " / " + n);
        cells.put("crash: gap - floor, median", fmt("%.1f ms", Bench.median(over2)));
        cells.put("crash: gap - floor, max", fmt("%.1f ms", Bench.max(over2)));
        cells.put("crash: gap - floor, min (< 0: early)", fmt("%.1f ms", over2.stream().mapToDouble(d -> d).min().orElse(Double.NaN)));
        cells.put("crash: VIPs the backup held before", heldBefore + " / " + n);
        cells.put("crash: backup VIPs added after", firstAdd.size() + " / " + n);
        cells.put("crash: first -> last VIP on backup", firstAdd.isEmpty() ? "-" : fmt("%.0f ms", (firstAdd.values()
                .stream().mapToLong(Long::longValue).max().getAsLong() - firstAdd.values().stream().mapToLong(
                        Long::longValue).min().getAsLong()) / 1000.0));
        cells.put("crash: kill -> all VIPs on backup", allOnBackup < 0 ? "not in 30 s" : fmt("%.0f ms", (allOnBackup
                - crashAt) / 1000.0));
        cells.put("tcpdump dropped (crash)", BenchCapture.drops(crashCaps));
        backup.close();
    }

    /**
     * The first time (µs) at which every wanted address is present according to the monitor's events from the
     * given time on (and what was present before it), waiting up to the bound; -1 if not reached.
     */
    private static long awaitAll(AddrMonitor m, Set<String> wanted, long fromMicros, Duration within) {
        long[] at = {-1};
        try {
            await("all " + wanted.size() + " VIPs").atMost(within).pollInterval(Duration.ofMillis(500)).until(() -> {
                Set<String> now = new HashSet<>();
                for (AddrMonitor.Event e : m.events()) {
                    if (!wanted.contains(e.address())) {
                        continue;
                    }
                    if (e.added()) {
                        now.add(e.address());
                    } else {
                        now.remove(e.address());
                    }
                    if (e.micros() >= fromMicros && now.size() == wanted.size()) {
                        at[0] = e.micros();
                        return true;
                    }
                }
                return false;
            });
        } catch (ConditionTimeoutException e) {
            return -1;
        }
        return at[0];
    }

    /** The longest silence of a stream in the window, the window's edges included (a silent stream: the window). */
    private static double maxGap(List<Long> times, long t0, long t1) {
        List<Long> s = new ArrayList<>(times);
        java.util.Collections.sort(s);
        long prev = t0;
        long max = 0;
        for (long t : s) {
            max = Math.max(max, t - prev);
            prev = t;
        }
        max = Math.max(max, t1 - prev);
        return max / 1e6;
    }

    /** Deletes the VIPs from both routers in one ip -batch each (a SIGKILLed master leaves them). */
    private void flushVips(List<Inst> insts) {
        try {
            Path batch = Files.createTempFile("vigil-scale-vips", ".batch");
            StringBuilder b = new StringBuilder();
            for (Inst i : insts) {
                b.append("addr del ").append(i.vip()).append(i.family() == 4 ? "/32" : "/128").append(" dev ")
                        .append(i.ifname()).append('\n');
            }
            Files.writeString(batch, b);
            for (String r : List.of("r1", "r2")) {
                Sh.quiet("ip", "-n", lab.ns(r), "-force", "-batch", batch.toString());
            }
            Files.deleteIfExists(batch);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String fmt(String f, Object... args) {
        return String.format(Locale.ROOT, f, args);
    }

    private String table(String label) {
        StringBuilder b = new StringBuilder();
        b.append("Scale benchmark (issue 8 item 9): VRRPv3 at advert_int 1 s, r1 priority 150 (master) and r2 priority "
                + "100 (backup), one VIP per instance\n");
        b.append(label).append('\n');
        b.append(fmt("steady window %.0f s; crash = SIGSTOP + SIGKILL of the master's process tree; floor = "
                + "Master_Down_Interval for priority 100 = %.3f s%n", WINDOW, FLOOR));
        b.append("gaps and adverts from tcpdump on the lab bridges (-B 64 MiB, snaplen 96); VIP times from ip -ts monitor "
                + "address; CPU = utime+stime of the process tree from /proc/PID/stat\n\n");
        List<String> rows = new ArrayList<>();
        columns.values().forEach(c -> c.keySet().forEach(k -> {
            if (!rows.contains(k)) {
                rows.add(k);
            }
        }));
        int w0 = rows.stream().mapToInt(String::length).max().orElse(10) + 2;
        int w = 26;
        b.append(String.format(Locale.ROOT, "%-" + w0 + "s", ""));
        columns.keySet().forEach(c -> b.append(String.format(Locale.ROOT, "%-" + w + "s", c)));
        b.append('\n');
        for (String r : rows) {
            b.append(String.format(Locale.ROOT, "%-" + w0 + "s", r));
            for (Map<String, String> c : columns.values()) {
                b.append(String.format(Locale.ROOT, "%-" + w + "s", c.getOrDefault(r, "-")));
            }
            b.append('\n');
        }
        if (!notes.isEmpty()) {
            b.append("\nnotes:\n");
            notes.forEach(n -> b.append("- ").append(n.lines().findFirst().orElse("")).append('\n'));
        }
        return b.toString();
    }
}
