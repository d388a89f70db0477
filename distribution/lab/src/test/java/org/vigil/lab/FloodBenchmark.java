package org.vigil.lab;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The flood benchmark (issue 8, item 7, the flood part): a master (r1, priority 150) and a backup (r2, 100) for
 * VRID 51 at advert_int 1 s, VRRPv2 PASS and VRRPv3 IPv4, and an attacker namespace a1 (192.0.2.200) on the same
 * bridge sending junk for the master's VRID with src/test/resources/vrrp-flood.c (compiled with gcc at test time):
 * random bytes as protocol 112, well-formed adverts with a wrong password (v2 only), higher-priority adverts with a
 * bad checksum, and adverts for the 254 other VRIDs; at 20 pps, 10 kpps and as fast as the sender can (0). Vigil and
 * keepalived 2.2.7 in one run. Per rate and kind: the master's adverts missed on the wire, false transitions on
 * either router, log lines written during the flood, CPU. Writes results/flood.txt. Properties:
 * vigil.bench.flood.seconds (per flood, default 15), vigil.bench.flood.rates (default "20,10000,0").
 */
class FloodBenchmark extends LabTest {
    static final double SECONDS = Double.parseDouble(System.getProperty("vigil.bench.flood.seconds", "15"));
    static final List<Integer> RATES = java.util.Arrays.stream(System.getProperty("vigil.bench.flood.rates",
            "20,10000,0").split(",")).map(String::strip).map(Integer::parseInt).toList();
    static final List<String> KINDS = List.of("random", "badpass", "badsum", "othervrid");
    static final String ATTACKER = "a1";
    static final String ATTACKER_IP = "192.0.2.200";
    static final int MASTER = 150;
    static final int BACKUP = 100;
    static final double AFTER = 4;
    private static final Pattern SENT = Pattern.compile("sent (\\d+) packets in ([0-9.]+) s = (\\d+) pps, errors (\\d+)");

    private Path sender;
    private String label = "";
    private final List<String> drops = new ArrayList<>();
    private final List<String> rows = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    @BeforeAll
    void attackerAndSender() {
        if (!Bench.enabled()) {
            return;
        }
        lab.addHost(ATTACKER, ATTACKER_IP, "2001:db8::200");
        try {
            Path src = Path.of(getClass().getResource("/vrrp-flood.c").toURI());
            sender = Path.of("target", "vrrp-flood").toAbsolutePath();
            Sh.ok("gcc", "-O2", "-Wall", "-o", sender.toString(), src.toString());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void flood() {
        Assumptions.assumeTrue(Bench.enabled(), "the benchmark runs with -Dvigil.bench=true");
        label = Bench.label();
        for (Vrrp v : List.of(Vrrp.v2Pass(), Vrrp.v3("1"))) {
            for (String impl : List.of("vigil", "keepalived")) {
                try {
                    runPair(impl, v);
                } catch (RuntimeException | AssertionError e) {
                    notes.add(impl + " " + v + ": " + e.toString().lines().findFirst().orElse("?"));
                } finally {
                    stopEverything();
                }
                Bench.write("flood", table(label));
            }
        }
    }

    private Daemon[] startPair(String impl, Vrrp v) {
        String mc = v.config(impl + "-r1", MASTER);
        Daemon m = impl.equals("vigil") ? vigil("r1", mc) : keepalived("r1", mc);
        m.awaitLog("(VI_1) Entering MASTER STATE", START);
        String bc = v.config(impl + "-r2", BACKUP);
        Daemon b = impl.equals("vigil") ? vigil("r2", bc) : keepalived("r2", bc);
        b.awaitLog("(VI_1) Entering BACKUP STATE", START);
        Bench.hold(3);
        return new Daemon[] {m, b};
    }

    private void runPair(String impl, Vrrp v) {
        Daemon[] pair = startPair(impl, v);
        long hz = Bench.ticksPerSecond();
        String macs = "(ip proto 112 or ip6 proto 112) and (ether src " + lab.mac("r1") + " or ether src " + lab.mac("r2")
                + ")";
        long m1 = Pcap.mac(lab.mac("r1"));
        long m2 = Pcap.mac(lab.mac("r2"));
        for (String kind : KINDS) {
            if (kind.equals("badpass") && v.version() != 2) {
                continue; // VRRPv3 has no authentication
            }
            for (int rate : RATES) {
                Daemon master = pair[0];
                Daemon backup = pair[1];
                BenchCapture cap = track(new BenchCapture(lab, dir("flood-" + kind + "-" + rate), Lab.BRIDGE, macs));
                long ms0 = size(master);
                long bs0 = size(backup);
                long mt0 = master.cpuTicks();
                long bt0 = backup.cpuTicks();
                Bench.Helper flood = track(new Bench.Helper(cap.pcap.resolveSibling("sender.out"), List.of("ip", "netns",
                        "exec", lab.ns(ATTACKER), sender.toString(), "lan0", ATTACKER_IP, kind, Integer.toString(v
                                .version()), "51", Vrrp.PASSWORD, Integer.toString(rate), Double.toString(SECONDS + 30))));
                long t0 = System.currentTimeMillis() * 1000;
                Bench.hold(SECONDS);
                flood.stop(3000);
                long t1 = System.currentTimeMillis() * 1000;
                long mt1 = master.cpuTicks();
                long bt1 = backup.cpuTicks();
                long ms1 = size(master);
                long bs1 = size(backup);
                Bench.hold(AFTER);
                long ms2 = size(master);
                long bs2 = size(backup);
                cap.close();
                if (cap.dropped() != 0) {
                    drops.add(impl + " " + v + " " + kind + " " + rate + ": " + cap.dropped());
                }
                Matcher s = SENT.matcher(flood.output());
                String reached = s.find() ? s.group(3) : "? (" + flood.output().strip().replace('\n', ' ') + ")";
                List<Long> times = new ArrayList<>();
                long fromBackup = 0;
                for (Pcap.Advert a : cap.adverts()) {
                    if (a.micros() < t0 || a.micros() > t1 || a.vrid() != 51) {
                        continue;
                    }
                    if (a.srcMac() == m1 && a.priority() == MASTER) {
                        times.add(a.micros());
                    } else if (a.srcMac() == m2) {
                        fromBackup++;
                    }
                }
                double secs = (t1 - t0) / 1e6;
                long expected = (long) Math.floor(secs / v.advertSeconds());
                double maxGap = maxGap(times, t0, t1);
                String mText = region(master, ms0, ms2);
                String bText = region(backup, bs0, bs2);
                long falseB = count(bText, "Entering MASTER STATE");
                long falseM = count(mText, "Entering BACKUP STATE") + count(mText, "Entering FAULT STATE");
                long mLines = region(master, ms0, ms1).lines().count();
                long bLines = region(backup, bs0, bs1).lines().count();
                String top = topLine(region(master, ms0, ms1) + region(backup, bs0, bs1));
                rows.add(String.format(Locale.ROOT, "%-10s %-8s %-9s %7s %9s %7d %6d %7d %8.2f %7d %7d %8d %8d %7.1f %7.1f  %s",
                        impl, v.version() == 2 ? "v2 PASS" : "v3", kind, rate == 0 ? "max" : Integer.toString(rate),
                        reached, expected, times.size(), Math.max(0, expected - times.size()), maxGap, fromBackup, falseB,
                        falseM, mLines + bLines, 100.0 * (mt1 - mt0) / hz / secs, 100.0 * (bt1 - bt0) / hz / secs, top));
                Bench.write("flood", table(label));
                // back to the normal state before the next flood: master MASTER, backup BACKUP
                if (!recovered(master, backup)) {
                    notes.add(impl + " " + v + " " + kind + " " + rate + ": no master/backup again within 20 s after "
                            + "the flood; the pair was restarted");
                    master.close();
                    backup.close();
                    lab.flushVips();
                    pair = startPair(impl, v);
                }
            }
        }
    }

    private static boolean recovered(Daemon master, Daemon backup) {
        try {
            await("master MASTER and backup BACKUP").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(500))
                    .until(() -> "MASTER".equals(lastState(master)) && "BACKUP".equals(lastState(backup)));
            return true;
        } catch (ConditionTimeoutException e) {
            return false;
        }
    }

    /** The last state entered, read from the last 64 KiB of the log only (a flooded log may be large). */
    private static String lastState(Daemon d) {
        long size = size(d);
        String tail = region(d, Math.max(0, size - 65536), size);
        Matcher m = Pattern.compile("\\(VI_1\\) Entering (MASTER|BACKUP|FAULT) STATE").matcher(tail);
        String s = "";
        while (m.find()) {
            s = m.group(1);
        }
        if (s.isEmpty() && size > 65536) {
            return States.last(d);
        }
        return s;
    }

    /** The most frequent log line (without its timestamp) of the flood, with its count: what the daemon logged. */
    private static String topLine(String text) {
        java.util.Map<String, Integer> counts = new java.util.HashMap<>();
        text.lines().map(l -> l.replaceFirst("^\\w{3} \\w{3} +\\d+ [0-9:]+ \\d{4}: ", "").replaceAll("\\d+", "N"))
                .forEach(l -> counts.merge(l, 1, Integer::sum));
        return counts.entrySet().stream().max(java.util.Map.Entry.comparingByValue()).map(e -> e.getValue() + "x "
                + (e.getKey().length() > 70 ? e.getKey().substring(0, 70) : e.getKey())).orElse("");
    }

    private static long size(Daemon d) {
        try {
            return Files.exists(d.log) ? Files.size(d.log) : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    private static String region(Daemon d, long from, long to) {
        if (to <= from) {
            return "";
        }
        try (RandomAccessFile f = new RandomAccessFile(d.log.toFile(), "r")) {
            byte[] b = new byte[(int) Math.min(to - from, 512L << 20)];
            f.seek(from);
            f.readFully(b);
            return new String(b, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long count(String text, String what) {
        return text.lines().filter(l -> l.contains(what)).count();
    }

    private static double maxGap(List<Long> times, long t0, long t1) {
        long prev = t0;
        long max = 0;
        for (long t : times) {
            max = Math.max(max, t - prev);
            prev = t;
        }
        return Math.max(max, t1 - prev) / 1e6;
    }

    private String table(String label) {
        StringBuilder b = new StringBuilder();
        b.append("Flood benchmark (issue 8 item 7, floods): master r1 priority 150, backup r2 priority 100, VRID 51, "
                + "advert_int 1 s; junk from a third namespace (a1, " + ATTACKER_IP + ") on the same bridge\n");
        b.append(label).append('\n');
        b.append(String.format(Locale.ROOT, "each flood %.0f s (sender: src/test/resources/vrrp-flood.c, raw IPv4 socket, "
                + "sendmmsg); transitions counted up to %.0f s after it%n", SECONDS, AFTER));
        b.append("kinds: random = random bytes as protocol 112; badpass = well-formed v2 adverts, priority 254, wrong "
                + "password; badsum = priority 254 adverts with a bad checksum; othervrid = well-formed priority 254 "
                + "adverts for the 254 other VRIDs\n\n");
        b.append(String.format(Locale.ROOT, "%-10s %-8s %-9s %7s %9s %7s %6s %7s %8s %7s %7s %8s %8s %7s %7s  %s%n", "impl",
                "vrrp", "kind", "rate", "sent pps", "expect", "seen", "missed", "max gap", "bk adv", "false B",
                "false M", "log ln", "CPU m%", "CPU b%", "most frequent log line during the flood"));
        rows.forEach(r -> b.append(r).append('\n'));
        b.append("\ncolumns: rate = requested pps (max = as fast as the sender can); sent pps = what the sender reached; "
                + "expect = the master's adverts due in the flood (flood / 1 s); seen = the master's priority-150 adverts "
                + "on the wire in the flood; missed = expect - seen; max gap = the master's longest silence in the flood "
                + "(edges included), s; bk adv = adverts the backup sent in the flood; false B = backup 'Entering MASTER "
                + "STATE'; false M = master 'Entering BACKUP/FAULT STATE' (both up to " + (int) AFTER + " s after); log ln "
                + "= lines both logs wrote during the flood; CPU m%/b% = master/backup CPU in % of one core\n");
        b.append("\ntcpdump dropped by kernel (the capture keeps only the routers' packets): ").append(drops.isEmpty()
                ? "0 in every flood" : String.join(", ", drops)).append('\n');
        if (!notes.isEmpty()) {
            b.append("\nnotes:\n");
            notes.forEach(n -> b.append("- ").append(n).append('\n'));
        }
        return b.toString();
    }
}
