package org.vigil.api.driver;

import java.net.InetAddress;

/**
 * What a driver knows of one interface.
 *
 * @param name interface name
 * @param index interface index
 * @param mac the hardware address, 6 bytes (copy on read)
 * @param primaryIpv4 the primary IPv4 address, null if none
 * @param linkLocalIpv6 the IPv6 link-local address, null if none
 * @param up whether the link is up (IFF_UP and carrier)
 */
public record LinkInfo(String name, int index, byte[] mac, InetAddress primaryIpv4, InetAddress linkLocalIpv6,
        boolean up) {

    public LinkInfo {
        mac = mac.clone();
    }

    @Override
    public byte[] mac() {
        return mac.clone();
    }
}
