package org.vigil.api.auth;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * The {@code auth_hmac} extension as a service: it works for VRRPv2 and v3 on both families, so
 * it stands beside the {@link Authenticator}s of the v2 auth types rather than among them.
 */
@ConsumerType
public interface HmacAuthenticator {

    HmacSession newSession(HmacSettings settings);
}
