package org.vigil.api.auth;

/** The outcome of checking a received {@code auth_hmac} trailer, in the order the checks run. */
public enum HmacResult {
    OK,
    /** Unknown scheme (ext_type) or a non-zero reserved field. */
    MALFORMED,
    /** The timestamp lies outside {@code time_window} of this node's clock ({@code anti_replay time}). */
    STALE,
    /** No configured key has the trailer's key id. */
    UNKNOWN_KEY,
    /** The HMAC does not match: a forgery, a key mismatch or an advert changed on the way. */
    BAD_HMAC,
    /** The sequence number did not grow since this sender's last accepted advert. */
    REPLAY
}
