package org.vigil.api.vip;

import java.net.InetAddress;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * One route as keepalived's virtual_routes describes it:
 * {@code [blackhole|unreachable|prohibit|throw] [src IP] [to] prefix [via|gw IP] [dev if] [scope S] [table N]
 * [metric N] [protocol P] [onlink] [inet6] [no_track]}.
 *
 * @param destination the destination network ("default" is 0.0.0.0/0 or ::/0)
 * @param prefixLength the destination prefix length
 * @param gateway the next hop, or null for a directly connected or blackhole route
 * @param device the outgoing interface, or null (then the gateway decides)
 * @param source the preferred source address, or null
 * @param table the routing table, 254 (main) unless given
 * @param scope "global", "site", "link", "host", "nowhere", or null for the kernel's choice
 * @param metric the route priority (metric), 0 for none
 * @param type the route type: "unicast", or "blackhole", "unreachable", "prohibit", "throw" (no next hop)
 * @param protocol the route's protocol number (ip route's "proto"), {@link #PROTOCOL_KEEPALIVED} unless given
 * @param onlink the next hop is on the link even when no prefix of the device covers it
 * @param noTrack keepalived's no_track: a change of the route's interface does not affect the instance
 */
public record VirtualRoute(InetAddress destination, int prefixLength, InetAddress gateway, String device,
        InetAddress source, int table, String scope, int metric, String type, int protocol, boolean onlink,
        boolean noTrack) {

    /** The main routing table (linux/rtnetlink.h RT_TABLE_MAIN). */
    public static final int MAIN_TABLE = 254;
    /** RTPROT_KEEPALIVED (linux/rtnetlink.h): "proto keepalived" in ip route, what keepalived marks its routes with. */
    public static final int PROTOCOL_KEEPALIVED = 18;
    /** A route through a next hop or a device. */
    public static final String UNICAST = "unicast";
    /** The route types without next hop (ip-route(8) TYPE). */
    public static final Set<String> NO_NEXT_HOP_TYPES = Set.of("blackhole", "unreachable", "prohibit", "throw");

    public VirtualRoute {
        Objects.requireNonNull(destination, "destination");
        int bits = destination.getAddress().length * 8;
        if (prefixLength < 0 || prefixLength > bits) {
            throw new IllegalArgumentException("prefix length " + prefixLength + " invalid for " + destination);
        }
        if (gateway != null && gateway.getClass() != destination.getClass()) {
            throw new IllegalArgumentException("gateway " + gateway + " and destination differ in family");
        }
        if (table < 0) {
            throw new IllegalArgumentException("table " + table);
        }
        type = type == null ? UNICAST : type.toLowerCase(Locale.ROOT);
        if (!type.equals(UNICAST) && !NO_NEXT_HOP_TYPES.contains(type)) {
            throw new IllegalArgumentException("route type " + type);
        }
        if (protocol < 0 || protocol > 255) {
            throw new IllegalArgumentException("protocol " + protocol);
        }
    }

    /** A unicast or blackhole route marked "proto keepalived" (the record of Vigil 0.2). */
    public VirtualRoute(InetAddress destination, int prefixLength, InetAddress gateway, String device,
            InetAddress source, int table, String scope, int metric, boolean blackhole) {
        this(destination, prefixLength, gateway, device, source, table, scope, metric, blackhole ? "blackhole" : UNICAST,
                PROTOCOL_KEEPALIVED, false, false);
    }

    /** A blackhole route: matching packets are dropped. */
    public boolean blackhole() {
        return type.equals("blackhole");
    }

    /** Whether the route has no next hop (blackhole, unreachable, prohibit, throw). */
    public boolean withoutNextHop() {
        return !type.equals(UNICAST);
    }

    /**
     * Parses one virtual_routes or static_routes entry. Words this record does not carry (mtu,
     * realms, nexthop, ...) are skipped; a missing dev is filled with {@code defaultDevice} only
     * when there is no gateway either (keepalived lets the kernel find the device from the gateway).
     *
     * @throws IllegalArgumentException on an entry without destination or with a bad address
     */
    public static VirtualRoute parse(String entry, String defaultDevice) {
        String[] words = entry.trim().split("\\s+");
        InetAddress destination = null;
        int prefix = -1;
        InetAddress gateway = null;
        String device = null;
        InetAddress source = null;
        int table = MAIN_TABLE;
        String scope = null;
        int metric = 0;
        String type = UNICAST;
        int protocol = PROTOCOL_KEEPALIVED;
        boolean onlink = false;
        boolean noTrack = false;
        boolean inet6 = false;
        for (int i = 0; i < words.length; i++) {
            String w = words[i].toLowerCase(Locale.ROOT);
            switch (w) {
                case "" -> {
                    // an empty entry: reported below as a missing destination
                }
                case "src" -> source = Rules.literal(Rules.value(words, ++i, entry));
                case "to" -> {
                    String d = Rules.value(words, ++i, entry);
                    destination = Rules.destination(d);
                    prefix = Rules.prefix(d, destination);
                }
                case "via", "gw" -> gateway = Rules.literal(Rules.value(words, ++i, entry));
                case "dev", "oif" -> device = Rules.value(words, ++i, entry);
                case "scope" -> scope = Rules.value(words, ++i, entry).toLowerCase(Locale.ROOT);
                case "table" -> table = Rules.table(Rules.value(words, ++i, entry));
                case "metric", "priority", "preference" -> metric = Integer.parseInt(Rules.value(words, ++i, entry));
                case "blackhole", "unreachable", "prohibit", "throw" -> type = w;
                case "unicast" -> type = UNICAST;
                case "protocol", "proto" -> protocol = Rules.protocol(Rules.value(words, ++i, entry));
                case "onlink" -> onlink = true;
                case "no_track" -> noTrack = true;
                case "inet6" -> inet6 = true;
                case "inet", "add", "append", "prepend" -> {
                    // family default and keepalived's route-adding mode: the kernel's default (prepend) is used
                }
                // keywords with a value that the record does not carry
                case "or", "realms", "mtu", "advmss", "rtt", "rttvar", "reordering", "window", "cwnd",
                        "ssthresh", "initcwnd", "initrwnd", "features", "quickack", "congctl", "pref", "hoplimit",
                        "nexthop", "weight", "tos", "dsfield", "track_group" -> i++;
                case "pervasive", "fastopen_no_cookie", "ttl-propagate", "lock" -> {
                    // flags without a value
                }
                default -> {
                    if (destination != null) {
                        throw new IllegalArgumentException("unexpected '" + words[i] + "' in virtual route '" + entry + "'");
                    }
                    destination = Rules.destination(words[i]);
                    prefix = Rules.prefix(words[i], destination);
                }
            }
        }
        if (destination == null) {
            throw new IllegalArgumentException("virtual route without destination: '" + entry + "'");
        }
        if (destination.getAddress().length == 4 && prefix == 0
                && (inet6 || gateway != null && gateway.getAddress().length == 16
                        || source != null && source.getAddress().length == 16)) {
            // "default" names ::/0 when the rest of the route is IPv6
            destination = Rules.literal("::");
        }
        if (device == null && gateway == null && type.equals(UNICAST)) {
            device = defaultDevice;
        }
        return new VirtualRoute(destination, prefix, gateway, device, source, table, scope, metric, type, protocol,
                onlink, noTrack);
    }

    /** "192.0.2.0/24" */
    public String cidr() {
        return destination.getHostAddress() + "/" + prefixLength;
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder(withoutNextHop() ? type + " " : "").append(cidr());
        if (gateway != null) {
            b.append(" via ").append(gateway.getHostAddress());
        }
        if (device != null) {
            b.append(" dev ").append(device);
        }
        if (source != null) {
            b.append(" src ").append(source.getHostAddress());
        }
        if (table != MAIN_TABLE) {
            b.append(" table ").append(table);
        }
        if (scope != null) {
            b.append(" scope ").append(scope);
        }
        if (metric != 0) {
            b.append(" metric ").append(metric);
        }
        if (protocol != PROTOCOL_KEEPALIVED) {
            b.append(" proto ").append(protocol);
        }
        if (onlink) {
            b.append(" onlink");
        }
        return b.toString();
    }
}
