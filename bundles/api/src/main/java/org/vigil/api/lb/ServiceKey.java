package org.vigil.api.lb;

import java.net.InetAddress;

/**
 * A virtual service's identity: address, protocol and port, or a firewall mark (with the family
 * it applies to). The same key keepalived diffs virtual servers by on reload.
 *
 * @param address  the virtual address, or null for a fwmark service
 * @param port     0..65535 (0 with a fwmark)
 * @param protocol "tcp", "udp" or "sctp"
 * @param fwmark   the mark, or 0 for an address service
 * @param ipv6     the family of a fwmark service (an address service has its address's)
 */
public record ServiceKey(InetAddress address, int port, String protocol, long fwmark, boolean ipv6) {

    public static ServiceKey of(InetAddress address, int port, String protocol) {
        return new ServiceKey(address, port, protocol, 0, address instanceof java.net.Inet6Address);
    }

    public static ServiceKey fwmark(long mark, boolean ipv6, String protocol) {
        return new ServiceKey(null, 0, protocol, mark, ipv6);
    }

    /** keepalived's form: {@code [192.0.2.249]:tcp:80} or {@code FWM 10}. */
    public String text() {
        return address == null ? "FWM " + fwmark : "[" + address.getHostAddress() + "]:" + protocol + ":" + port;
    }
}
