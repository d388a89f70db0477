package org.vigil.lb.ipvs.internal;

import static org.vigil.lb.ipvs.internal.IpvsMessages.*;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.vigil.api.lb.Destination;
import org.vigil.api.lb.ServiceKey;
import org.vigil.api.lb.VirtualService;

/**
 * The checker's pools as IPVS holds them, and the fewest IPVS commands from one state to the
 * next: a new service is NEW_SERVICE then NEW_DEST for each real server; an existing one gets
 * SET_SERVICE only when its scheduler, flags, persistence timeout or netmask changed, NEW_DEST
 * for a server that joined, SET_DEST for one whose weight, method or thresholds changed and
 * DEL_DEST for one that left, in that order, so the pool is never emptier mid-batch than at
 * either end (a sorry server swap adds the sorry server before the last real server goes).
 */
final class IpvsPlan {
    private IpvsPlan() {
    }

    /** keepalived's default scheduler. */
    static final String DEFAULT_SCHEDULER = "wlc";
    /** The persistence keepalived forces on a port-0 service without one (the bare keyword's 360 s). */
    static final long PORT_ZERO_PERSISTENCE = 360;

    /** One service as programmed: the service and its destinations by address. */
    record Programmed(Service service, Map<InetSocketAddress, Dest> dests) {
        Programmed {
            dests = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(dests));
        }
    }

    static Programmed of(VirtualService vs) {
        Map<InetSocketAddress, Dest> dests = new LinkedHashMap<>();
        for (Destination d : vs.destinations()) {
            dests.put(d.address(), dest(d));
        }
        return new Programmed(service(vs), dests);
    }

    static Service service(VirtualService vs) {
        ServiceKey k = vs.key();
        boolean v6 = k.ipv6();
        int af = v6 ? AF_INET6 : AF_INET;
        String sched = vs.scheduler() == null || vs.scheduler().isBlank() ? DEFAULT_SCHEDULER
                : vs.scheduler().trim().toLowerCase(Locale.ROOT);
        long timeout = vs.persistenceTimeout();
        if (timeout == 0 && k.fwmark() == 0 && k.port() == 0) {
            timeout = PORT_ZERO_PERSISTENCE; // IPVS refuses a port-0 service that is not persistent
        }
        int flags = flags(vs.schedulerFlags()) | (timeout > 0 ? SVC_F_PERSISTENT : 0);
        return new Service(af, protocol(k.protocol()), k.address(), k.port(), k.fwmark(), sched, flags, timeout,
                netmask(v6, vs.persistenceGranularity()));
    }

    /**
     * keepalived's scheduler flags as IP_VS_SVC_F_* bits (sh-* and mh-* share flag-1 and flag-2, as
     * in the kernel). {@code hashed} is not sent: IP_VS_SVC_F_HASHED is the kernel's own record that
     * it has put the service in its hash table, which it sets itself; a service added with it set
     * would be taken as hashed already and never be found.
     */
    static int flags(List<String> names) {
        int f = 0;
        for (String n : names) {
            f |= switch (n.trim().toLowerCase(Locale.ROOT)) {
                case "ops" -> SVC_F_ONEPACKET;
                case "flag-1", "sh-fallback", "mh-fallback" -> SVC_F_SCHED1;
                case "flag-2", "sh-port", "mh-port" -> SVC_F_SCHED2;
                case "flag-3" -> SVC_F_SCHED3;
                default -> 0;
            };
        }
        return f;
    }

    static int protocol(String p) {
        return switch (p == null ? "tcp" : p.toLowerCase(Locale.ROOT)) {
            case "udp" -> IPPROTO_UDP;
            case "sctp" -> IPPROTO_SCTP;
            default -> IPPROTO_TCP;
        };
    }

    /**
     * persistence_granularity: an IPv4 netmask (255.255.255.0) or a prefix length; IPv6 takes a
     * prefix length. Empty: the whole address (/32, /128).
     */
    static int netmask(boolean v6, String granularity) {
        String g = granularity == null ? "" : granularity.trim();
        if (g.startsWith("/")) {
            g = g.substring(1);
        }
        if (v6) {
            try {
                int n = g.isEmpty() ? 128 : Integer.parseInt(g);
                return n >= 1 && n <= 128 ? n : 128;
            } catch (NumberFormatException e) {
                return 128;
            }
        }
        if (g.isEmpty()) {
            return 0xffff_ffff;
        }
        if (g.matches("\\d{1,2}")) {
            int n = Integer.parseInt(g);
            return n == 0 ? 0 : n >= 32 ? 0xffff_ffff : (int) (0xffff_ffffL << (32 - n));
        }
        try {
            InetAddress a = InetAddress.getByName(g);
            if (a instanceof Inet4Address) {
                byte[] b = a.getAddress();
                return (b[0] & 0xff) << 24 | (b[1] & 0xff) << 16 | (b[2] & 0xff) << 8 | (b[3] & 0xff);
            }
        } catch (UnknownHostException e) {
            // not a mask: fall through
        }
        return 0xffff_ffff;
    }

    /**
     * lvs_method: NAT, DR, or {@code TUN [type ipip|gue port N|gre] [nocsum|csum|remcsum]}.
     * The API carries no thresholds yet (uthreshold/lthreshold): 0, no limit.
     */
    static Dest dest(Destination d) {
        String[] words = (d.method() == null || d.method().isBlank() ? "NAT" : d.method().trim())
                .toLowerCase(Locale.ROOT).split("\\s+");
        InetAddress a = d.address().getAddress();
        switch (words[0]) {
            case "dr":
                return new Dest(a, d.address().getPort(), FWD_DROUTE, d.weight(), 0, 0, false, 0, 0, 0);
            case "tun": {
                int type = TUN_IPIP;
                int port = 0;
                int flags = 0;
                boolean options = false;
                for (int i = 1; i < words.length; i++) {
                    switch (words[i]) {
                        case "type" -> options = true;
                        case "ipip" -> type = TUN_IPIP;
                        case "gue" -> type = TUN_GUE;
                        case "gre" -> type = TUN_GRE;
                        case "port" -> {
                            if (i + 1 < words.length) {
                                try {
                                    port = Integer.parseInt(words[++i]);
                                } catch (NumberFormatException e) {
                                    // left 0: the kernel refuses GUE without a port, with its own error
                                }
                            }
                        }
                        case "nocsum" -> flags = 0;
                        case "csum" -> flags = TUN_F_CSUM;
                        case "remcsum" -> flags = TUN_F_REMCSUM;
                        default -> {
                        }
                    }
                }
                options |= type != TUN_IPIP || flags != 0;
                return new Dest(a, d.address().getPort(), FWD_TUNNEL, d.weight(), 0, 0, options, type, port, flags);
            }
            default:
                return new Dest(a, d.address().getPort(), FWD_MASQ, d.weight(), 0, 0, false, 0, 0, 0);
        }
    }

    /** The commands from {@code before} (null: not in the kernel) to {@code after}. */
    static List<Command> diff(Programmed before, Programmed after) {
        List<Command> out = new ArrayList<>();
        Service s = after.service();
        if (before == null) {
            out.add(new Command(CMD_NEW_SERVICE, s, null));
            after.dests().values().forEach(d -> out.add(new Command(CMD_NEW_DEST, s, d)));
            return out;
        }
        if (!s.sameSettings(before.service())) {
            out.add(new Command(CMD_SET_SERVICE, s, null));
        }
        List<Command> set = new ArrayList<>();
        after.dests().forEach((addr, d) -> {
            Dest was = before.dests().get(addr);
            if (was == null) {
                out.add(new Command(CMD_NEW_DEST, s, d));
            } else if (!d.sameSettings(was)) {
                set.add(new Command(CMD_SET_DEST, s, d));
            }
        });
        out.addAll(set);
        before.dests().forEach((addr, d) -> {
            if (!after.dests().containsKey(addr)) {
                out.add(new Command(CMD_DEL_DEST, s, d));
            }
        });
        return out;
    }

    static Command remove(Programmed before) {
        return new Command(CMD_DEL_SERVICE, before.service(), null);
    }
}
