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
 * @param preferredLifetime IPv6 preferred_lft in seconds, {@link #FOREVER}, or
 *        {@link #DEFAULT_LIFETIME} for keepalived's rule (a /128 is added deprecated, preferred_lft
 *        0, so the kernel never picks it as a source address; anything else forever)
 */
public record VirtualAddress(InetAddress address, int prefixLength, String device, String label, String scope,
        String broadcast, boolean noDad, long preferredLifetime) {

    /** preferred_lft not configured: keepalived's rule applies. */
    public static final long DEFAULT_LIFETIME = -1;
    /** preferred_lft forever (INFINITY_LIFE_TIME in linux/if_addr.h). */
    public static final long FOREVER = 0xFFFF_FFFFL;

    public VirtualAddress {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(device, "device");
        if (preferredLifetime < DEFAULT_LIFETIME || preferredLifetime > FOREVER) {
            throw new IllegalArgumentException("preferred lifetime " + preferredLifetime);
        }
    }

    /** An address with keepalived's default preferred lifetime. */
    public VirtualAddress(InetAddress address, int prefixLength, String device, String label, String scope,
            String broadcast, boolean noDad) {
        this(address, prefixLength, device, label, scope, broadcast, noDad, DEFAULT_LIFETIME);
    }

    /** The preferred lifetime to ask the kernel for, with keepalived's rule applied. */
    public long effectivePreferredLifetime() {
        if (preferredLifetime != DEFAULT_LIFETIME) {
            return preferredLifetime;
        }
        return address.getAddress().length == 16 && prefixLength == 128 ? 0 : FOREVER;
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
