package org.vigil.auth.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.vigil.api.auth.HmacMode;
import org.vigil.api.auth.HmacResult;
import org.vigil.api.auth.HmacSession;
import org.vigil.api.auth.HmacSettings;

/**
 * The auth_hmac trailer against the wire images of draft-cassen-vrrp-auth-hmac's appendix: key
 * 00..1f as id 1, VRID 51, priority 200, sequence 0x6800000080000000.
 */
class HmacTrailerTest {
    private static final HexFormat HEX = HexFormat.of();
    private static final byte[] KEY = HEX.parseHex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
    /** IPv4 from 198.51.100.10, VIP 192.0.2.100, message-only checksum: message (12) + trailer (28). */
    private static final byte[] IPV4_IMAGE = HEX.parseHex("3133c80100644402c0000264"
            + "010100006800000080000000" + "1b84bc4e8e43892dc6d98448f8ee2265");
    /** IPv6 from fe80::10, VIP fe80::100, the kernel's checksum to fe80::20 over message and trailer. */
    private static final byte[] IPV6_IMAGE = HEX.parseHex("3133c8010064a2e9" + "fe800000000000000000000000000100"
            + "010100006800000080000000" + "c8c56146ebfd66ee10ec4d8186461b78");
    private static final byte[] SRC4 = addr("198.51.100.10");
    private static final byte[] SRC6 = addr("fe80::10");
    private static final int MSG4 = 12;
    private static final int MSG6 = 24;
    /** The appendix's sequence as the clock: seconds 0x68000000, fraction 0x8000. */
    private static final long APPENDIX_SEQUENCE = 0x6800000080000000L;

    private final AtomicLong clock = new AtomicLong(APPENDIX_SEQUENCE);

    private HmacSession session(boolean timeAntiReplay, HmacMode mode) {
        HmacSettings settings = new HmacSettings(Map.of(1, KEY), 1, timeAntiReplay, 5, mode);
        return new HmacTrailerAuthenticator.Session(settings, clock::get);
    }

    private static byte[] addr(String literal) {
        try {
            return InetAddress.getByName(literal).getAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    @Test
    void theAppendixImagesVerify() {
        assertThat(session(false, HmacMode.ENFORCE).verify(IPV4_IMAGE, 0, MSG4, 3, 51, SRC4)).isEqualTo(HmacResult.OK);
        assertThat(session(false, HmacMode.ENFORCE).verify(IPV6_IMAGE, 0, MSG6, 3, 51, SRC6)).isEqualTo(HmacResult.OK);
    }

    @Test
    void signingAtTheAppendixClockGivesTheAppendixBytes() {
        for (byte[] image : new byte[][] { IPV4_IMAGE, IPV6_IMAGE }) {
            boolean v6 = image == IPV6_IMAGE;
            int msg = v6 ? MSG6 : MSG4;
            byte[] out = Arrays.copyOf(image, image.length);
            Arrays.fill(out, msg, out.length, (byte) 0);
            // at an offset, to show nothing assumes the message starts at 0
            byte[] shifted = new byte[out.length + 20];
            System.arraycopy(out, 0, shifted, 20, out.length);
            session(false, HmacMode.ENFORCE).sign(shifted, 20, msg, 3, 51, v6 ? SRC6 : SRC4);
            assertThat(Arrays.copyOfRange(shifted, 20, shifted.length)).isEqualTo(image);
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "priority, 2, BAD_HMAC",
            "advert interval, 5, BAD_HMAC",
            "checksum (outside the HMAC), 6, OK",
            "last VIP byte, 23, BAD_HMAC",
            "scheme, 24, MALFORMED",
            "key id, 25, UNKNOWN_KEY",
            "reserved, 26, MALFORMED",
            "seconds, 28, BAD_HMAC",
            "counter, 35, BAD_HMAC",
            "tag, 36, BAD_HMAC" })
    void oneFlippedBitOfTheIpv6Image(String what, int offset, HmacResult expected) {
        byte[] image = IPV6_IMAGE.clone();
        image[offset] ^= 0x01;
        assertThat(session(false, HmacMode.ENFORCE).verify(image, 0, MSG6, 3, 51, SRC6)).isEqualTo(expected);
    }

    @Test
    void thePseudoHeaderBindsSourceVridAndVersion() {
        HmacSession s = session(false, HmacMode.ENFORCE);
        assertThat(s.verify(IPV6_IMAGE, 0, MSG6, 3, 51, addr("fe80::20"))).isEqualTo(HmacResult.BAD_HMAC);
        assertThat(s.verify(IPV6_IMAGE, 0, MSG6, 3, 52, SRC6)).isEqualTo(HmacResult.BAD_HMAC);
        assertThat(s.verify(IPV6_IMAGE, 0, MSG6, 2, 51, SRC6)).isEqualTo(HmacResult.BAD_HMAC);
    }

    @Test
    void anAcceptedAdvertCannotBeReplayedButAnotherSenderIsIndependent() {
        HmacSession s = session(false, HmacMode.ENFORCE);
        assertThat(s.verify(IPV6_IMAGE, 0, MSG6, 3, 51, SRC6)).isEqualTo(HmacResult.OK);
        s.accept();
        assertThat(s.verify(IPV6_IMAGE, 0, MSG6, 3, 51, SRC6)).isEqualTo(HmacResult.REPLAY);

        // verified but never accepted (dropped by a later check): the mark stays where it was
        HmacSession t = session(false, HmacMode.ENFORCE);
        assertThat(t.verify(IPV6_IMAGE, 0, MSG6, 3, 51, SRC6)).isEqualTo(HmacResult.OK);
        assertThat(t.verify(IPV6_IMAGE, 0, MSG6, 3, 51, SRC6)).isEqualTo(HmacResult.OK);
    }

    @Test
    void aSenderSequenceGrowsEvenWhenTheClockStandsStill() {
        HmacSession sender = session(true, HmacMode.ENFORCE);
        HmacSession receiver = session(true, HmacMode.ENFORCE);
        byte[] advert = Arrays.copyOf(IPV6_IMAGE, IPV6_IMAGE.length);
        long previous = 0;
        for (int i = 0; i < 3; i++) {
            sender.sign(advert, 0, MSG6, 3, 51, SRC6);
            long seq = java.nio.ByteBuffer.wrap(advert, MSG6 + 4, 8).getLong();
            assertThat(seq).isGreaterThan(previous);
            previous = seq;
            assertThat(receiver.verify(advert, 0, MSG6, 3, 51, SRC6)).isEqualTo(HmacResult.OK);
            receiver.accept();
        }
        assertThat(previous).isEqualTo(APPENDIX_SEQUENCE + 2);
    }

    @Test
    void timeModeRejectsATimestampOutsideTheWindowBeforeTheHmac() {
        clock.set(APPENDIX_SEQUENCE + (6L << 32));
        assertThat(session(true, HmacMode.ENFORCE).verify(IPV6_IMAGE, 0, MSG6, 3, 51, SRC6))
                .isEqualTo(HmacResult.STALE);
        clock.set(APPENDIX_SEQUENCE - (6L << 32));
        assertThat(session(true, HmacMode.ENFORCE).verify(IPV6_IMAGE, 0, MSG6, 3, 51, SRC6))
                .isEqualTo(HmacResult.STALE);
        clock.set(APPENDIX_SEQUENCE + (5L << 32));
        HmacSession s = session(true, HmacMode.ENFORCE);
        assertThat(s.verify(IPV6_IMAGE, 0, MSG6, 3, 51, SRC6)).isEqualTo(HmacResult.OK);
        assertThat(s.lastSkewSeconds()).isEqualTo(5);
    }

    @Test
    void aClockSteppedBackRestartsTheSequenceInTimeModeOnly() {
        byte[] advert = Arrays.copyOf(IPV6_IMAGE, IPV6_IMAGE.length);
        clock.set(APPENDIX_SEQUENCE + (3600L << 32));
        HmacSession time = session(true, HmacMode.ENFORCE);
        HmacSession monotonic = session(false, HmacMode.ENFORCE);
        time.sign(advert, 0, MSG6, 3, 51, SRC6);
        monotonic.sign(advert, 0, MSG6, 3, 51, SRC6);
        clock.set(APPENDIX_SEQUENCE);
        time.sign(advert, 0, MSG6, 3, 51, SRC6);
        assertThat(java.nio.ByteBuffer.wrap(advert, MSG6 + 4, 8).getLong()).isEqualTo(APPENDIX_SEQUENCE);
        monotonic.sign(advert, 0, MSG6, 3, 51, SRC6);
        assertThat(java.nio.ByteBuffer.wrap(advert, MSG6 + 4, 8).getLong())
                .isEqualTo(APPENDIX_SEQUENCE + (3600L << 32) + 1);
    }

    @Test
    void aReceiverMarkStrandedPastTheWindowExpiresInTimeMode() {
        HmacSession s = session(true, HmacMode.ENFORCE);
        byte[] ahead = Arrays.copyOf(IPV6_IMAGE, IPV6_IMAGE.length);
        clock.set(APPENDIX_SEQUENCE + (3600L << 32));
        HmacSession aheadSender = session(true, HmacMode.ENFORCE);
        aheadSender.sign(ahead, 0, MSG6, 3, 51, SRC6);
        assertThat(s.verify(ahead, 0, MSG6, 3, 51, SRC6)).isEqualTo(HmacResult.OK);
        s.accept();
        // the sender's clock is corrected back an hour: its adverts must be heard again
        clock.set(APPENDIX_SEQUENCE);
        assertThat(s.verify(IPV6_IMAGE, 0, MSG6, 3, 51, SRC6)).isEqualTo(HmacResult.OK);
    }

    @Test
    void modesDecideSigningAndUnsignedAdverts() {
        assertThat(session(true, HmacMode.ENFORCE).signs()).isTrue();
        assertThat(session(true, HmacMode.ENFORCE).acceptsUnsigned()).isFalse();
        assertThat(session(true, HmacMode.PERMISSIVE).signs()).isTrue();
        assertThat(session(true, HmacMode.PERMISSIVE).acceptsUnsigned()).isTrue();
        assertThat(session(true, HmacMode.RECEIVE_ONLY).signs()).isFalse();
        assertThat(session(true, HmacMode.RECEIVE_ONLY).acceptsUnsigned()).isTrue();
        assertThat(HmacMode.RECEIVE_ONLY.keyword()).isEqualTo("receive-only");
    }

    @Test
    void settingsNeverShowTheKeyAndRefuseWhatKeepalivedRefuses() {
        HmacSettings s = new HmacSettings(Map.of(1, KEY), 1, true, 5, HmacMode.ENFORCE);
        assertThat(s.toString()).doesNotContain(HEX.formatHex(KEY)).doesNotContain("0001020304").contains("[1]");
        org.assertj.core.api.Assertions.assertThatThrownBy(
                () -> new HmacSettings(Map.of(1, new byte[31]), 1, true, 5, HmacMode.ENFORCE))
                .hasMessageContaining("31 bytes");
        org.assertj.core.api.Assertions.assertThatThrownBy(
                () -> new HmacSettings(Map.of(1, KEY), 2, true, 5, HmacMode.ENFORCE))
                .hasMessageContaining("active_key 2");
        org.assertj.core.api.Assertions.assertThatThrownBy(
                () -> new HmacSettings(Map.of(1, KEY), 1, true, 301, HmacMode.ENFORCE))
                .hasMessageContaining("time_window 301");
        assertThat(HmacSettings.defaultTimeWindow(100)).isEqualTo(5);
        assertThat(HmacSettings.defaultTimeWindow(300)).isEqualTo(9);
    }
}
