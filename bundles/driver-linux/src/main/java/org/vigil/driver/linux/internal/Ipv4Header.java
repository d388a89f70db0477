package org.vigil.driver.linux.internal;

import java.net.Inet4Address;

/** Builds an IPv4 header (RFC 791 section 3.1) for the IP_HDRINCL send path. */
final class Ipv4Header {
    private Ipv4Header() {
    }

    /**
     * Writes a 20-byte header without options: version 4, IHL 5, no fragmentation flags (DF
     * clear, as keepalived sends), and the header checksum.
     *
     * @param identification the IP ID; 0 lets the kernel choose one on a raw socket
     */
    static void write(byte[] b, int off, int tos, int identification, int ttl, int protocol, Inet4Address source,
            Inet4Address destination, int payloadLength) {
        int total = Ipv4Channel.HEADER_MIN + payloadLength;
        b[off] = 0x45;
        b[off + 1] = (byte) tos;
        b[off + 2] = (byte) (total >>> 8);
        b[off + 3] = (byte) total;
        b[off + 4] = (byte) (identification >>> 8);
        b[off + 5] = (byte) identification;
        b[off + 6] = 0;
        b[off + 7] = 0;
        b[off + 8] = (byte) ttl;
        b[off + 9] = (byte) protocol;
        b[off + 10] = 0;
        b[off + 11] = 0;
        System.arraycopy(source.getAddress(), 0, b, off + 12, 4);
        System.arraycopy(destination.getAddress(), 0, b, off + 16, 4);
        int sum = checksum(b, off, Ipv4Channel.HEADER_MIN);
        b[off + 10] = (byte) (sum >>> 8);
        b[off + 11] = (byte) sum;
    }

    /** RFC 1071 Internet checksum over {@code length} bytes. */
    static int checksum(byte[] b, int off, int length) {
        long sum = 0;
        int i = 0;
        for (; i + 1 < length; i += 2) {
            sum += ((b[off + i] & 0xff) << 8) | (b[off + i + 1] & 0xff);
        }
        if (i < length) {
            sum += (b[off + i] & 0xff) << 8;
        }
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return (int) (~sum & 0xffff);
    }
}
