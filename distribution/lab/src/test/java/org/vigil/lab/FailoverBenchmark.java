package org.vigil.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The failover benchmark (issue 3, item 6): the same dying master (keepalived 2.2.7, priority 150, on r1),
 * first with keepalived, then with Vigil as the backup (priority 100, on r2), VRRPv3 IPv4 at advert 1 s and
 * 0.01 s. Per round: the wire gap from the master's last advert (its priority-0 advert for SIGTERM) to the
 * backup's first, minus the protocol floor (Master_Down_Interval after SIGKILL, Skew_Time after SIGTERM).
 * Also RSS, CPU as master and as backup at 0.01 s, and time from start to first advert. Prints a table and
 * writes it to results/failover.txt. Figures only; nothing here is a timed assertion.
 * Runs with {@code mvn -B -ntp verify -pl distribution/lab -Dvigil.bench=true -Dit.test=FailoverBenchmark}.
 */
class FailoverBenchmark extends LabTest {
    static final int ROUNDS = Integer.getInteger("vigil.bench.rounds", 5);
    /** Which backups and advert intervals run (experiments; the committed table has both of each). */
    static final List<String> BACKUPS = List.of(System.getProperty("vigil.bench.failover.backups", "keepalived,vigil")
            .split(","));
    static final List<String> ADVERTS = List.of(System.getProperty("vigil.bench.failover.adverts", "1,0.01").split(","));
    static final int BACKUP_PRIORITY = 100;
    static final int MASTER_PRIORITY = 150;
    static final Duration CPU_WINDOW = Duration.ofSeconds(15);

    record Row(String backup, String advert, String stop, List<Double> gaps, double floor) {
    }

    record Resources(String who, long rssKb, double masterCpuPct, double backupCpuPct, double firstAdvertMs,
            double floorMs) {
    }

    private final List<Row> rows = new ArrayList<>();
    private final List<Resources> resources = new ArrayList<>();

    @Test
    void failover() throws IOException {
        Assumptions.assumeTrue(Boolean.getBoolean("vigil.bench"), "the benchmark runs with -Dvigil.bench=true");
        for (String backup : BACKUPS) {
            for (String advert : ADVERTS) {
                run(backup, Vrrp.v3(advert));
            }
        }
        String table = table();
        System.out.println(table);
        Path out = Path.of(System.getProperty("vigil.lab.results", "results")).resolve("failover.txt");
        Files.createDirectories(out.getParent());
        Files.writeString(out, table);
        assertThat(rows).hasSize(BACKUPS.size() * ADVERTS.size() * 2).allSatisfy(r -> assertThat(r.gaps()).hasSize(ROUNDS));
    }

    private Daemon startBackup(String backup, Vrrp v) {
        String conf = v.config(backup + "-r2", BACKUP_PRIORITY);
        return backup.equals("vigil") ? vigil("r2", conf) : keepalived("r2", conf);
    }

    private void run(String backupKind, Vrrp v) {
        boolean fast = v.advertSeconds() < 0.1;
        // the backup alone first: it becomes master by itself; that start gives the start-to-first-advert time
        Capture startCap = capture();
        Daemon backup = startBackup(backupKind, v);
        backup.awaitLog("(VI_1) Entering MASTER STATE", START);
        awaitAdverts(startCap, v, "r2", 1);
        startCap.close();
        double firstAdvert = firstTime(startCap, "vrrp && ip.src == 192.0.2.12") * 1000 - backup.startedMillis;

        List<Double> killGaps = new ArrayList<>();
        List<Double> termGaps = new ArrayList<>();
        double backupCpu = Double.NaN;
        for (String stop : List.of("SIGKILL", "SIGTERM")) {
            for (int round = 0; round < ROUNDS; round++) {
                Capture cap = capture();
                int bMark = backup.mark();
                Daemon master = keepalived("r1", v.config("ka-r1", MASTER_PRIORITY));
                master.awaitLog("(VI_1) Entering MASTER STATE", START);
                backup.awaitLog("(VI_1) Entering BACKUP STATE", bMark, START);
                if (fast && Double.isNaN(backupCpu)) {
                    backupCpu = Bench.cpuPercent(backup, CPU_WINDOW);
                }
                awaitAdverts(cap, v, "r1", 2);
                bMark = backup.mark();
                if (stop.equals("SIGKILL")) {
                    master.crash();
                } else {
                    master.term();
                }
                backup.awaitLog("(VI_1) Entering MASTER STATE", bMark, START);
                awaitAdverts(cap, v, "r2", 1);
                cap.close();
                double gap = gapMillis(cap, stop.equals("SIGTERM"));
                (stop.equals("SIGKILL") ? killGaps : termGaps).add(gap);
                Sh.quiet("ip", "-n", lab.ns("r1"), "addr", "del", v.vip() + "/24", "dev", "lan0"); // left by SIGKILL
            }
        }
        String advert = v.advertInt() + " s";
        rows.add(new Row(backupKind, advert, "SIGKILL", killGaps, v.masterDownSeconds(BACKUP_PRIORITY) * 1000));
        rows.add(new Row(backupKind, advert, "SIGTERM", termGaps, v.skewSeconds(BACKUP_PRIORITY) * 1000));
        if (fast) {
            // the backup is master again (the last master stopped): its CPU and memory as master
            resources.add(new Resources(backupKind, backup.rssKb(), Bench.cpuPercent(backup, CPU_WINDOW), backupCpu, firstAdvert,
                    v.masterDownSeconds(BACKUP_PRIORITY) * 1000));
        }
        backup.close();
    }

    private static double firstTime(Capture cap, String filter) {
        List<String[]> f = cap.fields(filter, "frame.time_epoch");
        assertThat(f).as(filter + " in " + cap.pcap).isNotEmpty();
        return Double.parseDouble(f.get(0)[0]);
    }

    /** From r1's last advert (its priority-0 one for a graceful stop) to r2's first advert after it, in ms. */
    private static double gapMillis(Capture cap, boolean graceful) {
        List<String[]> r1 = cap.fields("vrrp && ip.src == 192.0.2.11" + (graceful ? " && vrrp.prio == 0" : ""),
                "frame.number", "frame.time_epoch");
        assertThat(r1).as("r1's adverts in " + cap.pcap).isNotEmpty();
        String[] last = r1.get(r1.size() - 1);
        List<String[]> r2 = cap.fields("vrrp && ip.src == 192.0.2.12 && frame.number > " + last[0], "frame.time_epoch");
        assertThat(r2).as("r2's adverts after frame " + last[0] + " in " + cap.pcap).isNotEmpty();
        return (Double.parseDouble(r2.get(0)[0]) - Double.parseDouble(last[1])) * 1000;
    }

    private static double median(List<Double> l) {
        List<Double> s = new ArrayList<>(l);
        Collections.sort(s);
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }

    private String table() {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT,
                "Failover benchmark: VRRPv3 IPv4, dying master keepalived 2.2.7 (prio %d, r1), backup prio %d (r2), %d rounds%n",
                MASTER_PRIORITY, BACKUP_PRIORITY, ROUNDS));
        b.append("gap = r1's last advert (prio 0 for SIGTERM) -> r2's first advert, from tcpdump on the lab switch; ms\n");
        b.append("floor = Master_Down_Interval (SIGKILL) or Skew_Time (SIGTERM) for prio 100 (RFC 5798 6.1)\n\n");
        b.append(String.format(Locale.ROOT, "%-10s %-7s %-7s %9s %9s %12s %19s%n", "backup", "advert", "stop",
                "gap med", "floor", "gap-floor", "gap-floor min..max"));
        for (Row r : rows) {
            Function<Double, Double> over = g -> g - r.floor();
            List<Double> o = r.gaps().stream().map(over).sorted().toList();
            b.append(String.format(Locale.ROOT, "%-10s %-7s %-7s %9.2f %9.2f %12.2f %9.2f..%-9.2f%n", r.backup(),
                    r.advert(), r.stop(), median(r.gaps()), r.floor(), median(o), o.get(0), o.get(o.size() - 1)));
        }
        b.append(String.format(Locale.ROOT, "%nResources at advert 0.01 s (CPU over %d s, %% of one core; RSS of the "
                + "process tree)%n", CPU_WINDOW.toSeconds()));
        b.append(String.format(Locale.ROOT, "%-10s %8s %11s %11s %18s %20s%n", "process", "RSS MB", "CPU master",
                "CPU backup", "start->1st advert", "minus Master_Down"));
        for (Resources r : resources) {
            b.append(String.format(Locale.ROOT, "%-10s %8.1f %10.2f%% %10.2f%% %15.0f ms %17.0f ms%n", r.who(),
                    r.rssKb() / 1024.0, r.masterCpuPct(), r.backupCpuPct(), r.firstAdvertMs(), r.firstAdvertMs()
                            - r.floorMs()));
        }
        return b.toString();
    }
}
