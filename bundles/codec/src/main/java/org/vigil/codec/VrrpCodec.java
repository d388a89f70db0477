package org.vigil.codec;

/**
 * Encodes and decodes VRRP advertisements. Every method is static, thread-safe and free of
 * allocation except where it says otherwise; malformed input yields a {@link DecodeStatus}, never
 * an exception.
 */
public final class VrrpCodec {
    private VrrpCodec() {
    }

    /** Protocol number (RFC 5798 5.1.1.4). */
    public static final int IP_PROTOCOL = 112;
    /** TTL and hop limit on send and required on receive (RFC 5798 5.1.1.3). */
    public static final int TTL = 255;

    /**
     * Decodes and checks one VRRP message.
     *
     * @param buf the IP payload
     * @param off where the VRRP message starts
     * @param len bytes available (link-layer padding after the message is tolerated)
     * @param ipv6 whether it came over IPv6
     * @param src the IP source address (4 or 16 bytes), for the v3 pseudo-header
     * @param dst the IP destination address (4 or 16 bytes), for the v3 pseudo-header
     * @param ttl the received TTL or hop limit
     * @param out filled on {@link DecodeStatus#OK}
     */
    public static DecodeStatus decode(byte[] buf, int off, int len, boolean ipv6, byte[] src, byte[] dst, int ttl,
            DecodedAdvert out) {
        throw new UnsupportedOperationException("implemented by the codec task");
    }

    /**
     * Encodes an advertisement into {@code out} at {@code off} and returns its length.
     *
     * @param version 2 or 3
     * @param vrid 1..255
     * @param priority 0..255
     * @param advertIntervalCs centiseconds (v2: must be a whole number of seconds)
     * @param authType v2 Auth Type (0 for v3)
     * @param authData v2: 8 bytes of Authentication Data (null = zeros); ignored for v3
     * @param addresses the addresses, concatenated (4 or 16 bytes each)
     * @param ipv6 whether the addresses are IPv6 (then version must be 3)
     * @param form the checksum form (V2 for version 2)
     * @param src IP source (for the pseudo-header), may be null for forms that do not use it
     * @param dst IP destination (for the pseudo-header), may be null for forms that do not use it
     * @throws IllegalArgumentException on a value out of range or a buffer too small
     */
    public static int encode(int version, int vrid, int priority, int advertIntervalCs, int authType, byte[] authData,
            byte[] addresses, boolean ipv6, ChecksumForm form, byte[] src, byte[] dst, byte[] out, int off) {
        throw new UnsupportedOperationException("implemented by the codec task");
    }

    /** The one's complement Internet checksum (RFC 1071) of the given bytes. */
    public static int internetChecksum(byte[] buf, int off, int len) {
        throw new UnsupportedOperationException("implemented by the codec task");
    }
}
