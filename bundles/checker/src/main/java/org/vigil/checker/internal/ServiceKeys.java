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
    /** The address of an address service's key ("192.0.2.249:tcp:80", "[2001:db8::1]:tcp:80"); null for fwmark and group. */
    static InetAddress addressOf(String vsKey) {
        if (vsKey.startsWith("fwmark:") || vsKey.startsWith("group:")) {
            return null;
        }
        int end = vsKey.startsWith("[") ? vsKey.indexOf(']') + 1 : vsKey.indexOf(':');
        return end > 0 ? literal(vsKey.substring(0, end)) : null;
    }

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

    static List<ServiceKey> of(VsSettings vs, Map<String, GroupSettings> groups) {
        String key = vs.key();
        String protocol = vs.protocol();
        try {
            if (key.startsWith("fwmark:")) {
                String[] p = key.split(":");
                return List.of(ServiceKey.fwmark(Long.parseLong(p[1]), p.length > 2 && p[2].equals("inet6"), protocol));
            }
            if (key.startsWith("group:")) {
                int last = key.lastIndexOf(':');
                GroupSettings g = groups.get(last > 6 ? key.substring(6, last) : key.substring(6));
                return g == null ? List.of() : expand(g, protocol);
            }
            int portColon = key.lastIndexOf(':');
            int protoColon = key.lastIndexOf(':', portColon - 1);
            return List.of(ServiceKey.of(literal(key.substring(0, protoColon)),
                    Integer.parseInt(key.substring(portColon + 1)), protocol));
        } catch (RuntimeException e) {
            return List.of();
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
