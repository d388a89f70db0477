package org.vigil.config;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** Parses IP address literals without ever asking DNS. */
final class IpLiterals {
    private IpLiterals() {
    }

    /** The address, or null when {@code text} is not an IPv4 dotted quad or an IPv6 literal. */
    static InetAddress parse(String text) {
        if (text.indexOf(':') >= 0) {
            int scope = text.indexOf('%');
            if (scope > 0) {
                // A zone (fe80::1%eth0) names an interface; the address is what we check.
                text = text.substring(0, scope);
            }
            if (!text.matches("[0-9A-Fa-f:.]+")) {
                return null;
            }
            try {
                // With a ':' and only hex digits, dots and colons the JDK parses a literal and
                // throws on a malformed one; it never does a name lookup.
                return InetAddress.getByName(text);
            } catch (UnknownHostException e) {
                return null;
            }
        }
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            return null;
        }
        byte[] bytes = new byte[4];
        for (int i = 0; i < 4; i++) {
            if (!parts[i].matches("\\d{1,3}")) {
                return null;
            }
            int value = Integer.parseInt(parts[i]);
            if (value > 255) {
                return null;
            }
            bytes[i] = (byte) value;
        }
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
