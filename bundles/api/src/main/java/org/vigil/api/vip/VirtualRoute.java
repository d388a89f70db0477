package org.vigil.api.vip;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Objects;

/**
 * One route as keepalived's virtual_routes describes it:
 * {@code [src IP] [to] prefix [via|gw IP] [dev if] [scope S] [table N] [metric N] [blackhole]}.
 *
 * @param destination the destination network ("default" is 0.0.0.0/0 or ::/0)
 * @param prefixLength the destination prefix length
 * @param gateway the next hop, or null for a directly connected or blackhole route
 * @param device the outgoing interface, or null (then the gateway decides)
 * @param source the preferred source address, or null
 * @param table the routing table, 254 (main) unless given
 * @param scope "global", "site", "link", "host", "nowhere", or null for the kernel's choice
 * @param metric the route priority (metric), 0 for none
 * @param blackhole a blackhole route: matching packets are dropped
 */
public record VirtualRoute(InetAddress destination, int prefixLength, InetAddress gateway, String device,
        InetAddress source, int table, String scope, int metric, boolean blackhole) {

    /** The main routing table (linux/rtnetlink.h RT_TABLE_MAIN). */
    public static final int MAIN_TABLE = 254;

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
    }

    /**
     * Parses one virtual_routes entry. Words this record does not carry (no_track, onlink,
     * protocol, ...) are skipped; a missing dev is filled with {@code defaultDevice} only when
     * there is no gateway either (keepalived lets the kernel find the device from the gateway).
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
        boolean blackhole = false;
        for (int i = 0; i < words.length; i++) {
            String w = words[i].toLowerCase(Locale.ROOT);
            switch (w) {
                case "" -> {
                    // an empty entry: reported below as a missing destination
                }
                case "src" -> source = literal(value(words, ++i, entry));
                case "to" -> {
                    String d = value(words, ++i, entry);
                    destination = destination(d);
                    prefix = prefix(d, destination);
                }
                case "via", "gw" -> gateway = literal(value(words, ++i, entry));
                case "dev", "oif" -> device = value(words, ++i, entry);
                case "scope" -> scope = value(words, ++i, entry).toLowerCase(Locale.ROOT);
                case "table" -> table = table(value(words, ++i, entry));
                case "metric", "priority", "preference" -> metric = Integer.parseInt(value(words, ++i, entry));
                case "blackhole" -> blackhole = true;
                // keywords with a value that the record does not carry
                case "or", "protocol", "realms", "mtu", "advmss", "rtt", "rttvar", "reordering", "window", "cwnd",
                        "ssthresh", "initcwnd", "initrwnd", "features", "quickack", "congctl", "pref", "hoplimit",
                        "nexthop", "weight", "tos", "dsfield", "track_group" -> i++;
                case "no_track", "onlink", "pervasive", "fastopen_no_cookie", "ttl-propagate", "unicast" -> {
                    // flags without a value
                }
                default -> {
                    if (destination != null) {
                        throw new IllegalArgumentException("unexpected '" + words[i] + "' in virtual route '" + entry + "'");
                    }
                    destination = destination(words[i]);
                    prefix = prefix(words[i], destination);
                }
            }
        }
        if (destination == null) {
            throw new IllegalArgumentException("virtual route without destination: '" + entry + "'");
        }
        if (destination.getAddress().length == 4 && prefix == 0
                && (gateway != null && gateway.getAddress().length == 16
                        || source != null && source.getAddress().length == 16)) {
            // "default" names ::/0 when the rest of the route is IPv6
            destination = literal("::");
        }
        if (device == null && gateway == null && !blackhole) {
            device = defaultDevice;
        }
        return new VirtualRoute(destination, prefix, gateway, device, source, table, scope, metric, blackhole);
    }

    private static InetAddress destination(String text) {
        if ("default".equalsIgnoreCase(text)) {
            return literal("0.0.0.0");
        }
        int slash = text.indexOf('/');
        return literal(slash < 0 ? text : text.substring(0, slash));
    }

    private static int prefix(String text, InetAddress destination) {
        if ("default".equalsIgnoreCase(text)) {
            return 0;
        }
        int slash = text.indexOf('/');
        return slash < 0 ? destination.getAddress().length * 8 : Integer.parseInt(text.substring(slash + 1));
    }

    private static int table(String text) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "main" -> MAIN_TABLE;
            case "local" -> 255;
            case "default" -> 253;
            default -> Integer.parseInt(text);
        };
    }

    private static String value(String[] words, int i, String entry) {
        if (i >= words.length) {
            throw new IllegalArgumentException("'" + words[i - 1] + "' needs a value in '" + entry + "'");
        }
        return words[i];
    }

    /** An IP literal only: never a name lookup. */
    private static InetAddress literal(String text) {
        if (!text.matches("[0-9A-Fa-f:.]+") || !(text.contains(".") || text.contains(":"))) {
            throw new IllegalArgumentException("not an IP address: '" + text + "'");
        }
        try {
            return InetAddress.getByName(text);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IP address: '" + text + "'", e);
        }
    }

    /** "192.0.2.0/24" */
    public String cidr() {
        return destination.getHostAddress() + "/" + prefixLength;
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder(blackhole ? "blackhole " : "").append(cidr());
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
        return b.toString();
    }
}
