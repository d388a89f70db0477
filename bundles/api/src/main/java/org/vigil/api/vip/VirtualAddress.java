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

    /**
     * Parses one virtual_ipaddress, virtual_ipaddress_excluded or static_ipaddress entry as
     * keepalived writes it: {@code <IP>[/<mask>] [brd <IP>|+|-] [dev <if>] [scope <scope>]
     * [label <label>] [-nodad] [preferred_lft N|forever] ...}; words the record does not carry
     * (home, peer, mngtmpaddr, no_track, ...) are skipped. Without dev the address goes on
     * {@code defaultDevice}.
     *
     * @throws IllegalArgumentException on a bad address or prefix
     */
    public static VirtualAddress parse(String entry, String defaultDevice) {
        String[] words = entry.trim().split("\\s+");
        if (words.length == 0 || words[0].isEmpty()) {
            throw new IllegalArgumentException("empty address entry");
        }
        String addressPart = words[0];
        InetAddress address = Rules.destination(addressPart);
        int prefix = Rules.prefix(addressPart, address);
        String device = defaultDevice;
        String label = null;
        String scope = null;
        String broadcast = null;
        boolean noDad = false;
        long preferredLifetime = DEFAULT_LIFETIME;
        for (int i = 1; i < words.length; i++) {
            switch (words[i]) {
                case "dev" -> device = Rules.value(words, ++i, entry);
                case "label" -> label = Rules.value(words, ++i, entry);
                case "scope" -> scope = Rules.value(words, ++i, entry);
                case "brd", "broadcast" -> broadcast = Rules.value(words, ++i, entry);
                case "-nodad", "nodad" -> noDad = true;
                case "preferred_lft" -> {
                    String v = Rules.value(words, ++i, entry);
                    preferredLifetime = "forever".equalsIgnoreCase(v) ? FOREVER
                            : Rules.number(v, "preferred_lft", 0, FOREVER);
                }
                // words with a value that the record does not carry
                case "peer", "track_group" -> i++;
                default -> {
                    // flags such as home, mngtmpaddr, noprefixroute, autojoin, no_track, use_vmac
                }
            }
        }
        return new VirtualAddress(address, prefix, device, label, scope, broadcast, noDad, preferredLifetime);
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
