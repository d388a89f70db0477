package org.vigil.api.driver;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Objects;

/**
 * One received IP datagram as a reusable view: the driver fills one instance per receive thread
 * and hands it to {@link PacketListener#received}; the view is valid only during that call, so a
 * listener that keeps the packet copies it ({@link #copyFrom}). This keeps the receive path free
 * of per-packet allocation (issue 8: 510 instances advertise in one burst each second, and a
 * flood must not turn into garbage).
 *
 * <p>The bytes are one array: the IPv4 header (when the driver has it, as AH needs) from
 * {@link #headerOffset()} for {@link #headerLength()} bytes, and the IP payload from
 * {@link #offset()} for {@link #length()} bytes. Addresses are raw bytes, 4 or 16 long.
 *
 * <p>The accessors that return objects ({@link #source()}, {@link #destination()},
 * {@link #ipHeader()}) allocate; they are for tests and logs, not for the hot path.
 */
public final class ReceivedPacket {
    /** Largest IP datagram: the upper bound of what a view ever holds. */
    public static final int MAX_DATAGRAM = 65535;

    private String interfaceName;
    private int protocol;
    private int ttl;
    private long receivedNanos;
    private final byte[] source = new byte[16];
    private final byte[] destination = new byte[16];
    private int addressLength;
    private byte[] data;
    private int headerOffset;
    private int headerLength;
    private int offset;
    private int length;
    /** Whether {@link #data} is this view's own buffer, which {@link #copyFrom} may reuse. */
    private boolean ownsData;

    /** An empty view for a driver or a queue to fill. */
    public ReceivedPacket() {
        data = new byte[0];
        ownsData = true;
    }

    /**
     * A view over the given bytes, for drivers that build each packet anyway and for tests.
     *
     * @param interfaceName where it arrived
     * @param source IP source address
     * @param destination IP destination address
     * @param ttl IPv4 TTL or IPv6 hop limit as received
     * @param protocol IP protocol (112, or 51 for AH)
     * @param ipHeader the raw IPv4 header when the driver has it (needed to verify AH), else null
     * @param data the IP payload, from {@code offset} for {@code length} bytes
     * @param offset start of the payload in data
     * @param length payload length
     * @param receivedNanos System.nanoTime() at reception
     */
    public ReceivedPacket(String interfaceName, InetAddress source, InetAddress destination, int ttl, int protocol,
            byte[] ipHeader, byte[] data, int offset, int length, long receivedNanos) {
        Objects.checkFromIndexSize(offset, length, data.length);
        if (ipHeader != null) {
            byte[] joined = new byte[ipHeader.length + length];
            System.arraycopy(ipHeader, 0, joined, 0, ipHeader.length);
            System.arraycopy(data, offset, joined, ipHeader.length, length);
            wrap(interfaceName, protocol, ttl, joined, 0, ipHeader.length, ipHeader.length, length, receivedNanos);
        } else {
            wrap(interfaceName, protocol, ttl, data, 0, 0, offset, length, receivedNanos);
        }
        if (source != null && destination != null) {
            addresses(source.getAddress(), 0, destination.getAddress(), 0, source.getAddress().length);
        } else if (source != null) {
            byte[] s = source.getAddress();
            addresses(s, 0, new byte[s.length], 0, s.length);
        }
    }

    /**
     * Points the view at a driver's buffer (no copy).
     *
     * @param headerLength 0 when the driver has no IPv4 header to give
     * @return this
     */
    public ReceivedPacket wrap(String interfaceName, int protocol, int ttl, byte[] buffer, int headerOffset,
            int headerLength, int offset, int length, long receivedNanos) {
        Objects.checkFromIndexSize(offset, length, buffer.length);
        Objects.checkFromIndexSize(headerOffset, headerLength, buffer.length);
        this.interfaceName = interfaceName;
        this.protocol = protocol;
        this.ttl = ttl;
        this.data = buffer;
        this.ownsData = false;
        this.headerOffset = headerOffset;
        this.headerLength = headerLength;
        this.offset = offset;
        this.length = length;
        this.receivedNanos = receivedNanos;
        return this;
    }

    /**
     * Sets both addresses from raw bytes.
     *
     * @param length 4 (IPv4) or 16 (IPv6)
     * @return this
     */
    public ReceivedPacket addresses(byte[] src, int srcOffset, byte[] dst, int dstOffset, int length) {
        if (length != 4 && length != 16) {
            throw new IllegalArgumentException("address length " + length);
        }
        System.arraycopy(src, srcOffset, source, 0, length);
        System.arraycopy(dst, dstOffset, destination, 0, length);
        addressLength = length;
        return this;
    }

    /**
     * Makes this view a copy of another, into buffers it owns: grown when too small, reused
     * otherwise, so a queue of views allocates only while its slots grow.
     */
    public void copyFrom(ReceivedPacket other) {
        int start = other.headerLength > 0 ? Math.min(other.headerOffset, other.offset) : other.offset;
        int end = other.offset + other.length;
        int size = end - start;
        if (!ownsData || data.length < size) {
            data = new byte[Math.max(size, Math.min(MAX_DATAGRAM, ownsData ? data.length * 2 : size))];
            ownsData = true;
        }
        System.arraycopy(other.data, start, data, 0, size);
        interfaceName = other.interfaceName;
        protocol = other.protocol;
        ttl = other.ttl;
        receivedNanos = other.receivedNanos;
        headerOffset = other.headerLength > 0 ? other.headerOffset - start : 0;
        headerLength = other.headerLength;
        offset = other.offset - start;
        length = other.length;
        addressLength = other.addressLength;
        System.arraycopy(other.source, 0, source, 0, 16);
        System.arraycopy(other.destination, 0, destination, 0, 16);
    }

    public String interfaceName() {
        return interfaceName;
    }

    public int protocol() {
        return protocol;
    }

    public int ttl() {
        return ttl;
    }

    public long receivedNanos() {
        return receivedNanos;
    }

    /** The buffer holding header and payload; read only, valid during the listener call. */
    public byte[] data() {
        return data;
    }

    public int offset() {
        return offset;
    }

    public int length() {
        return length;
    }

    public int headerOffset() {
        return headerOffset;
    }

    /** Length of the IPv4 header in {@link #data()}, 0 when the driver had none. */
    public int headerLength() {
        return headerLength;
    }

    /** 4 or 16; 0 before addresses are set. */
    public int addressLength() {
        return addressLength;
    }

    /** The source address in its first {@link #addressLength()} bytes; read only. */
    public byte[] sourceBytes() {
        return source;
    }

    /** The destination address in its first {@link #addressLength()} bytes; read only. */
    public byte[] destinationBytes() {
        return destination;
    }

    /** Whether the source equals {@code address} (4 or 16 bytes). */
    public boolean sourceEquals(byte[] address) {
        return address.length == addressLength && Arrays.equals(source, 0, addressLength, address, 0, addressLength);
    }

    /** Allocates: for tests and logs. */
    public InetAddress source() {
        return address(source);
    }

    /** Allocates: for tests and logs. */
    public InetAddress destination() {
        return address(destination);
    }

    /** A copy of the IPv4 header, or null; allocates. */
    public byte[] ipHeader() {
        return headerLength == 0 ? null : Arrays.copyOfRange(data, headerOffset, headerOffset + headerLength);
    }

    private InetAddress address(byte[] raw) {
        if (addressLength == 0) {
            return null;
        }
        try {
            return InetAddress.getByAddress(Arrays.copyOf(raw, addressLength));
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        InetAddress s = source();
        return "ReceivedPacket[" + interfaceName + " proto " + protocol + " from "
                + (s == null ? "?" : s.getHostAddress()) + " ttl " + ttl + " " + length + " bytes]";
    }
}
