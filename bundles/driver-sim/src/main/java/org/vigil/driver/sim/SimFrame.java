package org.vigil.driver.sim;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;

/**
 * One frame on the simulated LAN, carried as one UDP datagram between {@link SimLanEndpoint}s.
 *
 * <p>Wire format, big-endian, no padding:
 * <pre>
 * offset size  field
 *  0      4    magic "VGSL" (0x5647534C)
 *  4      1    format version, {@value #FORMAT_VERSION}
 *  5      1    kind: 1 = IP packet, 2 = VIP announcement (the simulated gratuitous ARP or
 *              unsolicited neighbour advertisement), 3 = Ethernet frame (a whole frame as
 *              InterfaceDriver.sendFrame got it, e.g. a real gratuitous ARP, in the payload;
 *              both addresses 0.0.0.0), 4 = IPv4 datagram (a whole datagram, header included,
 *              as PacketChannel.sendDatagram got it, in the payload; protocol, TTL and
 *              addresses repeat its header's)
 *  6      1    family: 4 = IPv4, 6 = IPv6 (sets the size A of both addresses: 4 or 16)
 *  7      1    IP protocol (112 VRRP, 51 AH; 0 in a VIP announcement)
 *  8      1    TTL or hop limit as sent
 *  9      6    sender MAC
 * 15      1    N = length of the sender node name in UTF-8 bytes, at most {@value #MAX_NODE_BYTES}
 * 16      A    source IP address
 * 16+A    A    destination IP address
 * 16+2A   N    sender node name, UTF-8
 * 16+2A+N 2    P = payload length, unsigned
 * 18+2A+N P    payload (the IP payload: VRRP or AH+VRRP; empty in a VIP announcement)
 * </pre>
 * A VIP announcement carries the virtual address as both source and destination, like a
 * gratuitous ARP whose sender and target are the VIP. The datagram must end exactly after the
 * payload; anything else is not a frame.
 *
 * @param kind what the frame carries
 * @param protocol IP protocol, 0..255
 * @param ttl TTL or hop limit, 0..255
 * @param source IP source address (the VIP in an announcement)
 * @param destination IP destination address (the VIP in an announcement)
 * @param senderMac the sender's MAC, 6 bytes (copied on the way in and out)
 * @param senderNode the sending router's name
 * @param payload the IP payload (copied on the way in and out)
 */
public record SimFrame(Kind kind, int protocol, int ttl, InetAddress source, InetAddress destination,
        byte[] senderMac, String senderNode, byte[] payload) {

    /** "VGSL": tells a simulated-LAN datagram from stray traffic on the port. */
    public static final int MAGIC = 0x5647534C;
    /** Bumped on any incompatible change of the layout above. */
    public static final int FORMAT_VERSION = 1;
    public static final int MAX_NODE_BYTES = 64;
    /** Bounded by the 16-bit length field and by what one loopback UDP datagram can carry. */
    public static final int MAX_PAYLOAD = 65_000;

    private static final int FIXED_HEADER = 16;

    /** What a frame carries; the code is its byte on the wire. */
    public enum Kind {
        /** An IP packet: protocol, TTL, addresses and payload as an IP header would say. */
        IP_PACKET(1),
        /** "garp": a node announces that it now holds the virtual address in source/destination. */
        VIP_ANNOUNCEMENT(2),
        /** A whole Ethernet frame (header included) in the payload, as a driver sends it on layer 2. */
        ETHERNET_FRAME(3),
        /** A whole IPv4 datagram (header included) in the payload: the IP_HDRINCL path, used for AH. */
        IP_DATAGRAM(4);

        private final int code;

        Kind(int code) {
            this.code = code;
        }

        public int code() {
            return code;
        }

        static Optional<Kind> of(int code) {
            for (Kind k : values()) {
                if (k.code == code) {
                    return Optional.of(k);
                }
            }
            return Optional.empty();
        }
    }

    public SimFrame {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(senderMac, "senderMac");
        Objects.requireNonNull(senderNode, "senderNode");
        Objects.requireNonNull(payload, "payload");
        if (source.getClass() != destination.getClass()) {
            throw new IllegalArgumentException("source and destination differ in family: " + source + ", " + destination);
        }
        if (protocol < 0 || protocol > 255) {
            throw new IllegalArgumentException("protocol out of range: " + protocol);
        }
        if (ttl < 0 || ttl > 255) {
            throw new IllegalArgumentException("ttl out of range: " + ttl);
        }
        if (senderMac.length != 6) {
            throw new IllegalArgumentException("MAC must be 6 bytes, got " + senderMac.length);
        }
        if (senderNode.getBytes(StandardCharsets.UTF_8).length > MAX_NODE_BYTES) {
            throw new IllegalArgumentException("node name longer than " + MAX_NODE_BYTES + " bytes: " + senderNode);
        }
        if (payload.length > MAX_PAYLOAD) {
            throw new IllegalArgumentException("payload longer than " + MAX_PAYLOAD + " bytes: " + payload.length);
        }
        senderMac = senderMac.clone();
        payload = payload.clone();
    }

    /** An IP packet frame. */
    public static SimFrame packet(int protocol, int ttl, InetAddress source, InetAddress destination,
            byte[] senderMac, String senderNode, byte[] payload) {
        return new SimFrame(Kind.IP_PACKET, protocol, ttl, source, destination, senderMac, senderNode, payload);
    }

    /** A VIP announcement: {@code node} (with {@code mac}) now holds {@code vip}. */
    public static SimFrame vipAnnouncement(InetAddress vip, byte[] mac, String node) {
        return new SimFrame(Kind.VIP_ANNOUNCEMENT, 0, 255, vip, vip, mac, node, new byte[0]);
    }

    /**
     * A caller-built IPv4 datagram: protocol, TTL, source and destination are read from its
     * header (RFC 791 section 3.1), which must be complete; the datagram is the payload.
     *
     * @throws IllegalArgumentException when the bytes are not an IPv4 datagram whose total
     *         length is {@code datagram.length}
     */
    public static SimFrame datagram(byte[] datagram, byte[] mac, String node) {
        int ihl = datagram.length < IPV4_MIN_HEADER ? 0 : (datagram[0] & 0x0f) * 4;
        if (ihl < IPV4_MIN_HEADER || (datagram[0] & 0xf0) != 0x40 || ihl > datagram.length) {
            throw new IllegalArgumentException("not an IPv4 datagram");
        }
        int total = ((datagram[2] & 0xff) << 8) | (datagram[3] & 0xff);
        if (total != datagram.length) {
            throw new IllegalArgumentException("IPv4 total length " + total + " but " + datagram.length + " bytes");
        }
        try {
            InetAddress src = InetAddress.getByAddress(Arrays.copyOfRange(datagram, 12, 16));
            InetAddress dst = InetAddress.getByAddress(Arrays.copyOfRange(datagram, 16, 20));
            return new SimFrame(Kind.IP_DATAGRAM, datagram[9] & 0xff, datagram[8] & 0xff, src, dst, mac, node,
                    datagram);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** An IPv4 header without options (RFC 791 section 3.1). */
    public static final int IPV4_MIN_HEADER = 20;

    /**
     * The IPv4 header of this frame, as a raw IPv4 socket would deliver it: the datagram's own
     * for {@link Kind#IP_DATAGRAM}; for an IPv4 {@link Kind#IP_PACKET} the 20 bytes the kernel
     * would have built (TOS 0xc0, identification 0, DF clear, checksum); null otherwise.
     */
    public byte[] ipv4Header() {
        if (kind == Kind.IP_DATAGRAM) {
            return Arrays.copyOf(payload, (payload[0] & 0x0f) * 4);
        }
        if (kind != Kind.IP_PACKET || ipVersion() != 4) {
            return null;
        }
        byte[] h = new byte[IPV4_MIN_HEADER];
        int total = IPV4_MIN_HEADER + payload.length;
        h[0] = 0x45;
        h[1] = (byte) 0xc0;
        h[2] = (byte) (total >>> 8);
        h[3] = (byte) total;
        h[8] = (byte) ttl;
        h[9] = (byte) protocol;
        System.arraycopy(source.getAddress(), 0, h, 12, 4);
        System.arraycopy(destination.getAddress(), 0, h, 16, 4);
        int sum = ipv4HeaderChecksum(h);
        h[10] = (byte) (sum >>> 8);
        h[11] = (byte) sum;
        return h;
    }

    /** The IP payload: after the header of an {@link Kind#IP_DATAGRAM}, else the whole payload. */
    public byte[] ipPayload() {
        if (kind == Kind.IP_DATAGRAM) {
            return Arrays.copyOfRange(payload, (payload[0] & 0x0f) * 4, payload.length);
        }
        return payload.clone();
    }

    private static boolean isIpv4Datagram(byte[] d) {
        if (d.length < IPV4_MIN_HEADER || (d[0] & 0xf0) != 0x40) {
            return false;
        }
        int ihl = (d[0] & 0x0f) * 4;
        return ihl >= IPV4_MIN_HEADER && ihl <= d.length;
    }

    /** RFC 1071 checksum of an IPv4 header whose checksum field is zero. */
    public static int ipv4HeaderChecksum(byte[] header) {
        long sum = 0;
        for (int i = 0; i + 1 < header.length; i += 2) {
            sum += ((header[i] & 0xff) << 8) | (header[i + 1] & 0xff);
        }
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return (int) (~sum & 0xffff);
    }

    /** An Ethernet frame {@code node} (with {@code mac}) sent; the frame is the payload. */
    public static SimFrame ethernet(byte[] frame, byte[] mac, String node) {
        InetAddress none = unspecified();
        return new SimFrame(Kind.ETHERNET_FRAME, 0, 0, none, none, mac, node, frame);
    }

    private static InetAddress unspecified() {
        try {
            return InetAddress.getByAddress(new byte[4]);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** 4 or 6. */
    public int ipVersion() {
        return source instanceof Inet4Address ? 4 : 6;
    }

    @Override
    public byte[] senderMac() {
        return senderMac.clone();
    }

    @Override
    public byte[] payload() {
        return payload.clone();
    }

    /** The payload length, without copying it. */
    public int payloadLength() {
        return payload.length;
    }

    /** The sender MAC as "02:00:00:00:00:11". */
    public String senderMacText() {
        return HexFormat.ofDelimiter(":").formatHex(senderMac);
    }

    public byte[] encode() {
        byte[] node = senderNode.getBytes(StandardCharsets.UTF_8);
        byte[] src = source.getAddress();
        byte[] dst = destination.getAddress();
        ByteBuffer b = ByteBuffer.allocate(FIXED_HEADER + src.length + dst.length + node.length + 2 + payload.length);
        b.putInt(MAGIC)
                .put((byte) FORMAT_VERSION)
                .put((byte) kind.code())
                .put((byte) ipVersion())
                .put((byte) protocol)
                .put((byte) ttl)
                .put(senderMac)
                .put((byte) node.length)
                .put(src)
                .put(dst)
                .put(node)
                .putShort((short) payload.length)
                .put(payload);
        return b.array();
    }

    /** Decodes a whole datagram; empty for anything that is not exactly one valid frame. */
    public static Optional<SimFrame> decode(byte[] data) {
        return data == null ? Optional.empty() : decode(data, 0, data.length);
    }

    /** Decodes {@code length} bytes from {@code offset}; empty for anything that is not exactly one valid frame. */
    public static Optional<SimFrame> decode(byte[] data, int offset, int length) {
        if (data == null || offset < 0 || length < 0 || offset > data.length - length || length < FIXED_HEADER) {
            return Optional.empty();
        }
        ByteBuffer b = ByteBuffer.wrap(data, offset, length);
        if (b.getInt() != MAGIC || (b.get() & 0xff) != FORMAT_VERSION) {
            return Optional.empty();
        }
        Optional<Kind> kind = Kind.of(b.get() & 0xff);
        int family = b.get() & 0xff;
        int addressLength = family == 4 ? 4 : family == 6 ? 16 : -1;
        if (kind.isEmpty() || addressLength < 0) {
            return Optional.empty();
        }
        int protocol = b.get() & 0xff;
        int ttl = b.get() & 0xff;
        byte[] mac = new byte[6];
        b.get(mac);
        int nodeLength = b.get() & 0xff;
        if (nodeLength > MAX_NODE_BYTES || b.remaining() < 2 * addressLength + nodeLength + 2) {
            return Optional.empty();
        }
        byte[] src = new byte[addressLength];
        byte[] dst = new byte[addressLength];
        byte[] node = new byte[nodeLength];
        b.get(src).get(dst).get(node);
        int payloadLength = b.getShort() & 0xffff;
        if (b.remaining() != payloadLength || payloadLength > MAX_PAYLOAD) {
            return Optional.empty();
        }
        byte[] payload = new byte[payloadLength];
        b.get(payload);
        if (kind.get() == Kind.IP_DATAGRAM && (family != 4 || !isIpv4Datagram(payload))) {
            return Optional.empty();
        }
        try {
            InetAddress source = InetAddress.getByAddress(src);
            InetAddress destination = InetAddress.getByAddress(dst);
            // getByAddress turns an IPv4-mapped IPv6 address into an Inet4Address: not a frame we sent
            if ((addressLength == 16) != (source instanceof Inet6Address)
                    || (addressLength == 16) != (destination instanceof Inet6Address)) {
                return Optional.empty();
            }
            // Node names are ours, but garbage could hold malformed UTF-8: decoding replaces, never throws
            return Optional.of(new SimFrame(kind.get(), protocol, ttl, source, destination, mac,
                    new String(node, StandardCharsets.UTF_8), payload));
        } catch (UnknownHostException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SimFrame f && kind == f.kind && protocol == f.protocol && ttl == f.ttl
                && source.equals(f.source) && destination.equals(f.destination)
                && Arrays.equals(senderMac, f.senderMac) && senderNode.equals(f.senderNode)
                && Arrays.equals(payload, f.payload);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, protocol, ttl, source, destination, Arrays.hashCode(senderMac), senderNode,
                Arrays.hashCode(payload));
    }

    @Override
    public String toString() {
        return kind + " " + source.getHostAddress() + " > " + destination.getHostAddress() + " proto " + protocol
                + " ttl " + ttl + " from " + senderNode + " (" + senderMacText() + "), " + payload.length + " bytes";
    }
}
