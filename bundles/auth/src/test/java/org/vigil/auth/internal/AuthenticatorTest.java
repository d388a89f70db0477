package org.vigil.auth.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.vigil.api.auth.AuthKey;
import org.vigil.api.auth.AuthSession;
import org.vigil.api.auth.AuthType;

class AuthenticatorTest {

    private static byte[] packetWithAuthData(int offset, String data) {
        byte[] packet = new byte[offset + 8];
        byte[] raw = data.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(raw, 0, packet, offset, Math.min(8, raw.length));
        return packet;
    }

    @Test
    void noneWritesEightZeroBytes() {
        AuthSession session = new NoneAuthenticator().newSession(null);
        byte[] packet = new byte[20];
        java.util.Arrays.fill(packet, (byte) 0x55);
        session.writeAuthData(packet, 12);
        assertThat(java.util.Arrays.copyOfRange(packet, 12, 20)).containsOnly(0);
        assertThat(packet[11]).isEqualTo((byte) 0x55);
    }

    @Test
    void noneAcceptsOnlyTypeZero() {
        AuthSession session = new NoneAuthenticator().newSession(null);
        byte[] packet = packetWithAuthData(12, "whatever");
        assertThat(session.check(0, packet, 12)).isNull();
        assertThat(session.check(1, packet, 12)).isEqualTo("received a 1 auth, expecting 0!");
        assertThat(session.check(2, packet, 12)).isEqualTo("received a 2 auth, expecting 0!");
    }

    @Test
    void passWritesTheKeyNulPadded() {
        AuthSession session = new PassAuthenticator().newSession(AuthKey.of("lab51pw"));
        byte[] packet = new byte[20];
        session.writeAuthData(packet, 12);
        // the lab capture: 6c 61 62 35 31 70 77 00
        assertThat(java.util.Arrays.copyOfRange(packet, 12, 20))
                .containsExactly(0x6c, 0x61, 0x62, 0x35, 0x31, 0x70, 0x77, 0x00);
    }

    @Test
    void passAcceptsTheRightPasswordOnly() {
        AuthSession session = new PassAuthenticator().newSession(AuthKey.of("lab51pw"));
        assertThat(session.check(1, packetWithAuthData(12, "lab51pw"), 12)).isNull();
        assertThat(session.check(1, packetWithAuthData(12, "lab51px"), 12)).isEqualTo("received an invalid passwd!");
        // keepalived compares all 8 bytes: a longer password differs in the 8th byte
        assertThat(session.check(1, packetWithAuthData(12, "lab51pwX"), 12)).isEqualTo("received an invalid passwd!");
    }

    @Test
    void passUsesOnlyTheFirstEightBytesOfALongPassword() {
        AuthSession session = new PassAuthenticator().newSession(AuthKey.of("abcdefgh-ignored"));
        assertThat(session.check(1, packetWithAuthData(0, "abcdefgh"), 0)).isNull();
    }

    @Test
    void passRejectsOtherAuthTypes() {
        AuthSession session = new PassAuthenticator().newSession(AuthKey.of("lab51pw"));
        assertThat(session.check(0, packetWithAuthData(12, "lab51pw"), 12)).isEqualTo("received a 0 auth, expecting 1!");
    }

    @Test
    void passRejectsTruncatedAuthData() {
        AuthSession session = new PassAuthenticator().newSession(AuthKey.of("lab51pw"));
        assertThat(session.check(1, new byte[10], 4)).isEqualTo("received an invalid passwd!");
    }

    @Test
    void typesAreReported() {
        assertThat(new NoneAuthenticator().type()).isEqualTo(AuthType.NONE);
        assertThat(new PassAuthenticator().type()).isEqualTo(AuthType.PASS);
    }
}
