package org.vigil.codec;

import java.util.Objects;

/**
 * Ethernet frames a new master sends for its virtual addresses (RFC 5798 6.4.1, 6.4.2): gratuitous
 * ARP for IPv4 and unsolicited Neighbor Advertisement for IPv6, laid out as keepalived 2.2.7 sends
 * them. Writes into the caller's buffer without allocating; no padding is added (the kernel or NIC
 * pads short frames).
 */
public final class AnnouncementFrames {
    private AnnouncementFrames() {
    }

    /** Destination MAC, source MAC, EtherType (IEEE 802.3). */
    public static final int ETHERNET_HEADER_LENGTH = 14;
    /** EtherType of ARP (RFC 826). */
    public static final int ETHERTYPE_ARP = 0x0806;
    /** EtherType of IPv6 (RFC 2464 3). */
    public static final int ETHERTYPE_IPV6 = 0x86DD;
    /** ARP for Ethernet/IPv4: htype 1, ptype 0x0800, hlen 6, plen 4, op, 2 x (MAC, IPv4) (RFC 826). */
    public static final int ARP_LENGTH = 28;
    /** Length of a gratuitous ARP frame. */
    public static final int GRATUITOUS_ARP_FRAME_LENGTH = ETHERNET_HEADER_LENGTH + ARP_LENGTH;
    private static final int ARP_HTYPE_ETHERNET = 1;
    private static final int ARP_PTYPE_IPV4 = 0x0800;
    /** ARP request: keepalived announces with a request, sender = target = the address (RFC 5227 3). */
    private static final int ARP_OP_REQUEST = 1;

    /** Fixed IPv6 header (RFC 8200 3). */
    public static final int IPV6_HEADER_LENGTH = 40;
    /** Next header value of ICMPv6 (RFC 4443). */
    public static final int IPPROTO_ICMPV6 = 58;
    /** ICMPv6 type of a Neighbor Advertisement (RFC 4861 4.4). */
    public static final int ICMPV6_NEIGHBOR_ADVERTISEMENT = 136;
    /** Router flag of a Neighbor Advertisement (RFC 4861 4.4). */
    public static final int NA_FLAG_ROUTER = 0x80;
    /** Solicited flag; unsolicited adverts leave it clear (RFC 4861 4.4, 7.2.6). */
    public static final int NA_FLAG_SOLICITED = 0x40;
    /** Override flag (RFC 4861 4.4). */
    public static final int NA_FLAG_OVERRIDE = 0x20;
    /** Target Link-Layer Address option type (RFC 4861 4.6.1). */
    private static final int ND_OPT_TARGET_LINK_LAYER_ADDRESS = 2;
    /** Type, code, checksum, flags + reserved, target, then the 8-byte option (RFC 4861 4.4, 4.6.1). */
    public static final int NEIGHBOR_ADVERTISEMENT_LENGTH = 4 + 4 + 16 + 8;
    /** Length of an unsolicited Neighbor Advertisement frame. */
    public static final int NEIGHBOR_ADVERTISEMENT_FRAME_LENGTH =
            ETHERNET_HEADER_LENGTH + IPV6_HEADER_LENGTH + NEIGHBOR_ADVERTISEMENT_LENGTH;
    /** Neighbor Discovery messages are sent and accepted with hop limit 255 (RFC 4861 7.1.2). */
    private static final int ND_HOP_LIMIT = 255;
    /** All-nodes multicast ff02::1 (RFC 4291 2.7.1), the destination of unsolicited adverts (RFC 4861 7.2.6). */
    private static final byte[] ALL_NODES = {(byte) 0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};

    /**
     * Writes a gratuitous ARP: broadcast ARP request with sender and target protocol address both
     * {@code ipv4}, target hardware address ff:ff:ff:ff:ff:ff (as keepalived sends it).
     *
     * @param mac 6 bytes: Ethernet source and ARP sender hardware address (the virtual MAC, or the
     *        interface MAC when no VMAC is used)
     * @param ipv4 the virtual address, 4 bytes
     * @return the frame length, {@link #GRATUITOUS_ARP_FRAME_LENGTH}
     * @throws IllegalArgumentException on a wrong address size or a buffer too small
     */
    public static int gratuitousArp(byte[] mac, byte[] ipv4, byte[] out, int off) {
        requireLength(mac, VirtualMac.LENGTH, "mac");
        requireLength(ipv4, VrrpCodec.IPV4_ADDRESS_LENGTH, "ipv4");
        requireRoom(out, off, GRATUITOUS_ARP_FRAME_LENGTH);
        int p = off;
        p = fill(out, p, 0xFF, VirtualMac.LENGTH);
        p = copy(mac, out, p);
        p = putShort(out, p, ETHERTYPE_ARP);
        p = putShort(out, p, ARP_HTYPE_ETHERNET);
        p = putShort(out, p, ARP_PTYPE_IPV4);
        out[p++] = VirtualMac.LENGTH;
        out[p++] = VrrpCodec.IPV4_ADDRESS_LENGTH;
        p = putShort(out, p, ARP_OP_REQUEST);
        p = copy(mac, out, p);
        p = copy(ipv4, out, p);
        p = fill(out, p, 0xFF, VirtualMac.LENGTH);
        p = copy(ipv4, out, p);
        return p - off;
    }

    /**
     * Writes an unsolicited Neighbor Advertisement to ff02::1 (RFC 4861 7.2.6) with the Target
     * Link-Layer Address option, hop limit 255, flow label 0.
     *
     * @param mac 6 bytes: Ethernet source and target link-layer address
     * @param source the IPv6 source, 16 bytes (keepalived uses the virtual address itself)
     * @param target the virtual address being announced, 16 bytes
     * @param flags any of {@link #NA_FLAG_ROUTER}, {@link #NA_FLAG_OVERRIDE} (keepalived 2.2.7 sends
     *        Override only; RFC 5798 6.4.1 asks for Router too)
     * @return the frame length, {@link #NEIGHBOR_ADVERTISEMENT_FRAME_LENGTH}
     * @throws IllegalArgumentException on a wrong address size or a buffer too small
     */
    public static int unsolicitedNeighborAdvertisement(byte[] mac, byte[] source, byte[] target, int flags,
            byte[] out, int off) {
        requireLength(mac, VirtualMac.LENGTH, "mac");
        requireLength(source, VrrpCodec.IPV6_ADDRESS_LENGTH, "source");
        requireLength(target, VrrpCodec.IPV6_ADDRESS_LENGTH, "target");
        if ((flags & ~(NA_FLAG_ROUTER | NA_FLAG_SOLICITED | NA_FLAG_OVERRIDE)) != 0) {
            throw new IllegalArgumentException("unknown NA flags: 0x" + Integer.toHexString(flags));
        }
        requireRoom(out, off, NEIGHBOR_ADVERTISEMENT_FRAME_LENGTH);
        int p = off;
        // IPv6 multicast MAC 33:33 + the low 32 bits of the group (RFC 2464 7)
        out[p++] = 0x33;
        out[p++] = 0x33;
        p = copy(ALL_NODES, 12, 4, out, p);
        p = copy(mac, out, p);
        p = putShort(out, p, ETHERTYPE_IPV6);

        int ip = p;
        out[p++] = 0x60; // version 6, traffic class 0, flow label 0
        p = fill(out, p, 0, 3);
        p = putShort(out, p, NEIGHBOR_ADVERTISEMENT_LENGTH);
        out[p++] = IPPROTO_ICMPV6;
        out[p++] = (byte) ND_HOP_LIMIT;
        p = copy(source, out, p);
        p = copy(ALL_NODES, out, p);

        int icmp = p;
        out[p++] = (byte) ICMPV6_NEIGHBOR_ADVERTISEMENT;
        out[p++] = 0; // code
        p = putShort(out, p, 0); // checksum, filled below
        out[p++] = (byte) flags;
        p = fill(out, p, 0, 3);
        p = copy(target, out, p);
        out[p++] = ND_OPT_TARGET_LINK_LAYER_ADDRESS;
        out[p++] = 1; // option length in units of 8 bytes
        p = copy(mac, out, p);

        // ICMPv6 checksum covers the RFC 8200 8.1 pseudo-header (RFC 4443 2.3)
        long sum = VrrpCodec.sum(out, icmp, NEIGHBOR_ADVERTISEMENT_LENGTH) + VrrpCodec.pseudoHeaderSum(out, ip + 8,
                out, ip + 24, VrrpCodec.IPV6_ADDRESS_LENGTH, NEIGHBOR_ADVERTISEMENT_LENGTH, IPPROTO_ICMPV6);
        putShort(out, icmp + 2, ~VrrpCodec.fold(sum) & 0xFFFF);
        return p - off;
    }

    private static void requireLength(byte[] a, int length, String name) {
        if (a == null || a.length != length) {
            throw new IllegalArgumentException(name + " must be " + length + " bytes");
        }
    }

    private static void requireRoom(byte[] out, int off, int length) {
        Objects.requireNonNull(out, "out");
        if (off < 0 || off > out.length - length) {
            throw new IllegalArgumentException("output buffer too small for " + length + " bytes at offset " + off);
        }
    }

    private static int fill(byte[] out, int p, int value, int n) {
        for (int i = 0; i < n; i++) {
            out[p + i] = (byte) value;
        }
        return p + n;
    }

    private static int copy(byte[] from, byte[] out, int p) {
        return copy(from, 0, from.length, out, p);
    }

    private static int copy(byte[] from, int fromOff, int n, byte[] out, int p) {
        System.arraycopy(from, fromOff, out, p, n);
        return p + n;
    }

    private static int putShort(byte[] out, int p, int value) {
        out[p] = (byte) (value >>> 8);
        out[p + 1] = (byte) value;
        return p + 2;
    }
}
