package org.vigil.api.vip;

import java.net.InetAddress;
import java.util.Locale;

/**
 * One policy-routing rule as keepalived's virtual_rules and static_rules describe it, in
 * ip-rule(8) words: {@code [not] [from PREFIX] [to PREFIX] [iif IF] [oif IF] [tos TOS]
 * [fwmark MARK[/MASK]] [priority|preference|pref N] [table T | goto N | blackhole | unreachable |
 * prohibit | nop] [realms [SRC/]DST] [suppress_prefixlength N] [suppress_ifgroup N] [l3mdev]
 * [uidrange A-B] [protocol P] [ip_proto P] [sport A[-B]] [dport A[-B]] [inet6] [no_track]}.
 *
 * @param inet6 the rule is for IPv6 (from/to are IPv6, or the word inet6), else IPv4
 * @param from the source prefix, or null for all
 * @param fromLength its length
 * @param to the destination prefix, or null for all
 * @param toLength its length
 * @param invert ip rule's "not": the rule matches what the selectors do not
 * @param iif the incoming interface name, or null
 * @param oif the outgoing interface name, or null
 * @param tos the TOS to match, 0 for any
 * @param fwmark the firewall mark, -1 for none
 * @param fwmask the mark's mask, -1 for none (the kernel then uses 0xffffffff)
 * @param preference the rule's priority, -1 when not given (keepalived then assigns one)
 * @param action the rule's action: "table", "goto", "nop", "blackhole", "unreachable", "prohibit"
 * @param table the table to look up for action "table"
 * @param gotoTarget the preference to jump to for action "goto"
 * @param realms realms as the kernel takes them (source realm in the high 16 bits), 0 for none
 * @param suppressPrefixLength -1 for none
 * @param suppressIfgroup -1 for none
 * @param l3mdev the table is the one of the packet's l3mdev (VRF) device
 * @param uidRange "start-end", or null
 * @param protocol who installed the rule ("proto keepalived" unless given)
 * @param ipProto the IP protocol to match, 0 for any
 * @param sport source port range "start-end", or null
 * @param dport destination port range "start-end", or null
 * @param noTrack keepalived's no_track: a change of the rule's interfaces does not affect the instance
 */
public record VirtualRule(boolean inet6, InetAddress from, int fromLength, InetAddress to, int toLength,
        boolean invert, String iif, String oif, int tos, long fwmark, long fwmask, long preference, String action,
        long table, long gotoTarget, long realms, int suppressPrefixLength, int suppressIfgroup, boolean l3mdev,
        String uidRange, int protocol, int ipProto, String sport, String dport, boolean noTrack) {

    /** The preference keepalived gives the first rule that has none; each further one gets one less. */
    public static final long FIRST_ASSIGNED_PREFERENCE = 16384;

    public VirtualRule {
        action = action == null ? "table" : action.toLowerCase(Locale.ROOT);
        if (!java.util.Set.of("table", "goto", "nop", "blackhole", "unreachable", "prohibit").contains(action)) {
            throw new IllegalArgumentException("rule action " + action);
        }
        if (from != null && (from.getAddress().length == 16) != inet6
                || to != null && (to.getAddress().length == 16) != inet6) {
            throw new IllegalArgumentException("rule mixes IPv4 and IPv6");
        }
        if (action.equals("table") && table == 0 && !l3mdev) {
            table = VirtualRoute.MAIN_TABLE;
        }
    }

    /**
     * Parses one virtual_rules or static_rules entry.
     *
     * @throws IllegalArgumentException on a bad address, number or a word ip rule does not know
     */
    public static VirtualRule parse(String entry) {
        String[] words = entry.trim().split("\\s+");
        Boolean v6 = null;
        InetAddress from = null;
        int fromLength = 0;
        InetAddress to = null;
        int toLength = 0;
        boolean invert = false;
        String iif = null;
        String oif = null;
        int tos = 0;
        long fwmark = -1;
        long fwmask = -1;
        long preference = -1;
        String action = null;
        long table = 0;
        long gotoTarget = 0;
        long realms = 0;
        int suppressPrefixLength = -1;
        int suppressIfgroup = -1;
        boolean l3mdev = false;
        String uidRange = null;
        int protocol = VirtualRoute.PROTOCOL_KEEPALIVED;
        int ipProto = 0;
        String sport = null;
        String dport = null;
        boolean noTrack = false;
        for (int i = 0; i < words.length; i++) {
            String w = words[i].toLowerCase(Locale.ROOT);
            switch (w) {
                case "" -> throw new IllegalArgumentException("empty rule");
                case "from", "to" -> {
                    String text = Rules.value(words, ++i, entry);
                    InetAddress a = Rules.destination(text);
                    int length = Rules.prefix(text, a);
                    if (w.equals("from")) {
                        from = length == 0 && text.equalsIgnoreCase("all") ? null : a;
                        fromLength = length;
                    } else {
                        to = length == 0 && text.equalsIgnoreCase("all") ? null : a;
                        toLength = length;
                    }
                    if (length > 0 || !text.equalsIgnoreCase("all")) {
                        v6 = family(v6, a.getAddress().length == 16, entry);
                    }
                }
                case "not" -> invert = true;
                case "iif", "dev" -> iif = Rules.value(words, ++i, entry);
                case "oif" -> oif = Rules.value(words, ++i, entry);
                case "tos", "dsfield" -> tos = Rules.number(Rules.value(words, ++i, entry), "tos", 0, 255).intValue();
                case "fwmark" -> {
                    String text = Rules.value(words, ++i, entry);
                    int slash = text.indexOf('/');
                    fwmark = Rules.number(slash < 0 ? text : text.substring(0, slash), "fwmark", 0, 0xFFFF_FFFFL);
                    if (slash >= 0) {
                        fwmask = Rules.number(text.substring(slash + 1), "fwmark mask", 0, 0xFFFF_FFFFL);
                    }
                }
                case "priority", "preference", "pref", "order" ->
                    preference = Rules.number(Rules.value(words, ++i, entry), "preference", 0, 0xFFFF_FFFFL);
                case "table", "lookup" -> {
                    action = "table";
                    table = Integer.toUnsignedLong(Rules.table(Rules.value(words, ++i, entry)));
                }
                case "goto" -> {
                    action = "goto";
                    gotoTarget = Rules.number(Rules.value(words, ++i, entry), "goto", 0, 0xFFFF_FFFFL);
                }
                case "nop", "blackhole", "unreachable", "prohibit" -> action = w;
                case "realms" -> realms = realms(Rules.value(words, ++i, entry));
                case "suppress_prefixlength", "sup_pl" -> suppressPrefixLength =
                        Rules.number(Rules.value(words, ++i, entry), "suppress_prefixlength", 0, 128).intValue();
                case "suppress_ifgroup", "sup_group" -> suppressIfgroup =
                        Rules.number(Rules.value(words, ++i, entry), "suppress_ifgroup", 0, Integer.MAX_VALUE).intValue();
                case "l3mdev" -> l3mdev = true;
                case "uidrange" -> uidRange = range(Rules.value(words, ++i, entry), "uidrange", 0xFFFF_FFFFL);
                case "protocol", "proto" -> protocol = Rules.protocol(Rules.value(words, ++i, entry));
                case "ip_proto", "ipproto" -> ipProto = ipProto(Rules.value(words, ++i, entry));
                case "sport" -> sport = range(Rules.value(words, ++i, entry), "sport", 0xFFFF);
                case "dport" -> dport = range(Rules.value(words, ++i, entry), "dport", 0xFFFF);
                case "inet6" -> v6 = family(v6, true, entry);
                case "inet" -> v6 = family(v6, false, entry);
                case "no_track" -> noTrack = true;
                case "track_group" -> i++;
                default -> throw new IllegalArgumentException("unexpected '" + words[i] + "' in rule '" + entry + "'");
            }
        }
        return new VirtualRule(Boolean.TRUE.equals(v6), from, fromLength, to, toLength, invert, iif, oif, tos, fwmark,
                fwmask, preference, action, table, gotoTarget, realms, suppressPrefixLength, suppressIfgroup, l3mdev,
                uidRange, protocol, ipProto, sport, dport, noTrack);
    }

    /** The same rule with a preference (keepalived assigns one to rules without). */
    public VirtualRule withPreference(long p) {
        return new VirtualRule(inet6, from, fromLength, to, toLength, invert, iif, oif, tos, fwmark, fwmask, p, action,
                table, gotoTarget, realms, suppressPrefixLength, suppressIfgroup, l3mdev, uidRange, protocol, ipProto,
                sport, dport, noTrack);
    }

    private static Boolean family(Boolean known, boolean v6, String entry) {
        if (known != null && known != v6) {
            throw new IllegalArgumentException("rule mixes IPv4 and IPv6: '" + entry + "'");
        }
        return v6;
    }

    /** "A" or "A-B", normalised to "A-B". */
    private static String range(String text, String what, long max) {
        int dash = text.indexOf('-');
        long start = Rules.number(dash < 0 ? text : text.substring(0, dash), what, 0, max);
        long end = dash < 0 ? start : Rules.number(text.substring(dash + 1), what, start, max);
        return start + "-" + end;
    }

    private static long realms(String text) {
        int slash = text.indexOf('/');
        long dst = Rules.number(slash < 0 ? text : text.substring(slash + 1), "realm", 0, 0xFFFF);
        long src = slash < 0 ? 0 : Rules.number(text.substring(0, slash), "realm", 0, 0xFFFF);
        return src << 16 | dst;
    }

    private static int ipProto(String text) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "tcp" -> 6;
            case "udp" -> 17;
            case "sctp" -> 132;
            case "icmp" -> 1;
            case "ipv6-icmp", "icmpv6" -> 58;
            default -> Rules.number(text, "ip_proto", 0, 255).intValue();
        };
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        if (invert) {
            b.append("not ");
        }
        b.append("from ").append(from == null ? "all" : from.getHostAddress() + "/" + fromLength);
        if (to != null) {
            b.append(" to ").append(to.getHostAddress()).append('/').append(toLength);
        }
        if (iif != null) {
            b.append(" iif ").append(iif);
        }
        if (oif != null) {
            b.append(" oif ").append(oif);
        }
        if (fwmark >= 0) {
            b.append(" fwmark 0x").append(Long.toHexString(fwmark));
            if (fwmask >= 0) {
                b.append("/0x").append(Long.toHexString(fwmask));
            }
        }
        if (preference >= 0) {
            b.append(" priority ").append(preference);
        }
        switch (action) {
            case "table" -> b.append(l3mdev ? " lookup [l3mdev-table]" : " lookup " + table);
            case "goto" -> b.append(" goto ").append(gotoTarget);
            default -> b.append(' ').append(action);
        }
        return b.toString();
    }
}
