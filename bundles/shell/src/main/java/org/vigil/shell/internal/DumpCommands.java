package org.vigil.shell.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;

import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.annotations.GogoCommand;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.vigil.api.vrrp.InstanceStatus;
import org.vigil.api.vrrp.KeepalivedStats;
import org.vigil.api.vrrp.TrackStatus;
import org.vigil.api.vrrp.VrrpService;

/**
 * keepalived's introspection files: {@code vigil:dump} is SIGUSR1's /tmp/keepalived.data,
 * {@code vigil:stats} SIGUSR2's /tmp/keepalived.stats ({@code vigil:stats clear} then zeroes the
 * counters, keepalived's STATS_CLEAR), {@code vigil:json} the JSON dump
 * /tmp/keepalived.json (keepalived's fields as far as Vigil has them). Each writes its file
 * (through a temporary file, so a reader never sees half of it) and prints it. No secret is in
 * any of them: the authentication type is, its password never.
 */
@Component(service = DumpCommands.class)
@GogoCommand(scope = "vigil", function = { "dump", "stats", "json" })
public final class DumpCommands {
    static final Path DIR = Path.of("/tmp");

    private final VrrpService vrrp;
    private final StatusFormatter formatter;
    private final Path dir;

    @Activate
    public DumpCommands(@Reference VrrpService vrrp) {
        this(vrrp, DIR);
    }

    DumpCommands(VrrpService vrrp, Path dir) {
        this.vrrp = vrrp;
        this.formatter = new StatusFormatter(Clock.systemUTC(), ZoneId.systemDefault());
        this.dir = dir;
    }

    @Descriptor("writes and prints keepalived's data dump (/tmp/keepalived.data, SIGUSR1)")
    public String dump() {
        StringBuilder b = new StringBuilder("------< VRRP Topology >------\n");
        for (InstanceStatus i : vrrp.instances()) {
            b.append(formatter.show(i, vrrp.tracking(i.name()))).append('\n');
        }
        return write("keepalived.data", b.toString());
    }

    @Descriptor("writes and prints keepalived's statistics (/tmp/keepalived.stats, SIGUSR2)")
    public String stats() {
        StringBuilder b = new StringBuilder();
        for (InstanceStatus i : vrrp.instances()) {
            KeepalivedStats s = KeepalivedStats.of(i.counters());
            b.append("VRRP Instance: ").append(i.name()).append('\n')
                    .append("  Advertisements:\n")
                    .append("    Received: ").append(s.advertRcvd()).append('\n')
                    .append("    Sent: ").append(s.advertSent()).append('\n')
                    .append("  Became master: ").append(s.becomeMaster()).append('\n')
                    .append("  Released master: ").append(s.releaseMaster()).append('\n')
                    .append("  Packet Errors:\n")
                    .append("    Length: ").append(s.packetLenErr()).append('\n')
                    .append("    TTL: ").append(s.ipTtlErr()).append('\n')
                    .append("    Invalid Type: ").append(s.invalidTypeRcvd()).append('\n')
                    .append("    Advertisement Interval: ").append(s.advertIntervalErr()).append('\n')
                    .append("    Address List: ").append(s.addrListErr()).append('\n')
                    .append("  Authentication Errors:\n")
                    .append("    Invalid Type: ").append(s.invalidAuthtype()).append('\n')
                    .append("    Type Mismatch: ").append(s.authtypeMismatch()).append('\n')
                    .append("    Failure: ").append(s.authFailure()).append('\n')
                    .append("  Priority Zero:\n")
                    .append("    Received: ").append(s.priZeroRcvd()).append('\n')
                    .append("    Sent: ").append(s.priZeroSent()).append('\n');
        }
        return write("keepalived.stats", b.toString());
    }

    @Descriptor("writes and prints keepalived's statistics, then sets the counters back to zero (keepalived's STATS_CLEAR)")
    public String stats(@Descriptor("clear") String what) {
        if (!"clear".equals(what.trim())) {
            throw new IllegalArgumentException("vigil:stats takes nothing or 'clear', not '" + what + "'");
        }
        String out = stats();
        vrrp.clearCounters();
        return out + "(counters cleared)\n";
    }

    @Descriptor("writes and prints keepalived's JSON dump (/tmp/keepalived.json)")
    public String json() {
        return write("keepalived.json", json(vrrp.instances(), vrrp::tracking));
    }

    /**
     * keepalived's JSON: an array of {"data": {...}, "stats": {...}}, one per instance. The
     * tracking arrays are keepalived's: track_ifp (interface names), track_script and
     * track_process (the vrrp_script and vrrp_track_process names; keepalived writes a script's
     * command line there, Vigil the name the entry gives), each left out when empty as keepalived does.
     */
    static String json(List<InstanceStatus> instances,
            java.util.function.Function<String, List<TrackStatus>> tracking) {
        StringBuilder b = new StringBuilder("[");
        for (int n = 0; n < instances.size(); n++) {
            InstanceStatus i = instances.get(n);
            KeepalivedStats s = KeepalivedStats.of(i.counters());
            b.append(n == 0 ? "" : ",").append("{\"data\":{");
            field(b, "iname", i.name()).append(',');
            field(b, "vrid", i.vrid()).append(',');
            field(b, "ifp_ifname", i.interfaceName()).append(',');
            field(b, "version", i.version()).append(',');
            field(b, "state", KeepalivedStats.stateNumber(i.state())).append(',');
            field(b, "base_priority", i.basePriority()).append(',');
            field(b, "effective_priority", i.effectivePriority()).append(',');
            field(b, "last_transition", i.enteredState().toEpochMilli() / 1000.0).append(',');
            field(b, "adver_int", i.advertIntervalCs() / 100.0).append(',');
            field(b, "master_adver_int", i.masterAdverIntervalCs() / 100.0).append(',');
            field(b, "nopreempt", i.preempt() ? 0 : 1).append(',');
            field(b, "preempt_delay", i.preemptDelayMillis() / 1000.0).append(',');
            b.append("\"vips\":[");
            for (int v = 0; v < i.virtualAddresses().size(); v++) {
                b.append(v == 0 ? "" : ",");
                string(b, i.virtualAddresses().get(v));
            }
            b.append(']');
            List<TrackStatus> tracked = tracking.apply(i.name());
            names(b, "track_ifp", tracked, TrackStatus.Kind.INTERFACE);
            names(b, "track_script", tracked, TrackStatus.Kind.SCRIPT);
            names(b, "track_process", tracked, TrackStatus.Kind.PROCESS);
            b.append("},\"stats\":{");
            field(b, "advert_rcvd", s.advertRcvd()).append(',');
            field(b, "advert_sent", s.advertSent()).append(',');
            field(b, "become_master", s.becomeMaster()).append(',');
            field(b, "release_master", s.releaseMaster()).append(',');
            field(b, "packet_len_err", s.packetLenErr()).append(',');
            field(b, "advert_interval_err", s.advertIntervalErr()).append(',');
            field(b, "ip_ttl_err", s.ipTtlErr()).append(',');
            field(b, "invalid_type_rcvd", s.invalidTypeRcvd()).append(',');
            field(b, "addr_list_err", s.addrListErr()).append(',');
            field(b, "invalid_authtype", s.invalidAuthtype()).append(',');
            field(b, "authtype_mismatch", s.authtypeMismatch()).append(',');
            field(b, "auth_failure", s.authFailure()).append(',');
            field(b, "pri_zero_rcvd", s.priZeroRcvd()).append(',');
            field(b, "pri_zero_sent", s.priZeroSent());
            b.append("}}");
        }
        return b.append("]\n").toString();
    }

    /** {@code ,"name":["a","b"]} for the tracked objects of one kind; nothing when there are none. */
    private static void names(StringBuilder b, String name, List<TrackStatus> tracked, TrackStatus.Kind kind) {
        List<String> names = tracked.stream().filter(t -> t.kind() == kind).map(TrackStatus::name).distinct().toList();
        if (names.isEmpty()) {
            return;
        }
        b.append(',');
        string(b, name).append(":[");
        for (int n = 0; n < names.size(); n++) {
            string(b.append(n == 0 ? "" : ","), names.get(n));
        }
        b.append(']');
    }

    private static StringBuilder field(StringBuilder b, String name, Object value) {
        string(b, name).append(':');
        if (value instanceof String text) {
            return string(b, text);
        }
        if (value instanceof Double d) {
            return b.append(d == Math.rint(d) ? Long.toString(d.longValue()) : String.format(Locale.ROOT, "%.3f", d));
        }
        return b.append(value);
    }

    private static StringBuilder string(StringBuilder b, String s) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"');
    }

    private String write(String name, String content) {
        Path target = dir.resolve(name);
        try {
            Path tmp = Files.createTempFile(dir, name, ".tmp");
            Files.writeString(tmp, content, StandardCharsets.UTF_8);
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
        }
        return content + "(written to " + target + ")";
    }
}
