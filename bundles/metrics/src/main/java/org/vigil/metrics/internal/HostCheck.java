package org.vigil.metrics.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which Host headers the endpoint answers: DNS rebinding protection. A page of another site can
 * make its own name resolve to 127.0.0.1 and then read the endpoint with the browser's help, but
 * the browser still sends that site's name as Host. So a name is answered only when it is
 * {@code localhost}, the configuration's {@code allowed.hosts}, or (for an endpoint off loopback)
 * this machine's name; an IP literal only when it is the bound address, a loopback address on a
 * loopback endpoint, or any address on a wildcard one. A request without Host (HTTP/1.0, a script)
 * is no browser's and is answered. Never a resolver lookup.
 */
final class HostCheck {
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    /** With a colon, InetAddress parses it as an IPv6 literal or refuses it, never asks a resolver. */
    private static final Pattern IPV6 = Pattern.compile("[0-9a-fA-F.]*:[0-9a-fA-F:.]*");

    private final InetAddress bound;
    private final Set<String> names = new HashSet<>();

    /**
     * @param bound    the address listened on
     * @param hostname this machine's name (allowed off loopback)
     * @param allowed  further names, from the configuration
     */
    HostCheck(InetAddress bound, String hostname, List<String> allowed) {
        this.bound = bound;
        names.add("localhost");
        if (!bound.isLoopbackAddress()) {
            names.add(normal(hostname));
        }
        allowed.stream().filter(a -> !a.isBlank()).map(HostCheck::normal).forEach(names::add);
    }

    /** The Host header's value in a request head, or null without one. */
    static String header(String head) {
        for (String line : head.split("\r?\n")) {
            if (line.regionMatches(true, 0, "Host:", 0, 5)) {
                return line.substring(5).strip();
            }
        }
        return null;
    }

    boolean allows(String host) {
        if (host == null) {
            return true;
        }
        String name = host;
        if (name.startsWith("[")) {
            int end = name.indexOf(']');
            if (end < 0 || !(end == name.length() - 1 || name.startsWith(":", end + 1))) {
                return false;
            }
            String literal = name.substring(1, end);
            return IPV6.matcher(literal).matches() && literalAllowed(literal);
        }
        int colon = name.lastIndexOf(':');
        if (colon >= 0) {
            name = name.substring(0, colon); // the port: any, a tunnel or a proxy may change it
        }
        if (IPV4.matcher(name).matches()) {
            byte[] b = new byte[4];
            String[] octets = name.split("\\.");
            for (int i = 0; i < 4; i++) {
                int v = Integer.parseInt(octets[i]);
                if (v > 255) {
                    return false;
                }
                b[i] = (byte) v;
            }
            try {
                return allowed(InetAddress.getByAddress(b));
            } catch (UnknownHostException e) {
                return false;
            }
        }
        return names.contains(normal(name));
    }

    private boolean literalAllowed(String ipv6) {
        try {
            return allowed(InetAddress.getByName(ipv6));
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private boolean allowed(InetAddress a) {
        return bound.isAnyLocalAddress() || a.equals(bound) || (a.isLoopbackAddress() && bound.isLoopbackAddress());
    }

    /** Case and a trailing dot do not change a DNS name. */
    private static String normal(String name) {
        String n = name.strip().toLowerCase(Locale.ROOT);
        return n.endsWith(".") ? n.substring(0, n.length() - 1) : n;
    }
}
