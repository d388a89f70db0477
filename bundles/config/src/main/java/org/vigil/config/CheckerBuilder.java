package org.vigil.config;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads virtual_server and virtual_server_group blocks into the model, with keepalived 2.2.7's
 * checks, fix-ups and wording. Check blocks are kept as tokens ({@link CheckBlock}); only the
 * keywords every checker shares (connect_ip, connect_port, retry, ...) are checked here, the
 * rest is the type's business. {@link #finish} does what needs every block read: group
 * references, duplicates, quorum against the weights.
 */
final class CheckerBuilder {

    /** keepalived's schedulers (ip_vs_*.ko). */
    static final Set<String> SCHEDULERS = Set.of("rr", "wrr", "lc", "wlc", "lblc", "sh", "mh", "dh", "fo", "ovf",
            "lblcr", "sed", "nq", "twos");
    /** Scheduler flags, each a keyword of its own on the virtual server. */
    static final Set<String> SCHEDULER_FLAGS = Set.of("hashed", "flag-1", "flag-2", "flag-3", "sh-port",
            "sh-fallback", "mh-port", "mh-fallback");
    /** The largest persistence_timeout keepalived takes: 31 days. */
    static final long MAX_PERSISTENCE_TIMEOUT = 2_678_400;
    static final long MAX_WEIGHT = Integer.MAX_VALUE;
    static final long MAX_UINT = 0xFFFF_FFFFL;

    /** Keywords every checker takes (MISC_CHECK, BFD_CHECK and FILE_CHECK fewer, keepalived does not mind). */
    static final Set<String> CHECK_COMMON = Set.of("connect_ip", "connect_port", "bindto", "bind_if", "bind_port",
            "fwmark", "alpha", "connect_timeout", "retry", "nb_get_retry", "delay_before_retry", "warmup", "delay_loop",
            "log_all_failures");
    /** Each keepalived type's own keywords, for "Unknown keyword" inside its block. */
    static final Map<String, Set<String>> CHECK_KEYWORDS = Map.of(
            "HTTP_GET", Set.of("url", "http_protocol", "virtualhost", "fast_recovery", "enable_sni"),
            "SSL_GET", Set.of("url", "http_protocol", "virtualhost", "fast_recovery", "enable_sni"),
            "TCP_CHECK", Set.of(),
            "SMTP_CHECK", Set.of("helo_name", "host"),
            "DNS_CHECK", Set.of("type", "name"),
            "MISC_CHECK", Set.of("misc_path", "misc_timeout", "misc_dynamic", "user"),
            "BFD_CHECK", Set.of("name", "weight"),
            "UDP_CHECK", Set.of("payload", "require_reply", "min_reply_length", "max_reply_length"),
            "PING_CHECK", Set.of(),
            "FILE_CHECK", Set.of("track_file", "file", "dynamic", "weight"));
    static final Set<String> URL_KEYWORDS = Set.of("path", "digest", "status_code", "virtualhost", "regex",
            "regex_no_match", "regex_options", "regex_stack", "regex_min_offset", "regex_max_offset");
    static final Set<String> HTTP_PROTOCOLS = Set.of("1.0", "1.0C", "1.0c", "1.1");

    private final List<Diagnostic> diagnostics;

    CheckerBuilder(List<Diagnostic> diagnostics) {
        this.diagnostics = diagnostics;
    }

    // ---- virtual_server_group

    VirtualServerGroup group(ConfigNode node) {
        if (node.args().isEmpty()) {
            error(node, "virtual_server_group needs a name");
            return null;
        }
        String name = node.args().get(0);
        List<String> addresses = new ArrayList<>();
        List<String> fwmarks = new ArrayList<>();
        for (ConfigNode e : children(node)) {
            if (e.keyword().equals("fwmark")) {
                String v = e.args().isEmpty() ? "" : e.args().get(0);
                Long mark = parseUnsigned(v, MAX_UINT);
                if (mark == null) {
                    error(e, "(" + name + "): fwmark '" + v + "' must be in [0, " + MAX_UINT + "] - ignoring");
                    continue;
                }
                String family = e.args().size() > 1 ? e.args().get(1) : null;
                if (family != null && !family.equals("inet") && !family.equals("inet6")) {
                    error(e, "(" + name + "): fwmark '" + mark + "' family " + family + " unknown - ignoring");
                    continue;
                }
                fwmarks.add(family == null ? String.valueOf(mark) : mark + " " + family);
                continue;
            }
            String range = groupRange(e, name);
            if (range == null) {
                continue;
            }
            String port = "0";
            if (!e.args().isEmpty()) {
                Long p = parseUnsigned(e.args().get(0), 65535);
                if (p == null) {
                    error(e, "Invalid virtual server group IP address " + e.keyword() + " " + e.args().get(0)
                            + " - skipping");
                    continue;
                }
                port = String.valueOf(p);
            }
            addresses.add(range + " " + port);
        }
        if (addresses.isEmpty() && fwmarks.isEmpty()) {
            corrected(node, "virtual server group " + name + " has no entries - removing");
            return null;
        }
        return new VirtualServerGroup(name, addresses, fwmarks, node.origin());
    }

    /** "FIRST-LAST" for an address, an a.b.c.d-e range, a full range or a CIDR block; null when bad. */
    private String groupRange(ConfigNode e, String group) {
        String text = e.keyword();
        int slash = text.indexOf('/');
        int dash = text.indexOf('-');
        if (slash >= 0) {
            InetAddress base = IpLiterals.parse(text.substring(0, slash));
            Integer bits = ModelBuilder.parseInt(text.substring(slash + 1));
            int max = base instanceof Inet4Address ? 32 : 128;
            if (base == null || bits == null || bits < 0 || bits > max) {
                error(e, "Invalid netmask - " + text + " - skipping");
                return null;
            }
            BigInteger value = new BigInteger(1, base.getAddress());
            BigInteger hostMask = BigInteger.ONE.shiftLeft(max - bits).subtract(BigInteger.ONE);
            if (!value.and(hostMask).equals(BigInteger.ZERO)) {
                error(e, "Address mask bits not empty - " + text + " - skipping");
                return null;
            }
            return IpLiterals.text(base) + "-" + IpLiterals.text(address(value.or(hostMask), base));
        }
        if (dash > 0) {
            InetAddress first = IpLiterals.parse(text.substring(0, dash));
            String end = text.substring(dash + 1);
            if (first == null) {
                error(e, "Invalid virtual server group IP address " + text + " - skipping");
                return null;
            }
            InetAddress last = IpLiterals.parse(end);
            if (last == null) {
                // the short form: the last octet (IPv4) or group (IPv6) only
                last = shortRangeEnd(first, end);
            }
            if (last == null) {
                error(e, "Invalid range end " + end + " - skipping");
                return null;
            }
            if ((first instanceof Inet4Address) != (last instanceof Inet4Address)) {
                error(e, "Range address families do not match " + text + " - skipping");
                return null;
            }
            int c = new BigInteger(1, last.getAddress()).compareTo(new BigInteger(1, first.getAddress()));
            if (c < 0) {
                error(e, "Address range end is less than address range start - " + text + " - skipping");
                return null;
            }
            return IpLiterals.text(first) + "-" + IpLiterals.text(last);
        }
        InetAddress a = IpLiterals.parse(text);
        if (a == null) {
            error(e, "Invalid virtual server group IP address " + e.line() + " - skipping");
            return null;
        }
        return IpLiterals.text(a) + "-" + IpLiterals.text(a);
    }

    private static InetAddress shortRangeEnd(InetAddress first, String end) {
        byte[] b = first.getAddress();
        if (first instanceof Inet4Address) {
            Long v = parseUnsigned(end, 255);
            if (v == null) {
                return null;
            }
            b[3] = (byte) v.intValue();
        } else {
            if (!end.matches("[0-9A-Fa-f]{1,4}")) {
                return null;
            }
            int v = Integer.parseInt(end, 16);
            b[14] = (byte) (v >> 8);
            b[15] = (byte) v;
        }
        try {
            return InetAddress.getByAddress(b);
        } catch (UnknownHostException ex) {
            return null;
        }
    }

    private static InetAddress address(BigInteger value, InetAddress like) {
        int len = like.getAddress().length;
        byte[] raw = value.toByteArray();
        byte[] b = new byte[len];
        int copy = Math.min(len, raw.length);
        System.arraycopy(raw, raw.length - copy, b, len - copy, copy);
        try {
            return InetAddress.getByAddress(b);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    // ---- virtual_server

    VirtualServer virtualServer(ConfigNode node) {
        VirtualServer vs = identity(node);
        if (vs == null) {
            return null;
        }
        for (ConfigNode n : children(node)) {
            String k = n.keyword();
            switch (k) {
                case "delay_loop" -> vs.delayLoop = orElse(timer(n, true, "virtual server delay loop '%s' invalid - ignoring"),
                        vs.delayLoop);
                case "lvs_sched", "lb_algo" -> {
                    String s = single(n);
                    if (s != null && SCHEDULERS.contains(s)) {
                        vs.scheduler = s;
                    } else if (s != null) {
                        error(n, "Invalid lvs_scheduler '" + s + "' - ignoring");
                    }
                }
                case "ops" -> vs.ops = true;
                case "lvs_method", "lb_kind" -> vs.method = orElse(method(n, "virtual"), vs.method);
                case "persistence_engine" -> vs.persistenceEngine = single(n);
                case "persistence_timeout" -> {
                    if (n.args().isEmpty()) {
                        vs.persistenceTimeout = VirtualServer.DEFAULT_PERSISTENCE_TIMEOUT;
                    } else {
                        Long t = parseUnsigned(n.args().get(0), MAX_PERSISTENCE_TIMEOUT);
                        if (t == null || t < 1) {
                            error(n, "persistence_timeout invalid");
                        } else {
                            vs.persistenceTimeout = t;
                        }
                    }
                }
                case "persistence_granularity" -> vs.persistenceGranularity = granularity(n, vs);
                case "protocol" -> {
                    String p = single(n);
                    if (p != null) {
                        switch (p.toUpperCase(Locale.ROOT)) {
                            case "TCP", "UDP", "SCTP" -> {
                                vs.protocol = p.toLowerCase(Locale.ROOT);
                                vs.protocolWritten = true;
                            }
                            default -> error(n, "Unknown protocol " + p + " - ignoring");
                        }
                    }
                }
                case "ip_family" -> {
                    String f = single(n);
                    if ("inet".equals(f) || "inet6".equals(f)) {
                        if (vs.kind == VirtualServer.Kind.ADDRESS && !f.equals(vs.family)) {
                            error(n, "Virtual server specified family " + f + " conflicts with server family");
                        } else {
                            vs.family = f;
                            vs.familyWritten = true;
                        }
                    } else if (f != null) {
                        error(n, "unknown address family " + f);
                    }
                }
                case "ha_suspend" -> vs.haSuspend = true;
                case "smtp_alert" -> vs.smtpAlert = bool(n, "Invalid virtual_server smtp_alert parameter %s");
                case "virtualhost" -> {
                    if (n.args().isEmpty()) {
                        error(n, "virtual server virtualhost missing");
                    } else {
                        vs.virtualhost = n.args().get(0);
                    }
                }
                case "snmp_name" -> {
                    if (n.args().size() != 1) {
                        error(n, "virtual server snmp_name missing or extra parameters");
                    } else {
                        vs.snmpName = n.args().get(0);
                    }
                }
                case "alpha" -> vs.alpha = true;
                case "omega" -> vs.omega = true;
                case "quorum" -> {
                    String v = single(n);
                    Long q = v == null ? null : parseUnsigned(v, MAX_UINT);
                    if (v != null && (q == null || q < 1)) {
                        error(n, "Quorum " + v + " must be in [1, " + MAX_UINT + "]. Setting to 1.");
                        vs.quorum = 1;
                    } else if (q != null) {
                        vs.quorum = q;
                    }
                }
                case "hysteresis" -> {
                    String v = single(n);
                    Long h = v == null ? null : parseUnsigned(v, MAX_UINT);
                    if (v != null && h == null) {
                        error(n, "Hysteresis " + v + " must be in [0, " + MAX_UINT + "] - ignoring");
                    } else if (h != null) {
                        vs.hysteresis = h;
                    }
                }
                case "quorum_up" -> vs.quorumUp = script(n, vs.quorumUp, "(" + vs.written() + ") ");
                case "quorum_down" -> vs.quorumDown = script(n, vs.quorumDown, "(" + vs.written() + ") ");
                case "sorry_server" -> {
                    RealServer rs = server(n, true);
                    if (rs != null) {
                        vs.sorryServer = rs;
                    }
                }
                case "sorry_server_inhibit" -> {
                    if (vs.sorryServer == null) {
                        corrected(n, "Ignoring sorry_server inhibit used before or without sorry_server");
                    } else {
                        vs.sorryServerInhibit = true;
                    }
                }
                case "sorry_server_lvs_method" -> {
                    if (vs.sorryServer == null) {
                        corrected(n, "sorry_server forwarding used without sorry_server");
                    } else {
                        vs.sorryServerMethod = orElse(method(n, "sorry"), vs.sorryServerMethod);
                    }
                }
                case "connect_timeout" -> vs.connectTimeout = orElse(
                        timer(n, true, "virtual server connect_timeout %s invalid - ignoring"), vs.connectTimeout);
                case "retry" -> vs.retry = orElse(retry(n, "retry value invalid - %s"), vs.retry);
                case "delay_before_retry" -> vs.delayBeforeRetry = orElse(
                        timer(n, false, "virtual server delay before retry '%s' invalid - ignoring"),
                        vs.delayBeforeRetry);
                case "warmup" -> vs.warmup = orElse(timer(n, false, "virtual server warmup '%s' invalid - ignoring"),
                        vs.warmup);
                case "inhibit_on_failure" -> vs.inhibitOnFailure = orElse(
                        bool(n, "Invalid inhibit_on_failure parameter %s"), vs.inhibitOnFailure);
                case "real_server" -> {
                    RealServer rs = server(n, false);
                    if (rs != null) {
                        realServer(n, rs);
                        vs.realServers.add(rs);
                    }
                }
                default -> {
                    if (SCHEDULER_FLAGS.contains(k)) {
                        if (!vs.schedulerFlags.contains(k)) {
                            vs.schedulerFlags.add(k);
                        }
                    } else {
                        unknown(n);
                    }
                }
            }
        }
        return fixUps(node, vs) ? vs : null;
    }

    private VirtualServer identity(ConfigNode node) {
        List<String> a = node.args();
        if (!node.hasBlock()) {
            error(node, "virtual_server " + String.join(" ", a) + " needs a block { ... }");
            return null;
        }
        if (a.isEmpty()) {
            error(node, "virtual_server needs an address, fwmark or group");
            return null;
        }
        if (a.get(0).equals("fwmark")) {
            String v = a.size() > 1 ? a.get(1) : "";
            Long mark = parseUnsigned(v, MAX_UINT);
            if (mark == null) {
                error(node, "virtual server fwmark '" + v + "' must be in [0, " + MAX_UINT + "] - ignoring");
                return null;
            }
            return new VirtualServer(VirtualServer.Kind.FWMARK, null, 0, mark, null, node.origin());
        }
        if (a.get(0).equals("group")) {
            if (a.size() < 2) {
                error(node, "virtual_server group needs a name");
                return null;
            }
            return new VirtualServer(VirtualServer.Kind.GROUP, null, 0, 0, a.get(1), node.origin());
        }
        InetAddress address = IpLiterals.parse(a.get(0));
        Long port = a.size() > 1 ? parseUnsigned(a.get(1), 65535) : Long.valueOf(0);
        if (address == null || port == null) {
            error(node, "Invalid virtual server IP address " + String.join(" ", a) + " - skipping");
            return null;
        }
        return new VirtualServer(VirtualServer.Kind.ADDRESS, address, port.intValue(), 0, null, node.origin());
    }

    /** keepalived's fix-ups at the end of a virtual_server; false when it drops the whole block. */
    private boolean fixUps(ConfigNode node, VirtualServer vs) {
        if (vs.kind != VirtualServer.Kind.ADDRESS && !vs.familyWritten && !servers(vs).isEmpty()) {
            // keepalived: a fwmark or group service has its real servers' family
            vs.family = servers(vs).get(0).address instanceof Inet6Address ? "inet6" : "inet";
        }
        if (vs.kind == VirtualServer.Kind.FWMARK) {
            if (vs.haSuspend) {
                corrected(node, "Virtual server " + vs.text()
                        + ": cannot use ha_suspend with fwmarks - clearing ha_suspend");
                vs.haSuspend = false;
            }
            if (vs.protocolWritten) {
                corrected(node, "Warning: Virtual server " + vs.text()
                        + ": protocol specified for fwmark - protocol will be ignored");
            }
        } else if (!vs.protocolWritten) {
            // keepalived 2.2.7 really defaults to UDP here, and says so
            String none = vs.text().replace(":" + vs.protocol + ":", ":none:");
            vs.protocol = "udp";
            corrected(node, "Virtual server " + none + ": no protocol set - defaulting to UDP");
        }
        String text = vs.text();
        if (vs.kind == VirtualServer.Kind.ADDRESS && vs.port == 0 && vs.persistenceTimeout == 0) {
            corrected(node, "Virtual server " + text + ": zero port only valid for persistent services - setting");
            vs.persistenceTimeout = VirtualServer.DEFAULT_PERSISTENCE_TIMEOUT;
        }
        if (vs.ops && !vs.protocol.equals("udp")) {
            corrected(node, "Virtual server " + text + ": one packet scheduling requires UDP - resetting");
            vs.ops = false;
        }
        if (vs.scheduler == null) {
            corrected(node, "Virtual server " + text + ": no scheduler set, setting default '"
                    + VirtualServer.DEFAULT_SCHEDULER + "'");
        }
        for (String flag : vs.schedulerFlags) {
            if (flag.startsWith("sh-") && !vs.scheduler().equals("sh")) {
                corrected(node, flag + " only applies to sh scheduler - ignoring");
            }
        }
        if (vs.method == null) {
            corrected(node, "Virtual server " + text + ": no forwarding method set, setting default NAT");
        }
        vs.schedulerFlags.removeIf(f -> f.startsWith("sh-") && !vs.scheduler().equals("sh"));
        for (RealServer rs : servers(vs)) {
            if (vs.kind == VirtualServer.Kind.ADDRESS && rs.writtenPort == null) {
                // keepalived: a real server without a port uses the virtual server's
                rs.port = vs.port;
            }
            boolean tunnelled = "TUN".equals(effectiveMethod(vs, rs).kind());
            boolean nat = "NAT".equals(effectiveMethod(vs, rs).kind());
            // only NAT can map ports: DR and TUN forward to the virtual server's port (keepalived 2.2.7)
            if (!nat && vs.kind == VirtualServer.Kind.FWMARK && rs.writtenPort != null && rs.writtenPort != 0) {
                String what = rs.sorry ? "sorry server"
                        : "real server " + rs.text(vs.protocolWritten ? vs.protocol : "none");
                corrected(rs.origin, "WARNING - fwmark virtual server " + vs.text() + ", " + what
                        + " has port specified - clearing");
                rs.port = 0;
            }
            if (!nat && vs.kind == VirtualServer.Kind.ADDRESS && rs.writtenPort != null && rs.writtenPort != vs.port) {
                String what = rs.sorry ? "sorry server" : "real server " + rs.text(vs.protocol);
                corrected(rs.origin, "WARNING - virtual server " + vs.text() + " and " + what
                        + " ports don't match - resetting");
                rs.port = vs.port;
            }
            if (vs.kind == VirtualServer.Kind.ADDRESS && !tunnelled
                    && (rs.address instanceof Inet6Address) != (vs.address instanceof Inet6Address)) {
                corrected(rs.origin, "Address family of virtual server and " + (rs.sorry ? "sorry" : "real")
                        + " server " + IpLiterals.text(rs.address) + " don't match - skipping "
                        + (rs.sorry ? "sorry" : "real") + " server.");
                if (rs.sorry) {
                    vs.sorryServer = null;
                } else {
                    vs.realServers.remove(rs);
                }
            }
        }
        Set<String> seen = new HashSet<>();
        vs.realServers.removeIf(rs -> {
            if (!seen.add(rs.identity())) {
                corrected(rs.origin, "VS " + text + ": real server " + rs.text(vs.protocol)
                        + " is duplicated - removing second rs");
                return true;
            }
            return false;
        });
        if (vs.realServers.isEmpty() && vs.sorryServer == null) {
            corrected(node, "Virtual server " + text + " has no real servers - ignoring");
            return false;
        }
        long total = 0;
        for (RealServer rs : vs.realServers) {
            total += rs.effectiveWeight();
        }
        if (!vs.realServers.isEmpty() && vs.quorum > total) {
            corrected(node, "Warning - quorum " + vs.quorum + " for " + text + " exceeds total weight of real servers "
                    + total + ", reducing quorum to " + total);
            vs.quorum = Math.max(1, total);
        }
        if (vs.hysteresis >= vs.quorum && vs.hysteresis > 0) {
            long h = vs.quorum - 1;
            corrected(node, "Virtual server " + text + ": hysteresis " + vs.hysteresis + " >= quorum " + vs.quorum
                    + "; setting hysteresis to " + h);
            vs.hysteresis = h;
        }
        return true;
    }

    private static List<RealServer> servers(VirtualServer vs) {
        List<RealServer> all = new ArrayList<>(vs.realServers);
        if (vs.sorryServer != null) {
            all.add(vs.sorryServer);
        }
        return all;
    }

    static LvsMethod effectiveMethod(VirtualServer vs, RealServer rs) {
        if (rs.method != null) {
            return rs.method;
        }
        if (rs.sorry && vs.sorryServerMethod != null) {
            return vs.sorryServerMethod;
        }
        return vs.method();
    }

    private String granularity(ConfigNode n, VirtualServer vs) {
        String v = single(n);
        if (v == null) {
            return null;
        }
        boolean v6 = "inet6".equals(vs.family);
        if (v6) {
            Long bits = parseUnsigned(v, 128);
            if (bits == null || bits < 1) {
                error(n, "Invalid IPv6 persistence_granularity specified - " + v);
                return null;
            }
            return String.valueOf(bits);
        }
        InetAddress mask = IpLiterals.parse(v);
        if (!(mask instanceof Inet4Address) || !contiguous(mask.getAddress())) {
            error(n, "Invalid IPv4 persistence_granularity specified - " + v);
            return null;
        }
        return IpLiterals.text(mask);
    }

    private static boolean contiguous(byte[] mask) {
        int m = ((mask[0] & 0xFF) << 24) | ((mask[1] & 0xFF) << 16) | ((mask[2] & 0xFF) << 8) | (mask[3] & 0xFF);
        int inverted = ~m;
        return (inverted & (inverted + 1)) == 0;
    }

    /** real_server / sorry_server's address and port; null (reported) when bad. */
    private RealServer server(ConfigNode n, boolean sorry) {
        if (n.args().isEmpty()) {
            error(n, n.keyword() + " needs an address");
            return null;
        }
        InetAddress address = IpLiterals.parse(n.args().get(0));
        Long port = n.args().size() > 1 ? parseUnsigned(n.args().get(1), 65535) : null;
        if (address == null || (n.args().size() > 1 && port == null)) {
            if (sorry) {
                error(n, "Invalid sorry server IP address " + n.args().get(0) + " - skipping");
            } else {
                error(n, "Invalid real server ip address/port " + n.args().get(0) + "/"
                        + (n.args().size() > 1 ? n.args().get(1) : "") + " - skipping");
            }
            return null;
        }
        if (sorry && n.hasBlock()) {
            error(n, "sorry_server takes no block - ignoring the block");
        }
        return new RealServer(address, port == null ? null : port.intValue(), sorry, n.origin());
    }

    private void realServer(ConfigNode node, RealServer rs) {
        for (ConfigNode n : children(node)) {
            String k = n.keyword();
            switch (k) {
                case "weight" -> {
                    String v = single(n);
                    Long w = v == null ? null : parseUnsigned(v, MAX_WEIGHT);
                    if (v != null && w == null) {
                        error(n, "Real server weight " + v + " is outside range 0-" + MAX_WEIGHT);
                    } else if (w != null) {
                        rs.weight = w.intValue();
                    }
                }
                case "lvs_method", "lb_kind" -> rs.method = orElse(method(n, "real"), rs.method);
                case "notify_up" -> rs.notifyUp = script(n, rs.notifyUp, "(" + rs.identity() + ") ");
                case "notify_down" -> rs.notifyDown = script(n, rs.notifyDown, "(" + rs.identity() + ") ");
                case "uthreshold", "lthreshold" -> {
                    String v = single(n);
                    Long t = v == null ? null : parseUnsigned(v, MAX_UINT);
                    if (v != null && t == null) {
                        error(n, "Invalid real_server " + k + " '" + v + "' - ignoring");
                    } else if (k.equals("uthreshold")) {
                        rs.uthreshold = t;
                    } else {
                        rs.lthreshold = t;
                    }
                }
                case "smtp_alert" -> rs.smtpAlert = bool(n, "Invalid real_server smtp_alert parameter %s");
                case "virtualhost" -> {
                    if (n.args().isEmpty()) {
                        error(n, "real server virtualhost missing");
                    } else {
                        rs.virtualhost = n.args().get(0);
                    }
                }
                case "snmp_name" -> {
                    if (n.args().size() != 1) {
                        error(n, "real server snmp_name missing or extra parameters");
                    } else {
                        rs.snmpName = n.args().get(0);
                    }
                }
                case "alpha" -> rs.alpha = orElse(bool(n, "Invalid alpha parameter %s"), rs.alpha);
                case "inhibit_on_failure" -> rs.inhibitOnFailure = orElse(
                        bool(n, "Invalid inhibit_on_failure parameter %s"), rs.inhibitOnFailure);
                case "delay_loop" -> rs.delayLoop = orElse(timer(n, true, "real server delay_loop '%s' invalid - ignoring"),
                        rs.delayLoop);
                case "connect_timeout" -> rs.connectTimeout = orElse(
                        timer(n, true, "real server connect_timeout %s invalid - ignoring"), rs.connectTimeout);
                case "delay_before_retry" -> rs.delayBeforeRetry = orElse(
                        timer(n, false, "real server delay_before_retry '%s' invalid - ignoring"), rs.delayBeforeRetry);
                case "warmup" -> rs.warmup = orElse(timer(n, false, "real server warmup '%s' invalid - ignoring"),
                        rs.warmup);
                case "retry" -> rs.retry = orElse(retry(n, "retry value invalid - %s"), rs.retry);
                default -> {
                    if (n.hasBlock() && isCheckType(k)) {
                        CheckBlock check = check(n);
                        if (check != null) {
                            rs.checks.add(check);
                        }
                    } else {
                        unknown(n);
                    }
                }
            }
        }
    }

    /** A checker block: keepalived's types, and any other upper-case block name (a Vigil extension type). */
    static boolean isCheckType(String keyword) {
        return CheckBlock.KEEPALIVED_TYPES.contains(keyword) || keyword.matches("[A-Z][A-Z0-9_]*");
    }

    // ---- checker blocks

    private CheckBlock check(ConfigNode node) {
        String type = node.keyword();
        boolean known = CheckBlock.KEEPALIVED_TYPES.contains(type);
        if (!known) {
            // keepalived rejects the block (exit 5); Vigil hands it to a checker bundle of that type.
            warn(node, "Unknown keyword '" + type + "' (not a keepalived checker: Vigil passes it to a checker"
                    + " bundle of type " + type + ", if one is deployed)");
        }
        Map<String, List<String>> keywords = new LinkedHashMap<>();
        Map<String, Integer> blocks = new HashMap<>();
        for (ConfigNode n : children(node)) {
            String k = n.keyword();
            if (known && !CHECK_COMMON.contains(k) && !CHECK_KEYWORDS.get(type).contains(k)) {
                unknown(n);
                continue;
            }
            if (!common(n)) {
                continue;
            }
            if (n.hasBlock()) {
                int m = blocks.merge(k, 1, Integer::sum) - 1;
                if (k.equals("url") && (type.equals("HTTP_GET") || type.equals("SSL_GET")) && !url(n)) {
                    blocks.merge(k, -1, Integer::sum);
                    continue;
                }
                flatten(Configurations.key(k) + "." + m + ".", n, keywords, !known);
                continue;
            }
            String key = Configurations.key(k.equals("nb_get_retry") ? "retry" : k);
            keywords.put(key, n.args());
        }
        if (type.equals("HTTP_GET") || type.equals("SSL_GET")) {
            if (!blocks.containsKey("url") || blocks.get("url") == 0) {
                error(node, "HTTP/SSL_GET checker has no urls specified - ignoring");
                return null;
            }
            List<String> protocol = keywords.get("http.protocol");
            if (protocol != null && (protocol.isEmpty() || !HTTP_PROTOCOLS.contains(protocol.get(0)))) {
                error(node, "Invalid http_protocol version " + String.join(" ", protocol));
                keywords.remove("http.protocol");
            }
            List<String> sni = keywords.get("enable.sni");
            if (sni != null && !sni.isEmpty() && Booleans.parse(sni.get(0)) == null) {
                error(node, "Invalid enable_sni parameter " + sni.get(0));
                keywords.remove("enable.sni");
            }
        }
        if (type.equals("MISC_CHECK")) {
            List<String> path = keywords.get("misc.path");
            if (path == null || path.isEmpty()) {
                error(node, "No script path has been specified for MISC_CHECKER - skipping");
                return null;
            }
            List<String> timeout = keywords.get("misc.timeout");
            if (timeout != null && (timeout.isEmpty() || parseUnsigned(timeout.get(0), MAX_UINT) == null)) {
                error(node, "Invalid misc_timeout value '" + String.join(" ", timeout) + "'");
                keywords.remove("misc.timeout");
            }
        }
        return new CheckBlock(type, keywords, node.origin());
    }

    /** Checks a url block of HTTP_GET/SSL_GET; false when keepalived would drop it. */
    private boolean url(ConfigNode n) {
        boolean hasPath = false;
        for (ConfigNode u : children(n)) {
            if (!URL_KEYWORDS.contains(u.keyword())) {
                unknown(u);
            } else if (u.keyword().equals("path")) {
                hasPath = !u.args().isEmpty();
            } else if (u.keyword().equals("digest")) {
                String d = u.args().isEmpty() ? "" : u.args().get(0);
                if (d.length() != 32) {
                    error(u, "digest '" + d + "' character length should be 32 rather than " + d.length());
                }
            } else if (u.keyword().equals("status_code")) {
                for (String code : u.args()) {
                    if (!code.matches("\\d{3}(-\\d{3})?")) {
                        error(u, "Invalid HTTP_GET status code '" + code + "'");
                    }
                }
            }
        }
        if (!hasPath) {
            error(n, "HTTP/SSL_GET checker url has no path - ignoring");
        }
        return hasPath;
    }

    /** A sub-block's keywords under {@code prefix}; its own sub-blocks numbered the same way. */
    private void flatten(String prefix, ConfigNode block, Map<String, List<String>> into, boolean thirdParty) {
        if (!block.args().isEmpty()) {
            into.put(prefix.substring(0, prefix.length() - 1), block.args());
        }
        Map<String, Integer> counts = new HashMap<>();
        for (ConfigNode n : children(block)) {
            if (!thirdParty && block.keyword().equals("url") && !URL_KEYWORDS.contains(n.keyword())) {
                continue; // reported by url()
            }
            String key = Configurations.key(n.keyword());
            if (n.hasBlock()) {
                int m = counts.merge(key, 1, Integer::sum) - 1;
                flatten(prefix + key + "." + m + ".", n, into, thirdParty);
            } else {
                into.put(prefix + key, n.args());
            }
        }
    }

    /** The keywords every checker shares, checked as keepalived does; false to leave one out. */
    private boolean common(ConfigNode n) {
        String v = n.args().isEmpty() ? "" : n.args().get(0);
        switch (n.keyword()) {
            case "connect_ip" -> {
                if (IpLiterals.parse(v) == null) {
                    error(n, "Invalid connect_ip address " + v + " - ignoring");
                    return false;
                }
            }
            case "bindto" -> {
                if (IpLiterals.parse(v) == null) {
                    error(n, "Invalid bindto address " + v + " - ignoring");
                    return false;
                }
            }
            case "connect_port" -> {
                if (parseUnsigned(v, 65535) == null) {
                    error(n, "Invalid checker connect_port '" + v + "'");
                    return false;
                }
            }
            case "bind_port" -> {
                if (parseUnsigned(v, 65535) == null) {
                    error(n, "Invalid checker bind_port '" + v + "'");
                    return false;
                }
            }
            case "fwmark" -> {
                if (parseUnsigned(v, MAX_UINT) == null) {
                    error(n, "Invalid fwmark connection value '" + v + "'");
                    return false;
                }
            }
            case "connect_timeout" -> {
                return timer(n, true, "connect_timeout %s invalid - ignoring") != null;
            }
            case "delay_loop" -> {
                return timer(n, true, "delay_loop '%s' is invalid - ignoring") != null;
            }
            case "warmup" -> {
                return timer(n, false, "Invalid warmup connection value '%s'") != null;
            }
            case "delay_before_retry" -> {
                return timer(n, false, "Invalid delay_before_retry connection value '%s'") != null;
            }
            case "retry" -> {
                return retry(n, "Invalid retry connection value '%s'") != null;
            }
            case "nb_get_retry" -> {
                return retry(n, "Invalid nb_get_retry value '%s'") != null;
            }
            case "alpha" -> {
                return bool(n, "Invalid alpha parameter %s") != null;
            }
            case "log_all_failures" -> {
                return bool(n, "Invalid log_all_failures parameter %s") != null;
            }
            default -> {
                return true;
            }
        }
        return true;
    }

    // ---- after every block is read

    /**
     * Drops virtual servers naming a group that does not exist and reports duplicates (the same
     * key twice: keepalived would program one service).
     */
    List<VirtualServer> finish(List<VirtualServer> servers, List<VirtualServerGroup> groups) {
        Map<String, VirtualServerGroup> byName = new HashMap<>();
        for (VirtualServerGroup g : groups) {
            if (byName.putIfAbsent(g.name(), g) != null) {
                error(g.origin(), "virtual_server_group " + g.name() + " already defined");
            }
        }
        List<VirtualServer> out = new ArrayList<>();
        Set<String> keys = new HashSet<>();
        for (VirtualServer vs : servers) {
            if (vs.kind == VirtualServer.Kind.GROUP && !byName.containsKey(vs.group)) {
                corrected(vs.origin, "Virtual server group " + vs.group + " specified but not configured - ignoring"
                        + " virtual server " + vs.text());
                continue;
            }
            if (!keys.add(vs.key())) {
                error(vs.origin, "virtual server " + vs.text() + " already defined");
                continue;
            }
            out.add(vs);
        }
        return out;
    }

    // ---- value helpers

    /** lvs_method NAT|DR|TUN [type ipip|gue port N|gre] [nocsum|csum|remcsum]; null (reported) when bad. */
    private LvsMethod method(ConfigNode n, String server) {
        List<String> a = n.args();
        if (a.isEmpty()) {
            error(n, "PARSER : unknown [] routing method for " + server + " server.");
            return null;
        }
        String kind = a.get(0).toUpperCase(Locale.ROOT);
        if (kind.equals("NAT") || kind.equals("DR")) {
            return new LvsMethod(kind, null, 0, null);
        }
        if (!kind.equals("TUN")) {
            error(n, "PARSER : unknown [" + a.get(0) + "] routing method for " + server + " server.");
            return null;
        }
        String type = "ipip";
        int port = 0;
        String checksum = null;
        for (int i = 1; i < a.size(); i++) {
            String w = a.get(i);
            if (w.equals("type")) {
                if (i + 1 >= a.size()) {
                    error(n, "Missing tunnel type for " + server + " server.");
                    return null;
                }
                type = a.get(++i);
                if (!Set.of("ipip", "gue", "gre").contains(type)) {
                    error(n, "Unknown tunnel type " + type + " for " + server + " server.");
                    return null;
                }
            } else if (w.equals("port")) {
                if (i + 1 >= a.size()) {
                    error(n, "Missing port for " + server + " server gue tunnel.");
                    return null;
                }
                Long p = parseUnsigned(a.get(++i), 65535);
                if (p == null || p == 0) {
                    error(n, "Invalid gue tunnel port " + a.get(i) + " for " + server + " server.");
                    return null;
                }
                port = p.intValue();
            } else if (Set.of("nocsum", "csum", "remcsum").contains(w)) {
                checksum = w;
            } else {
                error(n, "Invalid tunnel option " + w + " for " + server + " server.");
                return null;
            }
        }
        if (type.equals("gue") != (port > 0)) {
            error(n, "gue tunnels require port, otherwise cannot have port.");
            return null;
        }
        if (type.equals("ipip") && checksum != null) {
            error(n, "ipip tunnels do not support checksum option.");
            return null;
        }
        if (type.equals("gre") && "remcsum".equals(checksum)) {
            error(n, "gre tunnels do not support remote checksum option.");
            return null;
        }
        return new LvsMethod("TUN", type, port, checksum);
    }

    private NotifyScript script(ConfigNode n, NotifyScript previous, String ctx) {
        if (previous != null) {
            corrected(n, ctx + n.keyword() + " script already specified - ignoring " + String.join(" ", n.args()));
            return previous;
        }
        if (n.args().isEmpty()) {
            error(n, ctx + n.keyword() + " needs a script");
            return null;
        }
        List<String> a = n.args();
        return new NotifyScript(a.get(0), a.size() > 1 ? a.get(1) : null, a.size() > 2 ? a.get(2) : null);
    }

    /** A TIMER: seconds with up to microsecond precision; {@code positive}: 0 is invalid too. */
    private BigDecimal timer(ConfigNode n, boolean positive, String message) {
        String v = n.args().isEmpty() ? "" : n.args().get(0);
        BigDecimal d = ModelBuilder.parseDecimal(v);
        if (d == null || d.signum() < 0 || (positive && d.signum() == 0) || d.scale() > 6
                || d.compareTo(BigDecimal.valueOf(MAX_UINT)) > 0) {
            error(n, String.format(message, v));
            return null;
        }
        return d.stripTrailingZeros();
    }

    private Integer retry(ConfigNode n, String message) {
        String v = n.args().isEmpty() ? "" : n.args().get(0);
        Long r = parseUnsigned(v, Integer.MAX_VALUE);
        if (r == null) {
            error(n, String.format(message, v));
            return null;
        }
        return r.intValue();
    }

    private Boolean bool(ConfigNode n, String message) {
        if (n.args().isEmpty()) {
            return Boolean.TRUE;
        }
        Boolean b = Booleans.parse(n.args().get(0));
        if (b == null) {
            error(n, String.format(message, n.args().get(0)));
        }
        return b;
    }

    private String single(ConfigNode n) {
        if (n.args().isEmpty()) {
            error(n, n.keyword() + " needs a value");
            return null;
        }
        return n.args().get(0);
    }

    /** A decimal integer in [0, max], or null. */
    static Long parseUnsigned(String v, long max) {
        if (v == null || !v.matches("\\d{1,10}")) {
            return null;
        }
        long l = Long.parseLong(v);
        return l > max ? null : l;
    }

    private List<ConfigNode> children(ConfigNode node) {
        return node.hasBlock() ? node.children() : List.of();
    }

    private static <T> T orElse(T value, T fallback) {
        return value != null ? value : fallback;
    }

    /** keepalived -t fails on an unknown keyword and the daemon ignores it: a correction, not an error. */
    private void unknown(ConfigNode n) {
        corrected(n, "Unknown keyword '" + n.keyword() + "'");
    }

    private void warn(ConfigNode n, String message) {
        warn(n.origin(), message);
    }

    private void warn(Origin o, String message) {
        diagnostics.add(Diagnostic.warning(o, message));
    }

    private void error(ConfigNode n, String message) {
        error(n.origin(), message);
    }

    /** keepalived reports it and corrects it: -t fails, the file still applies (Diagnostic.Severity.CORRECTED). */
    private void corrected(ConfigNode n, String message) {
        corrected(n.origin(), message);
    }

    private void corrected(Origin o, String message) {
        diagnostics.add(Diagnostic.corrected(o, message));
    }

    private void error(Origin o, String message) {
        diagnostics.add(Diagnostic.error(o, message));
    }
}
