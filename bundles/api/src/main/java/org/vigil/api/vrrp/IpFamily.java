package org.vigil.api.vrrp;

import java.net.Inet4Address;
import java.net.InetAddress;

/** The address family an instance runs on. One family per instance, as in keepalived. */
public enum IpFamily {
    IPV4,
    IPV6;

    public static IpFamily of(InetAddress address) {
        return address instanceof Inet4Address ? IPV4 : IPV6;
    }
}
