package org.vigil.codec;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Objects;

/**
 * Encodes and decodes VRRP advertisements. Every method is static, thread-safe and free of
 * allocation except where it says otherwise; malformed input yields a {@link DecodeStatus}, never
 * an exception.
 *
 * <h2>Receive checks</h2>
 * {@link #decode} applies the packet-level checks of RFC 3768 7.1 and RFC 5798 7.1 in this order,
 * the first failure being reported: TTL, fixed header present, version, type, VRID, length
 * against Count (plus v2 authentication data), trailing bytes, v3 interval, checksum. Checks that
 * need configuration (VRID configured, owner, authentication, interval equality, address list)
 * belong to the caller.
 *
 * <h2>Link-layer padding</h2>
 * Bytes after the message are tolerated only when they can be Ethernet padding: IEEE 802.3 pads a
 * frame to a 46-byte payload, so with the smallest (20-byte) IPv4 header the message plus padding
 * is at most {@link #MAX_PADDED_LENGTH_IPV4} bytes. An IPv6 header alone (40) plus the smallest
 * message (8) already exceeds 46 bytes, so over IPv6 any trailing byte is {@link DecodeStatus#BAD_LENGTH}.
 * Over IPv4 a longer {@code len} than the message is {@link DecodeStatus#BAD_LENGTH} as soon as
 * it exceeds that bound. keepalived likewise accepts Ethernet padding and nothing more.
 *
 * <h2>v3 over IPv4 checksum</h2>
 * Both forms are accepted on receive: the IPv4 pseudo-header (RFC 5798 reading, keepalived's and
 * FRR's default) is tried first, then message-only (RFC 9568, Cisco, Juniper, Arista).
 * {@link DecodedAdvert#checksumForm()} reports the one that verified; should a packet verify both
 * ways (its pseudo-header sums to zero in one's complement), pseudo-header is reported.
 */
public final class VrrpCodec {
    private VrrpCodec() {
    }

    /** Protocol number (RFC 5798 5.1.1.4). */
    public static final int IP_PROTOCOL = 112;
    /** TTL and hop limit on send and required on receive (RFC 5798 5.1.1.3). */
    public static final int TTL = 255;

    /** Version field of VRRPv2 (RFC 3768 5.3.1). */
    public static final int VERSION_2 = 2;
    /** Version field of VRRPv3 (RFC 5798 5.2.1). */
    public static final int VERSION_3 = 3;
    /** The only packet type; others MUST be discarded (RFC 5798 5.2.2, RFC 3768 5.3.2). */
    public static final int VRRP_TYPE_ADVERTISEMENT = 1;

    /** Priority of the address owner (RFC 5798 5.2.4). */
    public static final int PRIORITY_OWNER = 255;
    /** Priority sent by a master that stops participating (RFC 5798 5.2.4). */
    public static final int PRIORITY_STOP = 0;

    /** Version/type, VRID, priority, count, auth/rsvd+interval, checksum (RFC 5798 5.1, RFC 3768 5.1). */
    public static final int HEADER_LENGTH = 8;
    /** VRRPv2 Authentication Data after the addresses (RFC 3768 5.3.10). */
    public static final int V2_AUTH_DATA_LENGTH = 8;
    /** Offset of the checksum field (RFC 5798 5.2.8). */
    public static final int CHECKSUM_OFFSET = 6;
    /** Size of an IPv4 address in the address list. */
    public static final int IPV4_ADDRESS_LENGTH = 4;
    /** Size of an IPv6 address in the address list. */
    public static final int IPV6_ADDRESS_LENGTH = 16;
    /** Count IPvX Addr is 8 bits (RFC 5798 5.2.5). */
    public static final int MAX_ADDRESS_COUNT = 255;
    /** Max Advertise Interval is 12 bits of centiseconds (RFC 5798 5.2.7). */
    public static final int V3_MAX_INTERVAL_CS = 4095;
    /** The reserved bits above the 12-bit interval; zero on send, ignored on receive (RFC 5798 5.2.6). */
    static final int V3_RESERVED_MASK = 0xF0;
    /** Adver Int is 8 bits of seconds (RFC 3768 5.3.7). */
    public static final int V2_MAX_INTERVAL_S = 255;
    /** The largest message: v3 with 255 IPv6 addresses; a buffer of this size fits any advert. */
    public static final int MAX_LENGTH = HEADER_LENGTH + MAX_ADDRESS_COUNT * IPV6_ADDRESS_LENGTH;
    /**
     * Largest message plus padding over IPv4: the 46-byte minimum Ethernet payload (IEEE 802.3)
     * minus a 20-byte IPv4 header.
     */
    public static final int MAX_PADDED_LENGTH_IPV4 = 46 - 20;

    /** IPv4 multicast group 224.0.0.18 (RFC 5798 5.1.1.2, RFC 3768 5.2.2). */
    public static final InetAddress IPV4_MULTICAST_GROUP = address(224, 0, 0, 18);
    /** IPv6 multicast group ff02::12 (RFC 5798 5.1.2.2). */
    public static final InetAddress IPV6_MULTICAST_GROUP =
            address(0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x12);

    /**
     * Decodes and checks one VRRP message.
     *
     * @param buf the IP payload
     * @param off where the VRRP message starts
     * @param len bytes available (link-layer padding after the message is tolerated, see the class
     *        comment); bad {@code buf}, {@code off} or {@code len} give {@link DecodeStatus#TRUNCATED}
     * @param ipv6 whether it came over IPv6
     * @param src the IP source address (4 or 16 bytes), for the v3 pseudo-header; when missing or
     *        of the wrong size, a checksum that needs it does not verify
     * @param dst the IP destination address (4 or 16 bytes), for the v3 pseudo-header
     * @param ttl the received TTL or hop limit
     * @param out filled on {@link DecodeStatus#OK} and left untouched otherwise; may be null to only
     *        check the packet
     */
    public static DecodeStatus decode(byte[] buf, int off, int len, boolean ipv6, byte[] src, byte[] dst, int ttl,
            DecodedAdvert out) {
        return decode(buf, off, len, ipv6, src, dst, ttl, 0, out);
    }

    /**
     * Decodes a message followed by a trailer of {@code trailerLength} bytes (auth_hmac's, which
     * the caller checks): the message must end exactly where the trailer starts. Over IPv6 the
     * checksum covers the trailer too, as the kernel writes it for a raw socket with
     * IPV6_CHECKSUM; over IPv4 it covers the message only, as keepalived computes it before the
     * trailer is appended.
     */
    public static DecodeStatus decode(byte[] buf, int off, int len, boolean ipv6, byte[] src, byte[] dst, int ttl,
            int trailerLength, DecodedAdvert out) {
        if (trailerLength < 0 || trailerLength > len) {
            return DecodeStatus.TRUNCATED;
        }
        int total = len;
        len -= trailerLength;
        if (ttl != TTL) {
            return DecodeStatus.BAD_TTL;
        }
        if (buf == null || off < 0 || len < 0 || off > buf.length - len || len < HEADER_LENGTH) {
            return DecodeStatus.TRUNCATED;
        }
        int versionType = buf[off] & 0xFF;
        int version = versionType >>> 4;
        boolean v2 = version == VERSION_2;
        if (!(version == VERSION_3 || (v2 && !ipv6))) {
            return DecodeStatus.BAD_VERSION;
        }
        if ((versionType & 0x0F) != VRRP_TYPE_ADVERTISEMENT) {
            return DecodeStatus.BAD_TYPE;
        }
        int vrid = buf[off + 1] & 0xFF;
        if (vrid == 0) {
            return DecodeStatus.BAD_VRID;
        }
        int count = buf[off + 3] & 0xFF;
        int addressLength = ipv6 ? IPV6_ADDRESS_LENGTH : IPV4_ADDRESS_LENGTH;
        int length = HEADER_LENGTH + count * addressLength + (v2 ? V2_AUTH_DATA_LENGTH : 0);
        if (len < length) {
            return DecodeStatus.TRUNCATED;
        }
        if (len > length && (ipv6 || len > MAX_PADDED_LENGTH_IPV4 || trailerLength > 0)) {
            return DecodeStatus.BAD_LENGTH;
        }
        int byte4 = buf[off + 4] & 0xFF;
        int byte5 = buf[off + 5] & 0xFF;
        int intervalCs;
        if (v2) {
            intervalCs = byte5 * 100;
        } else {
            intervalCs = ((byte4 & ~V3_RESERVED_MASK) << 8) | byte5;
            if (intervalCs == 0) {
                return DecodeStatus.BAD_INTERVAL;
            }
        }
        ChecksumForm form = verifiedForm(buf, off, ipv6 ? total : length, v2, ipv6, src, dst);
        if (form == null) {
            return DecodeStatus.BAD_CHECKSUM;
        }
        if (out != null) {
            out.version = version;
            out.vrid = vrid;
            out.priority = buf[off + 2] & 0xFF;
            out.addressCount = count;
            out.authType = v2 ? byte4 : 0;
            out.advertIntervalCs = intervalCs;
            out.checksum = getShort(buf, off + CHECKSUM_OFFSET);
            out.checksumForm = form;
            out.buffer = buf;
            out.addressesOffset = off + HEADER_LENGTH;
            out.addressLength = addressLength;
            out.authDataOffset = v2 ? off + HEADER_LENGTH + count * addressLength : -1;
            out.length = length;
        }
        return DecodeStatus.OK;
    }

    private static ChecksumForm verifiedForm(byte[] buf, int off, int length, boolean v2, boolean ipv6, byte[] src,
            byte[] dst) {
        long messageSum = sum(buf, off, length);
        if (v2) {
            return fold(messageSum) == 0xFFFF ? ChecksumForm.V2 : null;
        }
        int addressLength = ipv6 ? IPV6_ADDRESS_LENGTH : IPV4_ADDRESS_LENGTH;
        boolean haveAddresses = src != null && dst != null && src.length == addressLength
                && dst.length == addressLength;
        if (haveAddresses
                && fold(messageSum + pseudoHeaderSum(src, 0, dst, 0, addressLength, length, IP_PROTOCOL)) == 0xFFFF) {
            return ChecksumForm.V3_PSEUDO_HEADER;
        }
        if (!ipv6 && fold(messageSum) == 0xFFFF) {
            return ChecksumForm.V3_MESSAGE_ONLY;
        }
        return null;
    }

    /**
     * Encodes an advertisement into {@code out} at {@code off} and returns its length. Reserved bits
     * are written as 0 (RFC 5798 5.2.6).
     *
     * @param version 2 or 3
     * @param vrid 1..255
     * @param priority 0..255
     * @param advertIntervalCs centiseconds: v3 1..4095; v2 a whole number of seconds, 1..255 s
     * @param authType v2 Auth Type 0..255; ignored for v3, which carries none (RFC 5798 5.1)
     * @param authData v2: up to 8 bytes of Authentication Data, zero-padded (null = zeros); ignored
     *        for v3
     * @param addresses the addresses, concatenated (4 or 16 bytes each, at most 255); null = none
     * @param ipv6 whether the addresses are IPv6 (then version must be 3)
     * @param form the checksum form: V2 for version 2; for version 3 V3_PSEUDO_HEADER, or
     *        V3_MESSAGE_ONLY over IPv4 only
     * @param src IP source (for the pseudo-header), may be null for forms that do not use it
     * @param dst IP destination (for the pseudo-header), may be null for forms that do not use it
     * @throws IllegalArgumentException on a value out of range or a buffer too small
     */
    public static int encode(int version, int vrid, int priority, int advertIntervalCs, int authType, byte[] authData,
            byte[] addresses, boolean ipv6, ChecksumForm form, byte[] src, byte[] dst, byte[] out, int off) {
        boolean v2 = version == VERSION_2;
        if (!v2 && version != VERSION_3) {
            throw new IllegalArgumentException("version must be 2 or 3: " + version);
        }
        if (v2 && ipv6) {
            throw new IllegalArgumentException("VRRPv2 is IPv4 only (RFC 3768)");
        }
        check(vrid, 1, 255, "vrid");
        check(priority, 0, 255, "priority");
        int addressLength = ipv6 ? IPV6_ADDRESS_LENGTH : IPV4_ADDRESS_LENGTH;
        int addressBytes = addresses == null ? 0 : addresses.length;
        if (addressBytes % addressLength != 0 || addressBytes / addressLength > MAX_ADDRESS_COUNT) {
            throw new IllegalArgumentException("addresses must be 0.." + MAX_ADDRESS_COUNT + " addresses of "
                    + addressLength + " bytes, got " + addressBytes + " bytes");
        }
        int count = addressBytes / addressLength;
        int byte4;
        int byte5;
        if (v2) {
            if (advertIntervalCs % 100 != 0) {
                throw new IllegalArgumentException("VRRPv2 interval must be whole seconds: " + advertIntervalCs + " cs");
            }
            check(advertIntervalCs / 100, 1, V2_MAX_INTERVAL_S, "VRRPv2 interval (s)");
            check(authType, 0, 255, "authType");
            if (authData != null && authData.length > V2_AUTH_DATA_LENGTH) {
                throw new IllegalArgumentException("authData longer than 8 bytes: " + authData.length);
            }
            if (form != ChecksumForm.V2) {
                throw new IllegalArgumentException("VRRPv2 needs checksum form V2, got " + form);
            }
            byte4 = authType;
            byte5 = advertIntervalCs / 100;
        } else {
            check(advertIntervalCs, 1, V3_MAX_INTERVAL_CS, "VRRPv3 interval (cs)");
            if (form != ChecksumForm.V3_PSEUDO_HEADER && !(form == ChecksumForm.V3_MESSAGE_ONLY && !ipv6)) {
                throw new IllegalArgumentException("checksum form " + form + " is not valid for VRRPv3 over "
                        + (ipv6 ? "IPv6" : "IPv4"));
            }
            byte4 = advertIntervalCs >>> 8;
            byte5 = advertIntervalCs & 0xFF;
        }
        boolean pseudoHeader = form == ChecksumForm.V3_PSEUDO_HEADER;
        if (pseudoHeader && (src == null || dst == null || src.length != addressLength
                || dst.length != addressLength)) {
            throw new IllegalArgumentException("the pseudo-header needs src and dst of " + addressLength + " bytes");
        }
        int length = HEADER_LENGTH + addressBytes + (v2 ? V2_AUTH_DATA_LENGTH : 0);
        if (out == null || off < 0 || off > out.length - length) {
            throw new IllegalArgumentException("output buffer too small for " + length + " bytes at offset " + off);
        }

        out[off] = (byte) ((version << 4) | VRRP_TYPE_ADVERTISEMENT);
        out[off + 1] = (byte) vrid;
        out[off + 2] = (byte) priority;
        out[off + 3] = (byte) count;
        out[off + 4] = (byte) byte4;
        out[off + 5] = (byte) byte5;
        out[off + CHECKSUM_OFFSET] = 0;
        out[off + CHECKSUM_OFFSET + 1] = 0;
        if (addressBytes > 0) {
            System.arraycopy(addresses, 0, out, off + HEADER_LENGTH, addressBytes);
        }
        if (v2) {
            int authOffset = off + HEADER_LENGTH + addressBytes;
            int given = authData == null ? 0 : authData.length;
            if (given > 0) {
                System.arraycopy(authData, 0, out, authOffset, given);
            }
            for (int i = given; i < V2_AUTH_DATA_LENGTH; i++) {
                out[authOffset + i] = 0;
            }
        }
        writeChecksum(out, off, length, pseudoHeader, src, dst);
        return length;
    }

    /**
     * Rewrites the checksum of an encoded IPv6 advert to cover the {@code trailerLength} bytes
     * that now follow it (auth_hmac's trailer), as the kernel's IPV6_CHECKSUM does; receivers
     * whose kernel verifies the checksum would otherwise drop it. IPv4 keeps the message-only sum.
     */
    public static void extendChecksumOverTrailer(byte[] buf, int off, int length, int trailerLength, byte[] src,
            byte[] dst) {
        buf[off + CHECKSUM_OFFSET] = 0;
        buf[off + CHECKSUM_OFFSET + 1] = 0;
        writeChecksum(buf, off, length + trailerLength, true, src, dst);
    }

    private static void writeChecksum(byte[] out, int off, int length, boolean pseudoHeader, byte[] src, byte[] dst) {
        long sum = sum(out, off, length);
        if (pseudoHeader) {
            sum += pseudoHeaderSum(src, 0, dst, 0, src.length, length, IP_PROTOCOL);
        }
        int checksum = ~fold(sum) & 0xFFFF;
        out[off + CHECKSUM_OFFSET] = (byte) (checksum >>> 8);
        out[off + CHECKSUM_OFFSET + 1] = (byte) checksum;
    }

    /** The length of an advertisement with {@code count} addresses. */
    public static int messageLength(int version, boolean ipv6, int count) {
        return HEADER_LENGTH + count * (ipv6 ? IPV6_ADDRESS_LENGTH : IPV4_ADDRESS_LENGTH)
                + (version == VERSION_2 ? V2_AUTH_DATA_LENGTH : 0);
    }

    /**
     * The one's complement Internet checksum (RFC 1071) of the given bytes; an odd last byte is
     * padded with zero.
     *
     * @throws IndexOutOfBoundsException if the range is outside {@code buf}
     */
    public static int internetChecksum(byte[] buf, int off, int len) {
        Objects.checkFromIndexSize(off, len, buf.length);
        return ~fold(sum(buf, off, len)) & 0xFFFF;
    }

    /** Sum of 16-bit big-endian words, not yet folded; a long cannot overflow for any Java array. */
    static long sum(byte[] buf, int off, int len) {
        long sum = 0;
        int end = off + (len & ~1);
        for (int i = off; i < end; i += 2) {
            sum += ((buf[i] & 0xFF) << 8) | (buf[i + 1] & 0xFF);
        }
        if ((len & 1) != 0) {
            sum += (buf[off + len - 1] & 0xFF) << 8;
        }
        return sum;
    }

    /**
     * Pseudo-header sum. IPv4 (RFC 768 form used by RFC 5798 5.2.8): src, dst, zero, protocol,
     * 16-bit length. IPv6 (RFC 8200 8.1): src, dst, 32-bit length, three zero bytes, next header.
     * The zero bytes add nothing and the length is below 2^16 either way, so both reduce to the
     * same sum. Also used for ICMPv6 (next header 58).
     */
    static long pseudoHeaderSum(byte[] src, int srcOff, byte[] dst, int dstOff, int addressLength, int length,
            int protocol) {
        return sum(src, srcOff, addressLength) + sum(dst, dstOff, addressLength) + protocol + length;
    }

    static int fold(long sum) {
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xFFFF) + (sum >>> 16);
        }
        return (int) sum;
    }

    private static int getShort(byte[] buf, int off) {
        return ((buf[off] & 0xFF) << 8) | (buf[off + 1] & 0xFF);
    }

    private static void check(int value, int min, int max, String name) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " must be " + min + ".." + max + ": " + value);
        }
    }

    private static InetAddress address(int... octets) {
        byte[] bytes = new byte[octets.length];
        for (int i = 0; i < octets.length; i++) {
            bytes[i] = (byte) octets[i];
        }
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
