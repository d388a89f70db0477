package org.vigil.checker.internal;

import java.util.List;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.vigil.api.metrics.MetricSource;
import org.vigil.api.metrics.MetricWriter;
import org.vigil.api.metrics.MetricWriter.Type;

/**
 * The pools for the metrics endpoint. keepalived's exporters report no real-server health, so
 * the names follow HAProxy's per-server check metrics in Vigil's namespace: a virtual server's
 * quorum and live weight, each real server's pool membership and weight, each check's state,
 * consecutive failures and last duration.
 */
@Component(service = MetricSource.class)
public final class CheckerMetrics implements MetricSource {
    private final Checker checker;

    @Activate
    public CheckerMetrics(@Reference Checker checker) {
        this.checker = checker;
    }

    @Override
    public void collect(MetricWriter out) {
        write(checker.snapshot(), checker.totals(), out);
        out.family("vigil_checker_check_duration_seconds", Type.HISTOGRAM, "Duration of every check attempt, by type");
        new java.util.TreeMap<>(checker.durations()).forEach((type, h) -> out.histogram(h.snapshot(), "check", type));
    }

    static void write(List<Status.Virtual> pools, Status.Totals totals, MetricWriter out) {
        out.family("vigil_virtual_server_quorum_up", Type.GAUGE, "1 while the virtual server has its quorum");
        pools.forEach(v -> out.sample(v.quorumUp() ? 1 : 0, "vs", v.text()));
        out.family("vigil_virtual_server_live_weight", Type.GAUGE, "Sum of the weights of the real servers in the pool");
        pools.forEach(v -> out.sample(v.liveWeight(), "vs", v.text()));
        out.family("vigil_virtual_server_sorry_active", Type.GAUGE, "1 while the sorry server replaces the pool");
        pools.forEach(v -> out.sample(v.sorryActive() ? 1 : 0, "vs", v.text()));
        out.family("vigil_real_server_up", Type.GAUGE, "1 while the real server is in its virtual server's pool");
        pools.forEach(v -> v.reals().forEach(r -> out.sample(r.inPool() ? 1 : 0, "vs", v.text(), "rs", r.text())));
        out.family("vigil_real_server_weight", Type.GAUGE, "The real server's weight");
        pools.forEach(v -> v.reals().forEach(r -> out.sample(r.weight(), "vs", v.text(), "rs", r.text())));
        out.family("vigil_real_server_check_up", Type.GAUGE, "1 while the check's verdict is up");
        eachCheck(pools, (v, r, i, c) -> out.sample(c.up() ? 1 : 0, labels(v, r, i, c)));
        out.family("vigil_real_server_check_failures", Type.GAUGE, "Consecutive failed attempts of the check");
        eachCheck(pools, (v, r, i, c) -> out.sample(c.failures(), labels(v, r, i, c)));
        out.family("vigil_real_server_check_duration_seconds", Type.GAUGE, "Duration of the check's last attempt");
        eachCheck(pools, (v, r, i, c) -> {
            if (c.latencyMicros() >= 0) {
                out.sample(c.latencyMicros() / 1e6, labels(v, r, i, c));
            }
        });
        out.family("vigil_checker_attempts_total", Type.COUNTER, "Check attempts started");
        out.sample(totals.attempts());
        out.family("vigil_checker_checks", Type.GAUGE, "Checks by state");
        out.sample(totals.active(), "state", "active");
        out.sample(totals.waiting(), "state", "waiting");
        out.sample(totals.missing(), "state", "checker_missing");
        out.sample(totals.invalid(), "state", "invalid");
    }

    private interface CheckVisitor {
        void visit(Status.Virtual v, Status.Real r, int index, Status.Check c);
    }

    private static void eachCheck(List<Status.Virtual> pools, CheckVisitor visitor) {
        for (Status.Virtual v : pools) {
            for (Status.Real r : v.reals()) {
                for (int i = 0; i < r.checks().size(); i++) {
                    visitor.visit(v, r, i, r.checks().get(i));
                }
            }
        }
    }

    /** A real server may carry several checks of one type: the index tells them apart. */
    private static String[] labels(Status.Virtual v, Status.Real r, int index, Status.Check c) {
        return new String[] { "vs", v.text(), "rs", r.text(), "check", c.type(), "index", Integer.toString(index) };
    }
}
