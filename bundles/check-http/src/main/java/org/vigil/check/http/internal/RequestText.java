package org.vigil.check.http.internal;

import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * keepalived's GET request, header for header in its order: the request line,
 * {@code User-Agent: KeepAliveClient}, {@code Connection: close} for 1.1 and 1.0C, and
 * {@code Host}: the virtualhost as written, else the address connected to with its port
 * (an IPv6 literal in brackets). Built by hand because java.net.http refuses a Host header of
 * our choosing and cannot speak HTTP/1.0.
 */
final class RequestText {
    private RequestText() {
    }

    static byte[] get(String path, HttpProtocol protocol, String virtualhost, InetSocketAddress connectTo) {
        StringBuilder r = new StringBuilder(128);
        r.append("GET ").append(path).append(' ').append(protocol.version).append("\r\n");
        r.append("User-Agent: KeepAliveClient\r\n");
        if (protocol.connectionClose) {
            r.append("Connection: close\r\n");
        }
        r.append("Host: ").append(virtualhost != null ? virtualhost : hostPort(connectTo)).append("\r\n\r\n");
        return r.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    static String hostPort(InetSocketAddress a) {
        String host = a.getAddress() instanceof Inet6Address v6 ? "[" + compressed(v6.getAddress()) + "]"
                : a.getAddress().getHostAddress();
        return host + ":" + a.getPort();
    }

    /** RFC 5952 text (inet_ntop's): the longest run of two or more zero groups as "::", lower case. */
    static String compressed(byte[] v6) {
        int[] g = new int[8];
        for (int i = 0; i < 8; i++) {
            g[i] = ((v6[2 * i] & 0xff) << 8) | (v6[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8;) {
            if (g[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && g[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j;
        }
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                s.append("::");
                i += bestLength - 1;
                continue;
            }
            if (s.length() > 0 && s.charAt(s.length() - 1) != ':') {
                s.append(':');
            }
            s.append(Integer.toHexString(g[i]));
        }
        return s.toString();
    }
}
