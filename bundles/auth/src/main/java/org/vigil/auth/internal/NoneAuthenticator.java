package org.vigil.auth.internal;

import org.osgi.service.component.annotations.Component;
import org.vigil.api.auth.AuthKey;
import org.vigil.api.auth.AuthSession;
import org.vigil.api.auth.AuthType;
import org.vigil.api.auth.Authenticator;

/** auth_type absent: the Authentication Data field is zero and only Auth Type 0 is accepted. */
@Component(service = Authenticator.class, property = AuthType.PROPERTY + "=NONE")
public class NoneAuthenticator implements Authenticator {

    @Override
    public AuthType type() {
        return AuthType.NONE;
    }

    @Override
    public AuthSession newSession(AuthKey key) {
        return new Session();
    }

    static final class Session implements AuthSession {
        @Override
        public void writeAuthData(byte[] packet, int offset) {
            java.util.Arrays.fill(packet, offset, offset + AuthKey.LENGTH, (byte) 0);
        }

        @Override
        public String check(int receivedAuthType, byte[] packet, int authDataOffset) {
            if (receivedAuthType != AuthType.NONE.wireValue()) {
                return AuthReasons.wrongType(receivedAuthType, AuthType.NONE);
            }
            return null;
        }
    }
}
