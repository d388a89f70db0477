package org.vigil.api.vip;

import java.net.InetAddress;
import java.util.Objects;

/**
 * One virtual address as keepalived's virtual_ipaddress describes it.
 *
 * @param address the address
 * @param prefixLength prefix length (32 or 128 when none was given)
 * @param device the interface to put it on
 * @param label the IPv4 label (eth0:1), or null
 * @param scope "global", "site", "link", "host", "nowhere", or null for global
 * @param broadcast the broadcast address, "+", "-" or null
 * @param noDad IPv6: add without duplicate address detection
 */
public record VirtualAddress(InetAddress address, int prefixLength, String device, String label, String scope,
        String broadcast, boolean noDad) {

    public VirtualAddress {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(device, "device");
    }

    /** "192.0.2.249/24" */
    public String cidr() {
        return address.getHostAddress() + "/" + prefixLength;
    }

    @Override
    public String toString() {
        return cidr() + " dev " + device + (label != null ? " label " + label : "");
    }
}
