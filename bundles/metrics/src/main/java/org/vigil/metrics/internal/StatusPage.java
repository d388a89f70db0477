package org.vigil.metrics.internal;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

import org.vigil.api.check.PoolStatus;
import org.vigil.api.vrrp.InstanceStatus;
import org.vigil.api.vrrp.SyncGroupStatus;

/**
 * Vigil's status page: plain HTML rendered on the server, no script, refreshed by the browser
 * every few seconds. Read-only: it shows what {@code vrrp:list}, {@code check:list} and the
 * transition log show, and offers no action. Every text is escaped; no secret is in its inputs.
 */
final class StatusPage {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT);

    private StatusPage() {
    }

    /** What one page shows; a part that is not installed (the checker) is null. */
    record Inputs(String host, Instant now, ZoneId zone, List<InstanceStatus> instances, List<SyncGroupStatus> groups,
            List<PoolStatus.VirtualServer> virtualServers, List<RecentEvents.Event> events) {
    }

    static String render(Inputs in) {
        StringBuilder b = new StringBuilder(8192);
        b.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta http-equiv=\"refresh\" content=\"5\">")
                .append("<title>Vigil on ").append(esc(in.host())).append("</title><style>")
                .append("body{font-family:sans-serif;margin:1.5em;color:#222}table{border-collapse:collapse;margin-bottom:1.5em}")
                .append("th,td{border:1px solid #bbb;padding:.25em .6em;text-align:left}th{background:#eee}")
                .append(".MASTER,.UP{background:#c8f0c8}.BACKUP{background:#dde8ff}.FAULT,.DOWN{background:#f8c8c8}")
                .append(".INIT{background:#eee}small{color:#666}</style></head><body>\n");
        b.append("<h1>Vigil on ").append(esc(in.host())).append("</h1>\n<p><small>").append(time(in, in.now()))
                .append(" &middot; read-only &middot; refreshes every 5 s</small></p>\n");

        b.append("<h2>VRRP instances</h2>\n");
        if (in.instances() == null) {
            b.append("<p>The election core is not running.</p>\n");
        } else if (in.instances().isEmpty()) {
            b.append("<p>No instance is configured.</p>\n");
        } else {
            b.append("<table id=\"instances\"><tr><th>Instance</th><th>State</th><th>Priority</th><th>VRID</th>")
                    .append("<th>Interface</th><th>Master</th><th>VIPs held</th><th>Since</th></tr>\n");
            for (InstanceStatus s : in.instances()) {
                b.append("<tr><td>").append(esc(s.name())).append("</td><td class=\"").append(s.state().name())
                        .append("\">").append(s.state().name()).append("</td><td>").append(s.effectivePriority())
                        .append(s.effectivePriority() == s.basePriority() ? "" : " (" + s.basePriority() + ")")
                        .append("</td><td>").append(s.vrid()).append("</td><td>").append(esc(s.interfaceName()))
                        .append("</td><td>").append(esc(s.masterAddress() == null ? "-" : s.masterAddress()))
                        .append("</td><td>").append(esc(s.heldAddresses().isEmpty() ? "-"
                                : String.join(", ", s.heldAddresses())))
                        .append("</td><td>").append(s.enteredState() == null ? "-" : time(in, s.enteredState()))
                        .append("</td></tr>\n");
            }
            b.append("</table>\n");
        }

        if (in.groups() != null && !in.groups().isEmpty()) {
            b.append("<h2>Sync groups</h2>\n<table id=\"groups\"><tr><th>Group</th><th>State</th><th>Members</th></tr>\n");
            for (SyncGroupStatus g : in.groups()) {
                b.append("<tr><td>").append(esc(g.name())).append("</td><td class=\"").append(g.state().name())
                        .append("\">").append(g.state().name()).append("</td><td>")
                        .append(esc(String.join(", ", g.members()))).append("</td></tr>\n");
            }
            b.append("</table>\n");
        }

        if (in.virtualServers() != null && !in.virtualServers().isEmpty()) {
            b.append("<h2>Virtual servers</h2>\n");
            for (PoolStatus.VirtualServer v : in.virtualServers()) {
                b.append("<h3>").append(esc(v.text())).append(" <small>").append(esc(v.scheduler())).append('/')
                        .append(esc(v.method())).append(", quorum ").append(v.quorumUp() ? "up" : "lost")
                        .append(", live weight ").append(v.liveWeight())
                        .append(v.sorryActive() ? ", sorry server active" : "").append("</small></h3>\n")
                        .append("<table class=\"pool\"><tr><th>Real server</th><th>State</th><th>Weight</th>")
                        .append("<th>Checks</th><th>Last result</th></tr>\n");
                for (PoolStatus.RealServer r : v.realServers()) {
                    real(b, r);
                }
                if (v.sorryServer() != null) {
                    real(b, v.sorryServer());
                }
                b.append("</table>\n");
            }
        }

        b.append("<h2>Recent events</h2>\n");
        if (in.events().isEmpty()) {
            b.append("<p>None since start.</p>\n");
        } else {
            b.append("<table id=\"events\"><tr><th>Time</th><th>Kind</th><th>Event</th></tr>\n");
            for (RecentEvents.Event e : in.events()) {
                b.append("<tr><td>").append(time(in, e.time())).append("</td><td>").append(esc(e.kind()))
                        .append("</td><td>").append(esc(e.text())).append("</td></tr>\n");
            }
            b.append("</table>\n");
        }
        return b.append("</body></html>\n").toString();
    }

    private static void real(StringBuilder b, PoolStatus.RealServer r) {
        String state = r.inPool() ? "UP" : "DOWN";
        StringBuilder checks = new StringBuilder();
        StringBuilder last = new StringBuilder();
        for (PoolStatus.Check c : r.checks()) {
            checks.append(checks.length() == 0 ? "" : ", ").append(c.type()).append(c.up() ? "" : " (failing)");
            if (!c.lastLine().isEmpty()) {
                last.append(last.length() == 0 ? "" : "; ").append(c.lastLine());
            }
        }
        b.append("<tr><td>").append(esc(r.text())).append(r.sorry() ? " <small>sorry server</small>" : "")
                .append("</td><td class=\"").append(state).append("\">").append(state).append("</td><td>")
                .append(r.weight()).append("</td><td>").append(esc(checks.length() == 0 ? "-" : checks.toString()))
                .append("</td><td>").append(esc(last.length() == 0 ? "-" : last.toString())).append("</td></tr>\n");
    }

    private static String time(Inputs in, Instant t) {
        return TIME.format(t.atZone(in.zone()));
    }

    static String esc(String s) {
        StringBuilder b = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }
}
