package org.vigil.auth.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.Test;
import org.vigil.api.auth.AhSession;
import org.vigil.api.auth.AuthKey;
import org.vigil.api.auth.AuthType;

/** Against the frame keepalived 2.2.7 sent in the lab (lab.md section 7, v2 AH advert). */
class AhAuthenticatorTest {
    private static final HexFormat HEX = HexFormat.of();
    /** The whole IPv4 datagram: VRID 51, prio 150, VIP 192.0.2.249, IP ID 1, AH seq 1, auth_pass "lab51pw". */
    private static final byte[] KEEPALIVED = HEX.parseHex("45c0004000010000ff3318acc000020be0000012"
            + "70040000c000020b0000000132a0db072ff371c5c320ff6f"
            + "21339601020183d0c00002f90000000000000000");
    private static final byte[] VRRP = Arrays.copyOfRange(KEEPALIVED, 44, 64);
    private static final Inet4Address R1 = ip4("192.0.2.11");
    private static final Inet4Address R2 = ip4("192.0.2.12");
    private static final Inet4Address GROUP = ip4("224.0.0.18");

    private static AhSession session(String password) {
        return (AhSession) new AhAuthenticator().newSession(AuthKey.of(password));
    }

    private static Inet4Address ip4(String literal) {
        try {
            return (Inet4Address) InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** Verifies and, when it passes, accepts: what the core does when no later check drops the advert. */
    private static String verify(AhSession s, byte[] datagram, boolean unicast) {
        String reason = s.verify(51, datagram, 0, 20, 20, datagram.length - 20, unicast);
        if (reason == null) {
            s.accept();
        }
        return reason;
    }

    /** An independent ICV: keepalived-behaviour.md a.4 spelled out with javax.crypto directly. */
    private static byte[] icv(String password, byte[] datagram, boolean unicast) throws Exception {
        byte[] copy = datagram.clone();
        copy[1] = 0;
        copy[6] = 0;
        copy[7] = 0;
        copy[10] = 0;
        copy[11] = 0;
        if (unicast) {
            copy[8] = 0;
        }
        Arrays.fill(copy, 32, 44, (byte) 0);
        Mac mac = Mac.getInstance("HmacMD5");
        mac.init(new SecretKeySpec(Arrays.copyOf(password.getBytes(), 8), "HmacMD5"));
        return Arrays.copyOf(mac.doFinal(copy), 12);
    }

    /** Rewrites bytes of a datagram and signs it again, as a sender with the password would. */
    private static byte[] resigned(byte[] datagram, int offset, byte[] bytes) throws Exception {
        byte[] d = datagram.clone();
        System.arraycopy(bytes, 0, d, offset, bytes.length);
        System.arraycopy(icv("lab51pw", d, false), 0, d, 32, 12);
        return d;
    }

    @Test
    void theIndependentIcvReproducesKeepalivedsCapture() throws Exception {
        assertThat(icv("lab51pw", KEEPALIVED, false)).containsExactly(Arrays.copyOfRange(KEEPALIVED, 32, 44));
    }

    @Test
    void theFirstAdvertIsKeepalivedsFrameByteForByteButTheKernelsChecksum() {
        AhSession s = session("lab51pw");
        s.nextAdvert();
        byte[] out = new byte[100];
        int len = s.buildDatagram(VRRP, 0, VRRP.length, R1, GROUP, false, out, 3);

        assertThat(len).isEqualTo(64);
        byte[] built = Arrays.copyOfRange(out, 3, 3 + len);
        assertThat(built[10]).as("checksum left to the kernel").isZero();
        assertThat(built[11]).isZero();
        byte[] expected = KEEPALIVED.clone();
        expected[10] = 0;
        expected[11] = 0;
        assertThat(HEX.formatHex(built)).isEqualTo(HEX.formatHex(expected));
        assertThat(s.ipIdentification()).isEqualTo(1);
        assertThat(s.sequenceNumber()).isEqualTo(1);
    }

    @Test
    void theDatagramCanBeBuiltInPlaceOverItsOwnVrrpPart() {
        AhSession s = session("lab51pw");
        s.nextAdvert();
        byte[] buf = new byte[100];
        System.arraycopy(VRRP, 0, buf, 0, VRRP.length);
        int len = s.buildDatagram(buf, 0, VRRP.length, R1, GROUP, false, buf, 0);
        byte[] expected = KEEPALIVED.clone();
        expected[10] = 0;
        expected[11] = 0;
        assertThat(Arrays.copyOf(buf, len)).containsExactly(expected);
    }

    @Test
    void countersAdvanceOncePerAdvertAndTheIpIdSkipsZero() {
        AhSession s = session("lab51pw");
        assertThat(s.sequenceNumber()).isZero();
        assertThat(s.ipIdentification()).isZero();
        byte[] out = new byte[100];
        s.nextAdvert();
        s.buildDatagram(VRRP, 0, VRRP.length, R1, R2, true, out, 0);
        s.buildDatagram(VRRP, 0, VRRP.length, R1, ip4("192.0.2.13"), true, out, 0);
        // two unicast peers, one advert: keepalived counts both only once
        assertThat(s.sequenceNumber()).isEqualTo(1);
        assertThat(out[4] << 8 | out[5]).isEqualTo(1);
        assertThat(readInt(out, 28)).isEqualTo(1);
        for (int i = 1; i < 65535; i++) {
            s.nextAdvert();
        }
        assertThat(s.ipIdentification()).isEqualTo(65535);
        s.nextAdvert();
        assertThat(s.ipIdentification()).isEqualTo(1);
        assertThat(s.sequenceNumber()).isEqualTo(65536);
    }

    @Test
    void keepalivedsFrameIsAccepted() {
        AhSession s = session("lab51pw");
        assertThat(verify(s, KEEPALIVED, false)).isNull();
        assertThat(s.sequenceNumber()).isEqualTo(1);
        assertThat(s.check(2, KEEPALIVED, 56)).isNull();
    }

    @Test
    void ourOwnDatagramIsAcceptedByAnotherSession() {
        AhSession sender = session("lab51pw");
        AhSession receiver = session("lab51pw");
        byte[] out = new byte[64];
        for (int i = 0; i < 3; i++) {
            sender.nextAdvert();
            sender.buildDatagram(VRRP, 0, VRRP.length, R1, GROUP, false, out, 0);
            // what the kernel does on the way: checksum filled in; TOS, DF are outside the ICV
            out[10] = 0x18;
            out[11] = (byte) 0xac;
            assertThat(verify(receiver, out, false)).isNull();
        }
        assertThat(receiver.sequenceNumber()).isEqualTo(3);
    }

    @Test
    void aWrongPasswordFailsTheIcv() {
        AhSession s = session("lab51px");
        assertThat(verify(s, KEEPALIVED, false))
                .isEqualTo("IPSEC-AH : invalid IPSEC HMAC-MD5 value. Due to fields mutation or bad password !");
        assertThat(s.sequenceNumber()).as("a rejected advert leaves the counter").isZero();
    }

    @Test
    void anyChangedCoveredByteFailsTheIcv() {
        AhSession s = session("lab51pw");
        for (int offset : new int[] { 3, 4, 8, 12, 16, 25, 30, 35, 46, 59 }) {
            byte[] d = KEEPALIVED.clone();
            d[offset] ^= 0x01;
            assertThat(verify(s, d, false)).as("byte %d", offset)
                    .isEqualTo("IPSEC-AH : invalid IPSEC HMAC-MD5 value. Due to fields mutation or bad password !");
        }
        // TOS, flags and checksum may change on the way: outside the ICV
        byte[] d = KEEPALIVED.clone();
        d[1] = 0;
        d[6] = 0x40;
        d[10] = 0;
        assertThat(verify(s, d, false)).isNull();
    }

    @Test
    void theTtlIsInTheIcvInMulticastOnly() throws Exception {
        byte[] routed = KEEPALIVED.clone();
        routed[8] = 64;
        assertThat(verify(session("lab51pw"), routed, false)).startsWith("IPSEC-AH : invalid IPSEC HMAC-MD5");

        AhSession sender = session("lab51pw");
        sender.nextAdvert();
        byte[] out = new byte[64];
        sender.buildDatagram(VRRP, 0, VRRP.length, R1, R2, true, out, 0);
        assertThat(out[8] & 0xff).as("sent with TTL 255").isEqualTo(255);
        assertThat(Arrays.copyOfRange(out, 32, 44)).containsExactly(icv("lab51pw", out, true));
        out[8] = 61; // three routers on the way
        assertThat(verify(session("lab51pw"), out, true)).isNull();
    }

    @Test
    void aSpiOtherThanTheSourceIsRejected() throws Exception {
        byte[] forged = resigned(KEEPALIVED, 24, new byte[] { (byte) 192, 0, 2, 12 });
        assertThat(verify(session("lab51pw"), forged, false))
                // keepalived prints both as %u of the network-order word, on a little-endian host
                .isEqualTo("IPSEC AH : invalid IPSEC SPI value. 184680640 and expect 201457856");
    }

    @Test
    void aReplayedOrOlderSequenceNumberIsDropped() throws Exception {
        AhSession s = session("lab51pw");
        assertThat(verify(s, KEEPALIVED, false)).isNull();
        assertThat(verify(s, KEEPALIVED, false))
                .isEqualTo("IPSEC-AH : sequence number 1 already processed. Packet dropped. Local(1)");

        byte[] seven = resigned(KEEPALIVED, 28, new byte[] { 0, 0, 0, 7 });
        byte[] five = resigned(KEEPALIVED, 28, new byte[] { 0, 0, 0, 5 });
        assertThat(verify(s, seven, false)).isNull();
        assertThat(verify(s, five, false))
                .isEqualTo("IPSEC-AH : sequence number 5 already processed. Packet dropped. Local(7)");
        assertThat(s.sequenceNumber()).isEqualTo(7);
    }

    @Test
    void aVerifiedAdvertThatIsNotAcceptedLeavesTheCounter() throws Exception {
        // the core drops it by a later check (a wrong interval): the next advert must still pass
        AhSession s = session("lab51pw");
        byte[] seven = resigned(KEEPALIVED, 28, new byte[] { 0, 0, 0, 7 });
        assertThat(s.verify(51, seven, 0, 20, 20, seven.length - 20, false)).isNull();
        assertThat(s.sequenceNumber()).isZero();
        assertThat(verify(s, seven, false)).isNull();
        assertThat(s.sequenceNumber()).isEqualTo(7);
        s.accept();
        assertThat(s.sequenceNumber()).as("accept without a new verify changes nothing").isEqualTo(7);
    }

    @Test
    void theCounterIsSharedBySendingAndReceiving() throws Exception {
        // keepalived's single counter: after sending 1..3 a peer's seq 2 is old, its seq 4 is new
        AhSession s = session("lab51pw");
        for (int i = 0; i < 3; i++) {
            s.nextAdvert();
        }
        assertThat(verify(s, resigned(KEEPALIVED, 28, new byte[] { 0, 0, 0, 2 }), false))
                .startsWith("IPSEC-AH : sequence number 2 already processed");
        assertThat(verify(s, resigned(KEEPALIVED, 28, new byte[] { 0, 0, 0, 4 }), false)).isNull();
        s.nextAdvert();
        assertThat(s.sequenceNumber()).isEqualTo(5);
    }

    @Test
    void aMasterHearingALowerPriorityResyncsToItsSequencePlusOne() throws Exception {
        AhSession s = session("lab51pw");
        assertThat(verify(s, resigned(KEEPALIVED, 28, new byte[] { 0, 0, 0, 40 }), false)).isNull();
        assertThat(s.resyncAfterLowerPriority()).isEqualTo("IPSEC-AH : Syncing seq_num - Increment seq");
        assertThat(s.sequenceNumber()).isEqualTo(41);
        s.nextAdvert();
        assertThat(s.sequenceNumber()).isEqualTo(42);
    }

    @Test
    void aCycledCounterRestartsWhenBecomingMaster() throws Exception {
        AhSession s = session("lab51pw");
        byte[] nearEnd = resigned(KEEPALIVED, 28, new byte[] { (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xfd });
        assertThat(verify(s, nearEnd, false)).isNull();
        s.nextAdvert();
        assertThat(s.sequenceNumber()).isEqualTo(0xFFFFFFFEL);
        s.nextAdvert();
        assertThat(s.sequenceNumber()).as("keepalived stops counting").isEqualTo(0xFFFFFFFEL);
        s.enteringMaster();
        assertThat(s.sequenceNumber()).isZero();
        s.nextAdvert();
        assertThat(s.sequenceNumber()).isEqualTo(1);
        s.enteringMaster();
        assertThat(s.sequenceNumber()).as("no cycle, no reset").isEqualTo(1);
    }

    @Test
    void aPlainVrrpPacketIsRejectedWhenAhIsConfigured() {
        AhSession s = session("lab51pw");
        assertThat(s.verify(112, VRRP, 0, 0, 0, VRRP.length, false))
                .isEqualTo("No AH header but auth type is AH");
    }

    @Test
    void anAhHeaderForAnotherProtocolIsIgnored() throws Exception {
        byte[] tcp = resigned(KEEPALIVED, 20, new byte[] { 6 });
        assertThat(verify(session("lab51pw"), tcp, false)).isEqualTo("IPSEC-AH : next header 6 is not VRRP - ignoring");
    }

    @Test
    void withoutTheIpHeaderOrWithATruncatedAhNothingIsAccepted() {
        AhSession s = session("lab51pw");
        assertThat(s.verify(51, KEEPALIVED, 0, 0, 20, 44, false)).startsWith("IPSEC-AH : no IPv4 header");
        assertThat(s.verify(51, KEEPALIVED, 0, 20, 20, 20, false))
                .isEqualTo("IPSEC-AH : packet shorter than its AH header");
    }

    @Test
    void theVrrpPartMustSayAuthTypeTwoAndCarriesZeros() {
        AhSession s = session("lab51pw");
        byte[] packet = new byte[20];
        Arrays.fill(packet, (byte) 0x55);
        s.writeAuthData(packet, 12);
        assertThat(Arrays.copyOfRange(packet, 12, 20)).containsOnly(0);
        assertThat(s.check(1, packet, 12)).isEqualTo("received a 1 auth, expecting 2!");
        assertThat(s.check(0, packet, 12)).isEqualTo("received a 0 auth, expecting 2!");
        assertThat(new AhAuthenticator().type()).isEqualTo(AuthType.AH);
    }

    private static long readInt(byte[] b, int off) {
        return ((b[off] & 0xffL) << 24) | ((b[off + 1] & 0xff) << 16) | ((b[off + 2] & 0xff) << 8) | (b[off + 3] & 0xff);
    }
}
