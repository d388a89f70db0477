package org.vigil.codec;

/**
 * The outcome of decoding one packet: {@link #OK} or the receive check that failed
 * (RFC 3768 7.1, RFC 5798 7.1, packet-level checks only).
 */
public enum DecodeStatus {
    OK,
    /** TTL or hop limit is not 255. */
    BAD_TTL,
    /** Fewer bytes than the fixed header, or fewer than Count IP Addrs (and v2 auth data) require. */
    TRUNCATED,
    /** Version is neither 2 nor 3, or 2 over IPv6. */
    BAD_VERSION,
    /** Type is not 1 (ADVERTISEMENT). */
    BAD_TYPE,
    /** Checksum does not verify in any accepted form. */
    BAD_CHECKSUM,
    /** VRID 0 (not a valid virtual router id). */
    BAD_VRID,
    /** More bytes than the header says (beyond tolerated link-layer padding). */
    BAD_LENGTH,
    /** v3 advertisement interval of 0 centiseconds. */
    BAD_INTERVAL
}
