package org.vigil.api.vip;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Map;

/**
 * The words virtual_routes, virtual_rules and the static_* blocks share with ip-route(8) and
 * ip-rule(8): addresses with prefix, table and protocol names. Package-private: the records parse.
 */
final class Rules {
    private Rules() {
    }

    /** The table names every iproute2 knows (/etc/iproute2/rt_tables); any other table is a number. */
    private static final Map<String, Integer> TABLES = Map.of("main", VirtualRoute.MAIN_TABLE, "local", 255,
            "default", 253, "unspec", 0);

    /** iproute2's rt_protos names (linux/rtnetlink.h RTPROT_*); any other protocol is a number. */
    private static final Map<String, Integer> PROTOCOLS = Map.ofEntries(Map.entry("redirect", 1),
            Map.entry("kernel", 2), Map.entry("boot", 3), Map.entry("static", 4), Map.entry("gated", 8),
            Map.entry("ra", 9), Map.entry("mrt", 10), Map.entry("zebra", 11), Map.entry("bird", 12),
            Map.entry("dnrouted", 13), Map.entry("xorp", 14), Map.entry("ntk", 15), Map.entry("dhcp", 16),
            Map.entry("keepalived", VirtualRoute.PROTOCOL_KEEPALIVED), Map.entry("babel", 42),
            Map.entry("bgp", 186), Map.entry("isis", 187), Map.entry("ospf", 188), Map.entry("rip", 189),
            Map.entry("eigrp", 192));

    static int table(String text) {
        Integer named = TABLES.get(text.toLowerCase(Locale.ROOT));
        return named != null ? named : number(text, "table", 0, 0xFFFF_FFFFL).intValue();
    }

    static int protocol(String text) {
        Integer named = PROTOCOLS.get(text.toLowerCase(Locale.ROOT));
        return named != null ? named : number(text, "protocol", 0, 255).intValue();
    }

    /** A decimal or 0x hexadecimal number in [min, max]. */
    static Long number(String text, String what, long min, long max) {
        long v;
        try {
            v = text.toLowerCase(Locale.ROOT).startsWith("0x") ? Long.parseLong(text.substring(2), 16)
                    : Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("invalid " + what + " '" + text + "'", e);
        }
        if (v < min || v > max) {
            throw new IllegalArgumentException(what + " '" + text + "' outside range [" + min + ", " + max + "]");
        }
        return v;
    }

    /** The address of "PREFIX[/LEN]" or "default" (0.0.0.0; the caller turns it into :: for IPv6). */
    static InetAddress destination(String text) {
        if ("default".equalsIgnoreCase(text) || "all".equalsIgnoreCase(text)) {
            return literal("0.0.0.0");
        }
        int slash = text.indexOf('/');
        return literal(slash < 0 ? text : text.substring(0, slash));
    }

    /** The prefix length of "PREFIX[/LEN]": the whole address without a length, 0 for "default". */
    static int prefix(String text, InetAddress destination) {
        if ("default".equalsIgnoreCase(text) || "all".equalsIgnoreCase(text)) {
            return 0;
        }
        int slash = text.indexOf('/');
        int bits = destination.getAddress().length * 8;
        if (slash < 0) {
            return bits;
        }
        return number(text.substring(slash + 1), "prefix length of " + text, 0, bits).intValue();
    }

    static String value(String[] words, int i, String entry) {
        if (i >= words.length) {
            throw new IllegalArgumentException("'" + words[i - 1] + "' needs a value in '" + entry + "'");
        }
        return words[i];
    }

    /** An IP literal only: never a name lookup. */
    static InetAddress literal(String text) {
        if (!text.matches("[0-9A-Fa-f:.]+") || !(text.contains(".") || text.contains(":"))
                || text.endsWith(".")) {
            throw new IllegalArgumentException("not an IP address: '" + text + "'");
        }
        try {
            return InetAddress.getByName(text);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IP address: '" + text + "'", e);
        }
    }
}
