package org.vigil.api.auth;

import org.osgi.annotation.versioning.ConsumerType;

/** Per-instance authentication state. Used only on the election thread. */
@ConsumerType
public interface AuthSession {

    /** Writes the 8-byte VRRPv2 Authentication Data field of an outgoing advert. */
    void writeAuthData(byte[] packet, int offset);

    /**
     * Checks a received VRRPv2 advert's auth type and 8-byte data.
     *
     * @return null when it authenticates, else the reason, worded as keepalived logs it
     *         ("received an invalid passwd!", "received a 1 auth, expecting 0!")
     */
    String check(int receivedAuthType, byte[] packet, int authDataOffset);
}
