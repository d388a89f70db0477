package org.vigil.api.check;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * One configured check block of one real server, as the checker hands it to
 * {@link CheckType#prepare}: the common keywords already resolved, the type's own keywords in
 * {@link #properties()}.
 *
 * @param type             the block name, "TCP_CHECK"
 * @param id               stable identity of this check across reloads (virtual server, real
 *                         server, position), for a type's own bookkeeping
 * @param realServer       the real server as configured
 * @param connectTo        where to connect: connect_ip / connect_port, else the real server
 * @param bindTo           bindto (source address), or null
 * @param connectTimeout   connect_timeout (keepalived's default 5 s)
 * @param protocol         the virtual server's protocol: "tcp", "udp" or "sctp"
 * @param virtualServerText the virtual server as keepalived logs it: "[192.0.2.249]:tcp:80", "FWM 10"
 * @param properties       the block's other keywords and sub-blocks
 * @param origin           "file:line" of the block, for messages
 */
public record CheckSpec(String type, String id, InetSocketAddress realServer, InetSocketAddress connectTo,
        InetAddress bindTo, Duration connectTimeout, String protocol, String virtualServerText,
        CheckProperties properties, String origin) {

    public CheckSpec {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(realServer, "realServer");
        Objects.requireNonNull(connectTo, "connectTo");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(virtualServerText, "virtualServerText");
        Objects.requireNonNull(properties, "properties");
        Objects.requireNonNull(origin, "origin");
    }

    public Optional<InetAddress> bindAddress() {
        return Optional.ofNullable(bindTo);
    }

    /** The real server as keepalived logs it: {@code [192.0.2.21]:tcp:80}. */
    public String realServerText() {
        return "[" + realServer.getAddress().getHostAddress() + "]:" + protocol + ":" + realServer.getPort();
    }

    /** Where the check connects, in the same form. */
    public String connectText() {
        return "[" + connectTo.getAddress().getHostAddress() + "]:" + protocol + ":" + connectTo.getPort();
    }
}
