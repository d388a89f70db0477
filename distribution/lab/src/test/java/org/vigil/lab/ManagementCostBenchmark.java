package org.vigil.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.openmbean.TabularData;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * What the management layer costs one daemon: two Vigils side by side in the same run, each the
 * only router of its own VRID (one instance), one with everything off (the shipped deploy/, no
 * JMX agent), one with the metrics endpoint and status page on, the JDK's local JMX agent started
 * through the Attach API, and, once per second, a scrape of /metrics, a fetch of /status (curl in
 * its namespace) and a JMX read of the instances. Both at advert_int 1 and 0.01. CPU and RSS
 * come from /proc over the same window. Figures only; writes results/management-cost.txt.
 */
class ManagementCostBenchmark extends LabTest {
    static final double WARMUP_SECONDS = Double.parseDouble(System.getProperty("vigil.bench.warmup", "20"));
    static final double WINDOW_SECONDS = Double.parseDouble(System.getProperty("vigil.bench.window", "60"));

    record Row(String advert, String variant, double cpuPct, double rssMb, int polls) {
    }

    private final List<Row> rows = new ArrayList<>();

    static String config(int vrid, String advert) {
        return "vrrp_instance VI_1 {\n    state BACKUP\n    interface lan0\n    virtual_router_id " + vrid
                + "\n    priority 150\n    version 3\n    advert_int " + advert + "\n    virtual_ipaddress {\n"
                + "        203.0.113." + vrid + "/32 dev lan0\n    }\n}\n";
    }

    @Test
    void managementOnBesideOff() throws Exception {
        Assumptions.assumeTrue(Bench.enabled(), "the benchmark runs with -Dvigil.bench=true");
        Path withEndpoint = distWith("deploy/org.vigil.metrics.cfg", "port = 9165\n");
        for (String advert : List.of("1", "0.01")) {
            run(advert, withEndpoint);
        }
        StringBuilder t = new StringBuilder("Management cost: one Vigil, one VRRPv3 instance (master), management off "
                + "beside on in the same run\n" + Bench.label() + "\n");
        t.append(String.format(Locale.ROOT, "warm-up %.0f s, window %.0f s; on = metrics endpoint and status page "
                + "configured, JDK local JMX agent attached, and each second one /metrics scrape, one /status fetch "
                + "(curl) and one JMX read of Instances%n%n", WARMUP_SECONDS, WINDOW_SECONDS));
        t.append("| advert_int | management | CPU, % of one core | RSS at end | polls answered |\n|---|---|---|---|---|\n");
        for (Row r : rows) {
            t.append(String.format(Locale.ROOT, "| %s s | %s | %.2f | %.1f MB | %d |%n", r.advert(), r.variant(),
                    r.cpuPct(), r.rssMb(), r.polls()));
        }
        Bench.write("management-cost", t.toString());
        assertThat(rows).hasSize(4);
    }

    private void run(String advert, Path withEndpoint) throws Exception {
        Daemon off = track(new Daemon.Vigil(lab, "r1", dir("vigil-off-" + advert), config(51, advert)));
        Daemon on = track(new Daemon.Vigil(lab, "r2", dir("vigil-on-" + advert), config(52, advert), withEndpoint));
        await().atMost(START).until(() -> States.last(off).equals("MASTER") && States.last(on).equals("MASTER"));
        try (AttachedJmx jmx = new AttachedJmx(lab, on)) {
            MBeanServerConnection c = jmx.connection();
            ObjectName vrrp = new ObjectName("org.vigil:type=Vrrp");
            poll(on, c, vrrp, WARMUP_SECONDS);
            long ticks = Bench.ticksPerSecond();
            long offStart = off.cpuTicks();
            long onStart = on.cpuTicks();
            long t0 = System.nanoTime();
            int polls = poll(on, c, vrrp, WINDOW_SECONDS);
            double seconds = (System.nanoTime() - t0) / 1e9;
            rows.add(new Row(advert, "off", 100.0 * (off.cpuTicks() - offStart) / ticks / seconds, off.rssKb() / 1024.0, 0));
            rows.add(new Row(advert, "on, polled 1/s", 100.0 * (on.cpuTicks() - onStart) / ticks / seconds,
                    on.rssKb() / 1024.0, polls));
        }
        off.close();
        on.close();
    }

    /** One round per second for the time given: scrape, status page, JMX read; returns the rounds fully answered. */
    private int poll(Daemon on, MBeanServerConnection c, ObjectName vrrp, double seconds) throws Exception {
        int answered = 0;
        long end = System.nanoTime() + (long) (seconds * 1e9);
        long next = System.nanoTime();
        while (next < end) {
            boolean ok = Sh.quiet("ip", "netns", "exec", lab.ns("r2"), "curl", "-sS", "-o", "/dev/null", "--max-time", "2",
                    "http://127.0.0.1:9165/metrics").exit() == 0;
            ok &= Sh.quiet("ip", "netns", "exec", lab.ns("r2"), "curl", "-sS", "-o", "/dev/null", "--max-time", "2",
                    "http://127.0.0.1:9165/status").exit() == 0;
            ok &= ((TabularData) c.getAttribute(vrrp, "Instances")).size() == 1;
            if (ok) {
                answered++;
            }
            next += 1_000_000_000L;
            Bench.hold(Math.max(0, (next - System.nanoTime()) / 1e9));
        }
        return answered;
    }
}
