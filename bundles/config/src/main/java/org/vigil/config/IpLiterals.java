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

    /** The address as keepalived prints it: dotted quad, or IPv6 compressed as RFC 5952 section 4 says. */
    static String text(InetAddress address) {
        byte[] b = address.getAddress();
        if (b.length == 4) {
            return address.getHostAddress();
        }
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = ((b[2 * i] & 0xFF) << 8) | (b[2 * i + 1] & 0xFF);
        }
        // the longest run of two or more zero groups (the first of equals) becomes "::"
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; ) {
            if (groups[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j;
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                out.append("::");
                i += bestLength - 1;
                continue;
            }
            if (out.length() > 0 && out.charAt(out.length() - 1) != ':') {
                out.append(':');
            }
            out.append(Integer.toHexString(groups[i]));
        }
        return out.toString();
    }
}
