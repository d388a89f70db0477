package org.vigil.checker.internal;

import java.net.InetSocketAddress;
import java.util.Locale;

/** keepalived's ways of writing servers in log lines (checker.md section 2). */
final class Texts {
    private Texts() {
    }

    /**
     * The virtual server of a {@link org.vigil.api.check.CheckerPids#VIRTUAL_SERVER_KEY}:
     * "192.0.2.249:tcp:80" is {@code [192.0.2.249]:tcp:80}, "[2001:db8::1]:tcp:80" is
     * {@code [2001:db8::1]:tcp:80}, "fwmark:10:inet" is {@code FWM 10}, "group:NAME:tcp" is
     * {@code [NAME]:tcp:0}. Anything else is shown as it is.
     */
    static String virtualServer(String key) {
        if (key.startsWith("fwmark:")) {
            String[] p = key.split(":");
            return p.length > 1 ? "FWM " + p[1] : key;
        }
        if (key.startsWith("group:")) {
            int last = key.lastIndexOf(':');
            if (last <= 6) {
                return "[" + key.substring(6) + "]";
            }
            String tail = key.substring(last + 1);
            // the bridge writes "group:NAME:tcp"; keepalived logs such a service as [NAME]:tcp:0
            return "[" + key.substring(6, last) + "]:" + (tail.matches("\\d+") ? tail : tail + ":0");
        }
        int portColon = key.lastIndexOf(':');
        int protoColon = portColon > 0 ? key.lastIndexOf(':', portColon - 1) : -1;
        if (protoColon <= 0) {
            return key;
        }
        String address = key.substring(0, protoColon);
        if (address.startsWith("[") && address.endsWith("]")) {
            address = address.substring(1, address.length() - 1);
        }
        return "[" + address + "]:" + key.substring(protoColon + 1, portColon).toLowerCase(Locale.ROOT) + ":"
                + key.substring(portColon + 1);
    }

    /** The protocol named in an address key, "tcp" for fwmark and group keys (their configuration says). */
    static String protocolOf(String key) {
        if (key.startsWith("group:")) {
            String tail = key.substring(key.lastIndexOf(':') + 1);
            return tail.matches("[a-z]+") ? tail : "tcp";
        }
        if (key.startsWith("fwmark:")) {
            return "tcp";
        }
        int portColon = key.lastIndexOf(':');
        int protoColon = portColon > 0 ? key.lastIndexOf(':', portColon - 1) : -1;
        return protoColon > 0 ? key.substring(protoColon + 1, portColon).toLowerCase(Locale.ROOT) : "tcp";
    }

    /** A real server: {@code [192.0.2.21]:tcp:80}. */
    static String realServer(InetSocketAddress address, String protocol) {
        return "[" + address.getAddress().getHostAddress() + "]:" + protocol + ":" + address.getPort();
    }
}
