package org.vigil.auth.internal;

import java.util.Objects;

import org.osgi.service.component.annotations.Component;
import org.vigil.api.auth.AuthKey;
import org.vigil.api.auth.AuthSession;
import org.vigil.api.auth.AuthType;
import org.vigil.api.auth.Authenticator;

/**
 * auth_type PASS (RFC 2338 section 5.3.6.1, simple text password): the 8 key bytes travel in
 * clear in the Authentication Data field. Compared in constant time so that the check does not
 * leak how many leading bytes of a guess were right.
 */
@Component(service = Authenticator.class, property = AuthType.PROPERTY + "=PASS")
public class PassAuthenticator implements Authenticator {

    @Override
    public AuthType type() {
        return AuthType.PASS;
    }

    @Override
    public AuthSession newSession(AuthKey key) {
        return new Session(Objects.requireNonNull(key, "key"));
    }

    static final class Session implements AuthSession {
        private final AuthKey key;

        Session(AuthKey key) {
            this.key = key;
        }

        @Override
        public void writeAuthData(byte[] packet, int offset) {
            key.writeTo(packet, offset);
        }

        @Override
        public String check(int receivedAuthType, byte[] packet, int authDataOffset) {
            if (receivedAuthType != AuthType.PASS.wireValue()) {
                return AuthReasons.wrongType(receivedAuthType, AuthType.PASS);
            }
            if (!key.matches(packet, authDataOffset)) {
                return AuthReasons.INVALID_PASSWORD;
            }
            return null;
        }
    }
}
