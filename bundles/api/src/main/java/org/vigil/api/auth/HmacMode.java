package org.vigil.api.auth;

/**
 * What an {@code auth_hmac} instance does with trailers (keepalived 2.4.1, draft-cassen-vrrp-auth-hmac),
 * in the order an operator rolls the extension out.
 */
public enum HmacMode {
    /** Verifies trailers that arrive, accepts adverts without one, sends none: a node that peers not yet upgraded can still hear. */
    RECEIVE_ONLY,
    /** Signs every advert, verifies trailers that arrive, still accepts adverts without one. */
    PERMISSIVE,
    /** Signs every advert and drops any advert without a valid trailer: keepalived's default. */
    ENFORCE;

    /** keepalived's spelling in the configuration and its dumps. */
    public String keyword() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
}
