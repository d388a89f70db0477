package org.vigil.api.auth;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * One VRRPv2 authentication type, registered as a service with {@link AuthType#PROPERTY}. The
 * core creates one {@link AuthSession} per instance so that per-instance state (AH sequence
 * numbers) lives with the instance and survives a driver swap.
 */
@ConsumerType
public interface Authenticator {

    AuthType type();

    AuthSession newSession(AuthKey key);
}
