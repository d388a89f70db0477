package org.vigil.api.auth;

/** VRRPv2 authentication types (RFC 2338 section 5.3.6); v3 carries none. */
public enum AuthType {
    NONE(0),
    PASS(1),
    AH(2);

    /** Service property naming the type an {@link Authenticator} implements. */
    public static final String PROPERTY = "vigil.auth.type";

    private final int wireValue;

    AuthType(int wireValue) {
        this.wireValue = wireValue;
    }

    /** The value of the VRRPv2 Auth Type field. */
    public int wireValue() {
        return wireValue;
    }
}
