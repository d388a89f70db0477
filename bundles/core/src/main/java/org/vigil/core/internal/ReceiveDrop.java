package org.vigil.core.internal;

import org.vigil.api.auth.HmacResult;
import org.vigil.codec.DecodeStatus;

/**
 * Why a received packet changed nothing but a counter (ARCHITECTURE, receive rule). The names
 * are what {@code vrrp:show} and the counters' maps print: the codec's checks under their
 * {@link DecodeStatus} names, then the core's own.
 */
enum ReceiveDrop {
    BAD_TTL, TRUNCATED, BAD_VERSION, BAD_TYPE, BAD_CHECKSUM, BAD_VRID, BAD_LENGTH, BAD_INTERVAL,
    /** The advert's version is not the instance's. */
    VERSION_MISMATCH,
    AUTH_FAILED,
    /** v2: RFC 3768 section 7.1 says MUST drop. */
    INTERVAL_MISMATCH,
    UNSUPPORTED_PROTOCOL,
    /** AH where none is configured or none where AH is (keepalived's authtype_mismatch). */
    AUTH_TYPE_MISMATCH,
    /** An AH header whose next header is not VRRP: keepalived ignores it silently. */
    AH_NOT_VRRP,
    /** auth_hmac in enforce mode: an advert without a trailer. */
    HMAC_MISSING,
    /** auth_hmac: the trailer checks, under {@link HmacResult}'s names. */
    HMAC_MALFORMED, HMAC_STALE, HMAC_UNKNOWN_KEY, HMAC_BAD_HMAC, HMAC_REPLAY,
    /** The channel's receive queue was full: the loop was behind. */
    QUEUE_OVERFLOW,
    /** Channel level: a VRID no instance on the channel has (RFC 5798 section 7.1). */
    UNKNOWN_VRID,
    /** Channel level: too short to name a VRID. */
    RUNT;

    private static final ReceiveDrop[] BY_STATUS = new ReceiveDrop[DecodeStatus.values().length];

    static {
        for (DecodeStatus s : DecodeStatus.values()) {
            if (s != DecodeStatus.OK) {
                BY_STATUS[s.ordinal()] = valueOf(s.name());
            }
        }
    }

    private static final ReceiveDrop[] BY_HMAC = new ReceiveDrop[HmacResult.values().length];

    static {
        for (HmacResult r : HmacResult.values()) {
            if (r != HmacResult.OK) {
                BY_HMAC[r.ordinal()] = valueOf("HMAC_" + r.name());
            }
        }
    }

    /** The drop for a failed auth_hmac trailer; without allocating. */
    static ReceiveDrop of(HmacResult result) {
        return BY_HMAC[result.ordinal()];
    }

    /** The drop for a failed decode; without allocating. */
    static ReceiveDrop of(DecodeStatus status) {
        return BY_STATUS[status.ordinal()];
    }
}
