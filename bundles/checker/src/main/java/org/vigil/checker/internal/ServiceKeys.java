package org.vigil.checker.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.vigil.api.lb.ServiceKey;

/** A virtual server key (and a group's entries) as load-balancer service keys. */
final class ServiceKeys {
    /** A group gives a driver at most this many services (a /16 written by mistake must not become 65,536). */
    static final int MAX_EXPANSION = 4096;
    private static final Pattern IP_LITERAL = Pattern.compile("[0-9.]+|[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*(%\\w+)?");

    private ServiceKeys() {
    }

    /** An IP literal, never a DNS lookup (the loop must not block on a resolver). */
    static InetAddress literal(String text) {
        String t = text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
        if (!IP_LITERAL.matcher(t).matches()) {
            throw new IllegalArgumentException("not an IP address: '" + text + "'");
        }
        try {
            return InetAddress.getByName(t);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IP address: '" + text + "'", e);
        }
    }

    /** The load-balancer services of a virtual server: one, or a group's (none while the group is unknown). */
    static List<ServiceKey> of(VsSettings vs, Map<String, GroupSettings> groups) {
        String protocol = vs.protocol();
        if (vs.service() instanceof VsService.Address a) {
            return List.of(ServiceKey.of(a.address(), a.port(), protocol));
        }
        if (vs.service() instanceof VsService.Fwmark f) {
            return List.of(ServiceKey.fwmark(f.mark(), f.inet6(), protocol));
        }
        GroupSettings g = groups.get(((VsService.Group) vs.service()).name());
        try {
            return g == null ? List.of() : expand(g, protocol);
        } catch (RuntimeException e) {
            return List.of(); // an entry that does not read (a hand-written group configuration)
        }
    }

    /** "FIRST-LAST port" address entries (IPv4 or IPv6, at most {@link #MAX_EXPANSION}), "mark [inet|inet6]" marks. */
    static List<ServiceKey> expand(GroupSettings group, String protocol) {
        List<ServiceKey> keys = new ArrayList<>();
        for (String entry : group.addresses()) {
            String[] w = entry.trim().split("\\s+");
            int port = w.length > 1 ? Integer.parseInt(w[1]) : 0;
            int dash = w[0].indexOf('-');
            InetAddress first = literal(dash > 0 ? w[0].substring(0, dash) : w[0]);
            InetAddress last = dash > 0 ? literal(w[0].substring(dash + 1)) : first;
            java.math.BigInteger a = new java.math.BigInteger(1, first.getAddress());
            java.math.BigInteger b = new java.math.BigInteger(1, last.getAddress());
            int length = first.getAddress().length;
            for (java.math.BigInteger i = a; i.compareTo(b) <= 0 && keys.size() < MAX_EXPANSION;
                    i = i.add(java.math.BigInteger.ONE)) {
                keys.add(ServiceKey.of(fromBig(i, length), port, protocol));
            }
        }
        for (String entry : group.fwmarks()) {
            String[] w = entry.trim().split("\\s+");
            keys.add(ServiceKey.fwmark(Long.parseLong(w[0]), w.length > 1 && w[1].equals("inet6"), protocol));
        }
        return keys;
    }

    private static InetAddress fromBig(java.math.BigInteger v, int length) {
        byte[] raw = v.toByteArray();
        byte[] b = new byte[length];
        int copy = Math.min(length, raw.length);
        System.arraycopy(raw, raw.length - copy, b, length - copy, copy);
        try {
            return InetAddress.getByAddress(b);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

}
