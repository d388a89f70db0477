package org.vigil.checker.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The text of check:list and check:show; pure, so tests read it without a framework. */
final class StatusText {
    private StatusText() {
    }

    static String list(List<Status.Virtual> all, Status.Totals t, Optional<String> driver) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "%d virtual servers, %d real servers, %d checks (%d active, %d waiting, "
                + "%d checker missing, %d invalid), %d attempts so far; types: %s; load balancer: %s%n",
                t.virtualServers(), t.realServers(), t.probes(), t.active(), t.waiting(), t.missing(), t.invalid(),
                t.attempts(), t.types().isEmpty() ? "none" : String.join(" ", t.types()),
                driver.orElse("none (pools reported only)")));
        if (all.isEmpty()) {
            return b.toString();
        }
        b.append(String.format(Locale.ROOT, "%-28s %-6s %-6s %-8s %-10s %s%n", "VS", "QUORUM", "WEIGHT", "UP",
                "SCHED", "SORRY"));
        for (Status.Virtual v : all) {
            long up = v.reals().stream().filter(Status.Real::inPool).count();
            b.append(String.format(Locale.ROOT, "%-28s %-6s %-6d %-8s %-10s %s%n", v.text(), v.quorumUp() ? "up" : "lost",
                    v.liveWeight(), up + "/" + v.reals().size(), v.scheduler() + "/" + v.method(),
                    v.sorry() == null ? "-" : v.sorry().text() + (v.sorryActive() ? " (active)" : "")));
        }
        return b.toString();
    }

    static String show(Status.Virtual v) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "VS %s: quorum %s (quorum %d, hysteresis %d, live weight %d), lvs_sched %s, "
                + "lvs_method %s%n", v.text(), v.quorumUp() ? "up" : "lost", v.quorum(), v.hysteresis(), v.liveWeight(),
                v.scheduler(), v.method()));
        if (v.sorry() != null) {
            b.append(String.format(Locale.ROOT, "sorry server %s: %s%n", v.sorry().text(),
                    v.sorryActive() ? "in the pool" : "standing by"));
        }
        b.append(String.format(Locale.ROOT, "%-28s %-5s %-6s %-10s %-14s %-8s %-10s %s%n", "REAL SERVER", "STATE",
                "WEIGHT", "CHECK", "STATUS", "FAILURES", "LATENCY", "LAST RESULT"));
        for (Status.Real r : v.reals()) {
            String state = r.inPool() ? "up" : "down";
            int weight = r.inPool() ? r.weight() : r.inhibit() ? 0 : r.weight();
            if (r.checks().isEmpty()) {
                b.append(String.format(Locale.ROOT, "%-28s %-5s %-6d %-10s%n", r.text(), state, weight, "(none)"));
                continue;
            }
            boolean first = true;
            for (Status.Check c : r.checks()) {
                b.append(String.format(Locale.ROOT, "%-28s %-5s %-6s %-10s %-14s %-8d %-10s %s%n", first ? r.text() : "",
                        first ? state : "", first ? String.valueOf(weight) : "", c.type(), status(c), c.failures(),
                        latency(c.latencyMicros()), c.lastLine().isEmpty() ? "-" : c.lastLine()));
                first = false;
            }
        }
        return b.toString();
    }

    /** The check's own state: active, waiting, missing (its type is gone), invalid; ",failed" when its verdict is down. */
    private static String status(Status.Check c) {
        String s = c.status().equals("preparing") ? "active" : c.status();
        return c.up() ? s : s + ",failed";
    }

    static String latency(long micros) {
        if (micros < 0) {
            return "-";
        }
        return micros < 10_000 ? String.format(Locale.ROOT, "%.2f ms", micros / 1000.0)
                : String.format(Locale.ROOT, "%d ms", micros / 1000);
    }

    /** By exact text or key, then by a unique part of either. */
    static Optional<Status.Virtual> find(List<Status.Virtual> all, String name) {
        String n = name.trim();
        for (Status.Virtual v : all) {
            if (v.text().equals(n) || v.key().equals(n)) {
                return Optional.of(v);
            }
        }
        List<Status.Virtual> partial = new ArrayList<>();
        for (Status.Virtual v : all) {
            if (v.text().contains(n) || v.key().contains(n)) {
                partial.add(v);
            }
        }
        return partial.size() == 1 ? Optional.of(partial.get(0)) : Optional.empty();
    }
}
