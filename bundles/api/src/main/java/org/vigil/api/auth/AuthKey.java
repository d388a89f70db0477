package org.vigil.api.auth;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * An auth_pass secret. Keeps keepalived's 8 bytes (truncated, NUL padded) and never shows them:
 * {@link #toString()} prints a mask, so a key that reaches a log line or a shell leaks nothing.
 */
public final class AuthKey {
    /** keepalived uses exactly 8 bytes of auth_pass for PASS and as the AH HMAC key. */
    public static final int LENGTH = 8;

    private final byte[] bytes;

    private AuthKey(byte[] bytes) {
        this.bytes = bytes;
    }

    public static AuthKey of(String password) {
        byte[] raw = password == null ? new byte[0] : password.getBytes(StandardCharsets.UTF_8);
        return new AuthKey(Arrays.copyOf(raw, LENGTH));
    }

    /** A copy of the 8 key bytes. */
    public byte[] bytes() {
        return bytes.clone();
    }

    /** Constant-time comparison with 8 bytes at {@code offset} of {@code data}. */
    public boolean matches(byte[] data, int offset) {
        if (offset < 0 || data.length - offset < LENGTH) {
            return false;
        }
        int diff = 0;
        for (int i = 0; i < LENGTH; i++) {
            diff |= bytes[i] ^ data[offset + i];
        }
        return diff == 0;
    }

    public void writeTo(byte[] data, int offset) {
        System.arraycopy(bytes, 0, data, offset, LENGTH);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AuthKey k && Arrays.equals(bytes, k.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "********";
    }
}
