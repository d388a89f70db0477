package org.vigil.auth.internal;

import org.vigil.api.auth.AuthType;

/** Rejection reasons, worded as keepalived logs them so existing log scrapers keep matching. */
final class AuthReasons {
    static final String INVALID_PASSWORD = "received an invalid passwd!";

    private AuthReasons() {
    }

    static String wrongType(int received, AuthType expected) {
        return "received a " + received + " auth, expecting " + expected.wireValue() + "!";
    }
}
