package org.vigil.checker.internal;

import java.net.InetSocketAddress;

/** keepalived's ways of writing servers in log lines (checker.md section 2; virtual servers: {@link VsService#text}). */
final class Texts {
    private Texts() {
    }

    /** A real server: {@code [192.0.2.21]:tcp:80}. */
    static String realServer(InetSocketAddress address, String protocol) {
        return "[" + address.getAddress().getHostAddress() + "]:" + protocol + ":" + address.getPort();
    }
}
