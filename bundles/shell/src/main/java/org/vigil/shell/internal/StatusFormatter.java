package org.vigil.shell.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.vigil.api.vrrp.DriverInfo;
import org.vigil.api.vrrp.InstanceCounters;
import org.vigil.api.vrrp.InstanceStatus;
import org.vigil.api.vrrp.TrackStatus;

/**
 * Turns instance snapshots into the text the shell shows. Pure: the clock and zone are given, so
 * the same snapshot always gives the same text.
 */
final class StatusFormatter {

    static final String NO_INSTANCES = "No VRRP instances configured.";
    private static final String[] LIST_HEADER = { "NAME", "STATE", "PRIO", "VRID", "IF", "MASTER", "VIPS" };
    private static final String GAP = "  ";
    private static final int LABEL_WIDTH = 18;

    private final Clock clock;
    private final DateTimeFormatter timeFormat;

    StatusFormatter(Clock clock, ZoneId zone) {
        this.clock = clock;
        this.timeFormat = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(zone);
    }

    /**
     * The drivers present, highest ranked first, the active one marked with '*'; then what decides
     * (a selected name, or the ranking), and a warning when the selected driver is absent.
     */
    String drivers(List<DriverInfo> drivers, String selected) {
        StringBuilder out = new StringBuilder();
        if (drivers.isEmpty()) {
            out.append("No interface drivers present.\n");
        } else {
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[] { "", "DRIVER", "RANKING" });
            for (DriverInfo d : drivers) {
                rows.add(new String[] { d.active() ? "*" : "", d.name(), Integer.toString(d.ranking()) });
            }
            out.append(table(rows)).append('\n');
        }
        out.append(selected == null ? "Selected by ranking." : "Selected by name: " + selected + ".");
        boolean selectedPresent = selected != null && drivers.stream().anyMatch(d -> d.name().equals(selected));
        String active = drivers.stream().filter(DriverInfo::active).map(DriverInfo::name).findFirst().orElse(null);
        if (active == null) {
            out.append(selected != null && !selectedPresent
                    ? "\nNo driver named '" + selected + "' is present, nor any other: every instance is in FAULT until one appears."
                    : "\nNo interface driver is active: every instance is in FAULT.");
        } else if (selected != null && !selectedPresent) {
            // a preference (swap contract): the best remaining driver carries the instances meanwhile
            out.append("\nNo driver named '").append(selected).append("' is present: ").append(active)
                    .append(" carries the instances until it appears.");
        }
        return out.toString();
    }

    /** One line per instance under a header, columns as wide as their widest cell. */
    String list(List<InstanceStatus> instances) {
        if (instances.isEmpty()) {
            return NO_INSTANCES;
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(LIST_HEADER);
        for (InstanceStatus s : instances) {
            rows.add(new String[] { s.name(), s.state().name(), priority(s), String.valueOf(s.vrid()),
                    s.interfaceName(), orDash(s.masterAddress()),
                    s.heldAddresses().size() + "/" + s.virtualAddresses().size() });
        }
        return table(rows);
    }

    /** Everything about one instance, one fact per line. */
    /** The instance, then what it tracks: each object's verdict, weight and share of the priority. */
    String show(InstanceStatus s, List<TrackStatus> tracking) {
        if (tracking.isEmpty()) {
            return show(s);
        }
        StringBuilder out = new StringBuilder(show(s)).append("\nTracking\n");
        for (TrackStatus t : tracking) {
            String what = t.kind().name().toLowerCase(java.util.Locale.ROOT) + " " + t.name();
            String effect = t.fault() ? "FAULT" : t.weight() == 0 ? "ok (FAULT when failing)"
                    : (t.contribution() >= 0 ? "+" : "") + t.contribution();
            out.append("  ").append(pad(what, LABEL_WIDTH + 4)).append(pad(t.status(), 16))
                    .append(pad("weight " + t.weight() + (t.reverse() ? " reverse" : ""), 20)).append(effect)
                    .append('\n');
        }
        return out.toString().stripTrailing();
    }

    String show(InstanceStatus s) {
        StringBuilder out = new StringBuilder();
        out.append("VRRP instance ").append(s.name()).append('\n');
        line(out, "State", s.state() + since(s.enteredState()));
        line(out, "Version", "VRRPv" + s.version() + ", " + s.family());
        line(out, "Interface", s.interfaceName());
        line(out, "Virtual router", String.valueOf(s.vrid()));
        line(out, "Priority", s.effectivePriority() + " effective, " + s.basePriority() + " configured");
        line(out, "Preempt", s.preempt() ? "yes, delay " + s.preemptDelayMillis() + " ms" : "no (nopreempt)");
        line(out, "Advert interval", seconds(s.advertIntervalCs()) + " configured, "
                + seconds(s.masterAdverIntervalCs()) + " learned from master");
        line(out, "Skew", millis(s.skewMicros()));
        line(out, "Master down", millis(s.masterDownMicros()));
        line(out, "Master", orDash(s.masterAddress()));
        line(out, "VIPs configured", addresses(s.virtualAddresses()));
        line(out, "VIPs held", addresses(s.heldAddresses()));
        out.append("Counters\n");
        InstanceCounters c = s.counters();
        counter(out, "adverts sent", c.advertsSent());
        counter(out, "adverts received", c.advertsReceived());
        counter(out, "became master", c.becameMaster());
        counter(out, "released master", c.releasedMaster());
        counter(out, "priority 0 sent", c.priorityZeroSent());
        counter(out, "priority 0 received", c.priorityZeroReceived());
        counter(out, "dropped", c.droppedTotal());
        for (Map.Entry<String, Long> drop : new TreeMap<>(c.dropped()).entrySet()) {
            counter(out, "  " + drop.getKey(), drop.getValue());
        }
        counter(out, "address list differs", c.addressListMismatch());
        counter(out, "late timers", c.lateTimers());
        if (!c.channelDropped().isEmpty()) {
            // drops on the channel this instance shares, which belong to no instance
            out.append("Channel (shared with the instances on ").append(s.interfaceName()).append(")\n");
            for (Map.Entry<String, Long> drop : new TreeMap<>(c.channelDropped()).entrySet()) {
                counter(out, "dropped " + drop.getKey(), drop.getValue());
            }
        }
        return out.toString().stripTrailing();
    }

    private static String priority(InstanceStatus s) {
        return s.effectivePriority() == s.basePriority() ? String.valueOf(s.effectivePriority())
                : s.effectivePriority() + " (" + s.basePriority() + ")";
    }

    private String since(Instant entered) {
        if (entered == null) {
            return "";
        }
        Duration age = Duration.between(entered, clock.instant());
        return " since " + timeFormat.format(entered) + " (" + duration(age.isNegative() ? Duration.ZERO : age) + ")";
    }

    /** "3d 04h 05m 06s", leading zero units left out, always the seconds. */
    static String duration(Duration d) {
        long s = d.getSeconds();
        long days = s / 86_400;
        long hours = s / 3_600 % 24;
        long minutes = s / 60 % 60;
        long seconds = s % 60;
        if (days > 0) {
            return String.format("%dd %02dh %02dm %02ds", days, hours, minutes, seconds);
        }
        if (hours > 0) {
            return String.format("%dh %02dm %02ds", hours, minutes, seconds);
        }
        if (minutes > 0) {
            return String.format("%dm %02ds", minutes, seconds);
        }
        return seconds + "s";
    }

    /** Centiseconds as seconds with two decimals, exactly. */
    static String seconds(int centiseconds) {
        return centiseconds / 100 + "." + String.format("%02d", centiseconds % 100) + " s";
    }

    /** Microseconds as milliseconds with three decimals, exactly. */
    static String millis(long micros) {
        String sign = micros < 0 ? "-" : "";
        long abs = Math.abs(micros);
        return sign + abs / 1000 + "." + String.format("%03d", abs % 1000) + " ms";
    }

    private static String addresses(List<String> addresses) {
        return addresses.isEmpty() ? "-" : String.join(", ", addresses);
    }

    private static String orDash(String s) {
        return s == null || s.isEmpty() ? "-" : s;
    }

    private static void line(StringBuilder out, String label, String value) {
        out.append(pad(label, LABEL_WIDTH)).append(value).append('\n');
    }

    private static void counter(StringBuilder out, String label, long value) {
        out.append("  ").append(pad(label, LABEL_WIDTH + 4)).append(value).append('\n');
    }

    private static String table(List<String[]> rows) {
        int[] widths = new int[rows.get(0).length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                line.append(i == row.length - 1 ? row[i] : row[i] + " ".repeat(widths[i] - row[i].length()) + GAP);
            }
            out.append(line.toString().stripTrailing()).append('\n');
        }
        return out.toString().stripTrailing();
    }

    /** Pads to the width, keeping at least one space after an over-long label. */
    private static String pad(String s, int width) {
        return s.length() >= width ? s + " " : s + " ".repeat(width - s.length());
    }
}
