package org.vigil.driver.pcap.internal;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Objects;

/**
 * Builds the whole Ethernet + IP frame a raw socket would have had the kernel build, since pcap
 * injects at layer 2. Plain Java, no state: the identification counter lives in the channel.
 */
final class Frames {

    static final int ETHERNET_HEADER = 14;
    static final int ETHERTYPE_IPV4 = 0x0800;
    static final int ETHERTYPE_IPV6 = 0x86dd;
    static final int IPV4_HEADER = 20;
    static final int IPV6_HEADER = 40;
    /** RFC 3768 section 5.2.3 and RFC 5798 section 5.1.1.3: TTL / hop limit must be 255. */
    static final int TTL = 255;
    /** keepalived sends adverts as precedence 6 (internetwork control), CS6; also the IPv6 traffic class. */
    static final int TOS = 0xc0;
    /** VRRP over IPv6 (RFC 5798 section 5.1.2.4: next header 112). */
    static final int PROTOCOL_VRRP = 112;
    /** RFC 5798 section 5.2.8: the checksum field of the VRRP header. */
    static final int VRRP_CHECKSUM_OFFSET = 6;
    static final int MAX_IPV4_PAYLOAD = 65535 - IPV4_HEADER;
    static final int MAX_IPV6_PAYLOAD = 65535;

    static final byte[] BROADCAST_MAC = { -1, -1, -1, -1, -1, -1 };

    private Frames() {
    }

    /**
     * An Ethernet frame carrying an IPv4 datagram built here: TOS 0xc0, the given identification,
     * DF clear, TTL 255, header checksum filled in.
     */
    static byte[] ipv4(byte[] srcMac, byte[] dstMac, int identification, int protocol, Inet4Address source,
            Inet4Address destination, byte[] payload, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, payload.length);
        if (length > MAX_IPV4_PAYLOAD) {
            throw new IllegalArgumentException("payload of " + length + " bytes exceeds " + MAX_IPV4_PAYLOAD);
        }
        byte[] frame = new byte[ETHERNET_HEADER + IPV4_HEADER + length];
        ethernet(frame, dstMac, srcMac, ETHERTYPE_IPV4);
        int ip = ETHERNET_HEADER;
        frame[ip] = 0x45;
        frame[ip + 1] = (byte) TOS;
        putShort(frame, ip + 2, IPV4_HEADER + length);
        putShort(frame, ip + 4, identification);
        // flags and fragment offset 0: DF clear, as in keepalived's adverts
        frame[ip + 8] = (byte) TTL;
        frame[ip + 9] = (byte) protocol;
        System.arraycopy(source.getAddress(), 0, frame, ip + 12, 4);
        System.arraycopy(destination.getAddress(), 0, frame, ip + 16, 4);
        putShort(frame, ip + 10, checksum(frame, ip, IPV4_HEADER, 0));
        System.arraycopy(payload, offset, frame, ip + IPV4_HEADER, length);
        return frame;
    }

    /**
     * An Ethernet frame around a caller-built IPv4 datagram (what IP_HDRINCL does): the header
     * checksum is filled in, and the identification when it is 0, as the kernel would.
     *
     * @throws IllegalArgumentException when the bytes are not one whole IPv4 datagram
     */
    static byte[] ipv4Datagram(byte[] srcMac, byte[] dstMac, byte[] datagram, int offset, int length,
            int identificationIfZero) {
        Objects.checkFromIndexSize(offset, length, datagram.length);
        if (length < IPV4_HEADER || (datagram[offset] & 0xf0) != 0x40) {
            throw new IllegalArgumentException("not an IPv4 datagram");
        }
        int ihl = (datagram[offset] & 0x0f) * 4;
        int total = getShort(datagram, offset + 2);
        if (ihl < IPV4_HEADER || ihl > length || total != length) {
            throw new IllegalArgumentException("IPv4 header length " + ihl + ", total length " + total + " but "
                    + length + " bytes");
        }
        byte[] frame = new byte[ETHERNET_HEADER + length];
        ethernet(frame, dstMac, srcMac, ETHERTYPE_IPV4);
        int ip = ETHERNET_HEADER;
        System.arraycopy(datagram, offset, frame, ip, length);
        if (getShort(frame, ip + 4) == 0) {
            putShort(frame, ip + 4, identificationIfZero);
        }
        putShort(frame, ip + 10, 0);
        putShort(frame, ip + 10, checksum(frame, ip, ihl, 0));
        return frame;
    }

    /**
     * An Ethernet frame carrying an IPv6 packet: traffic class 0xc0, flow label 0, hop limit 255.
     * For VRRP the checksum is computed here over the RFC 8200 section 8.1 pseudo-header, which
     * the kernel does for a raw socket with IPV6_CHECKSUM (RFC 5798 section 5.2.8).
     */
    static byte[] ipv6(byte[] srcMac, byte[] dstMac, int nextHeader, Inet6Address source, Inet6Address destination,
            byte[] payload, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, payload.length);
        if (length > MAX_IPV6_PAYLOAD) {
            throw new IllegalArgumentException("payload of " + length + " bytes exceeds " + MAX_IPV6_PAYLOAD);
        }
        byte[] frame = new byte[ETHERNET_HEADER + IPV6_HEADER + length];
        ethernet(frame, dstMac, srcMac, ETHERTYPE_IPV6);
        int ip = ETHERNET_HEADER;
        frame[ip] = (byte) (0x60 | (TOS >>> 4));
        frame[ip + 1] = (byte) ((TOS & 0x0f) << 4);
        putShort(frame, ip + 4, length);
        frame[ip + 6] = (byte) nextHeader;
        frame[ip + 7] = (byte) TTL;
        System.arraycopy(source.getAddress(), 0, frame, ip + 8, 16);
        System.arraycopy(destination.getAddress(), 0, frame, ip + 24, 16);
        int body = ip + IPV6_HEADER;
        System.arraycopy(payload, offset, frame, body, length);
        if (nextHeader == PROTOCOL_VRRP && length >= VRRP_CHECKSUM_OFFSET + 2) {
            putShort(frame, body + VRRP_CHECKSUM_OFFSET, 0);
            putShort(frame, body + VRRP_CHECKSUM_OFFSET, ipv6Checksum(frame, ip + 8, nextHeader, body, length));
        }
        return frame;
    }

    /** One's complement of the one's complement sum over the pseudo-header and the upper-layer data. */
    static int ipv6Checksum(byte[] addresses, int addressesOffset, int nextHeader, byte[] data, int offset, int length) {
        int sum = sum(addresses, addressesOffset, 32, 0);
        sum += (length >>> 16) + (length & 0xffff);
        sum += nextHeader;
        return checksum(data, offset, length, sum);
    }

    private static int ipv6Checksum(byte[] frame, int addressesOffset, int nextHeader, int offset, int length) {
        return ipv6Checksum(frame, addressesOffset, nextHeader, frame, offset, length);
    }

    /** RFC 1071 Internet checksum over the bytes, starting from a partial sum. */
    static int checksum(byte[] b, int offset, int length, int initial) {
        int sum = sum(b, offset, length, initial);
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return ~sum & 0xffff;
    }

    private static int sum(byte[] b, int offset, int length, int initial) {
        long sum = initial & 0xffffffffL;
        int i = offset;
        int end = offset + length;
        for (; i + 1 < end; i += 2) {
            sum += ((b[i] & 0xff) << 8) | (b[i + 1] & 0xff);
        }
        if (i < end) {
            sum += (b[i] & 0xff) << 8;
        }
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return (int) sum;
    }

    /**
     * The Ethernet group address of an IP multicast group: RFC 1112 section 6.4 (01:00:5e and
     * the low 23 bits) and RFC 2464 section 7 (33:33 and the low 32 bits).
     */
    static byte[] multicastMac(InetAddress group) {
        byte[] a = group.getAddress();
        if (a.length == 4) {
            return new byte[] { 0x01, 0x00, 0x5e, (byte) (a[1] & 0x7f), a[2], a[3] };
        }
        return new byte[] { 0x33, 0x33, a[12], a[13], a[14], a[15] };
    }

    /**
     * The Ethernet address of the solicited-node group of an IPv6 address (RFC 4291 section
     * 2.7.1, mapped by RFC 2464 section 7): every node listens there for each of its addresses,
     * so a frame to it reaches the owner when its neighbour entry is not known here.
     */
    static byte[] solicitedNodeMac(InetAddress address) {
        byte[] a = address.getAddress();
        return new byte[] { 0x33, 0x33, (byte) 0xff, a[13], a[14], a[15] };
    }

    private static void ethernet(byte[] frame, byte[] dstMac, byte[] srcMac, int etherType) {
        if (dstMac.length != 6 || srcMac.length != 6) {
            throw new IllegalArgumentException("MAC addresses are 6 bytes");
        }
        System.arraycopy(dstMac, 0, frame, 0, 6);
        System.arraycopy(srcMac, 0, frame, 6, 6);
        putShort(frame, 12, etherType);
    }

    static int getShort(byte[] b, int off) {
        return ((b[off] & 0xff) << 8) | (b[off + 1] & 0xff);
    }

    static void putShort(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 8);
        b[off + 1] = (byte) v;
    }
}
