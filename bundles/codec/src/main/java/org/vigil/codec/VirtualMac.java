package org.vigil.codec;

import java.util.Objects;

/**
 * The virtual router MAC address (RFC 5798 7.3, RFC 3768 7.3): IPv4 {@code 00-00-5E-00-01-{VRID}},
 * IPv6 {@code 00-00-5E-00-02-{VRID}}.
 */
public final class VirtualMac {
    private VirtualMac() {
    }

    /** Length of an Ethernet MAC address. */
    public static final int LENGTH = 6;
    /** IANA OUI 00-00-5E and the 00 that follows it (RFC 5798 7.3). */
    private static final int PREFIX_0 = 0x00;
    private static final int PREFIX_1 = 0x00;
    private static final int PREFIX_2 = 0x5E;
    private static final int PREFIX_3 = 0x00;
    /** The byte that tells IPv4 (01) from IPv6 (02) virtual routers (RFC 5798 7.3). */
    private static final int FAMILY_IPV4 = 0x01;
    private static final int FAMILY_IPV6 = 0x02;

    /**
     * Writes the virtual MAC of {@code vrid} into {@code out} at {@code off}, without allocating.
     *
     * @throws IllegalArgumentException if vrid is not 1..255
     * @throws IndexOutOfBoundsException if 6 bytes do not fit
     */
    public static void write(int vrid, boolean ipv6, byte[] out, int off) {
        if (vrid < 1 || vrid > 255) {
            throw new IllegalArgumentException("vrid must be 1..255: " + vrid);
        }
        Objects.checkFromIndexSize(off, LENGTH, out.length);
        out[off] = PREFIX_0;
        out[off + 1] = PREFIX_1;
        out[off + 2] = PREFIX_2;
        out[off + 3] = PREFIX_3;
        out[off + 4] = (byte) (ipv6 ? FAMILY_IPV6 : FAMILY_IPV4);
        out[off + 5] = (byte) vrid;
    }

    /** The virtual MAC of {@code vrid} as 6 new bytes. */
    public static byte[] of(int vrid, boolean ipv6) {
        byte[] mac = new byte[LENGTH];
        write(vrid, ipv6, mac, 0);
        return mac;
    }

    /** The virtual MAC in the form {@code ip link} uses: {@code 00:00:5e:00:01:33}. */
    public static String toString(int vrid, boolean ipv6) {
        return format(of(vrid, ipv6), 0);
    }

    /**
     * The VRID if the 6 bytes at {@code off} are a virtual router MAC of either family, else -1.
     * Does not allocate.
     */
    public static int vridOf(byte[] mac, int off) {
        if (mac == null || off < 0 || off > mac.length - LENGTH) {
            return -1;
        }
        int family = mac[off + 4] & 0xFF;
        int vrid = mac[off + 5] & 0xFF;
        boolean prefix = (mac[off] & 0xFF) == PREFIX_0 && (mac[off + 1] & 0xFF) == PREFIX_1
                && (mac[off + 2] & 0xFF) == PREFIX_2 && (mac[off + 3] & 0xFF) == PREFIX_3;
        return prefix && (family == FAMILY_IPV4 || family == FAMILY_IPV6) && vrid != 0 ? vrid : -1;
    }

    /** Formats 6 bytes as lower-case colon-separated hex. */
    public static String format(byte[] mac, int off) {
        Objects.checkFromIndexSize(off, LENGTH, mac.length);
        StringBuilder s = new StringBuilder(17);
        for (int i = 0; i < LENGTH; i++) {
            if (i > 0) {
                s.append(':');
            }
            s.append(Character.forDigit((mac[off + i] >> 4) & 0xF, 16)).append(Character.forDigit(mac[off + i] & 0xF, 16));
        }
        return s.toString();
    }
}
