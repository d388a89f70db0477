package org.vigil.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;

/** A message followed by auth_hmac's 28-byte trailer, on the images of draft-cassen-vrrp-auth-hmac's appendix. */
class TrailerFramingTest {
    private static final HexFormat HEX = HexFormat.of();
    private static final int TRAILER = 28;
    private static final byte[] IPV4 = HEX.parseHex("3133c80100644402c0000264"
            + "010100006800000080000000" + "1b84bc4e8e43892dc6d98448f8ee2265");
    private static final byte[] IPV6 = HEX.parseHex("3133c8010064a2e9" + "fe800000000000000000000000000100"
            + "010100006800000080000000" + "c8c56146ebfd66ee10ec4d8186461b78");

    private static byte[] addr(String literal) {
        try {
            return InetAddress.getByName(literal).getAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    @Test
    void anIpv6AdvertWithATrailerDecodesWithTheKernelsChecksumOverBoth() {
        DecodedAdvert out = new DecodedAdvert();
        assertThat(VrrpCodec.decode(IPV6, 0, IPV6.length, true, addr("fe80::10"), addr("fe80::20"), 255, TRAILER, out))
                .isEqualTo(DecodeStatus.OK);
        assertThat(out.priority()).isEqualTo(200);
        assertThat(out.length()).isEqualTo(24);
        // a receiver without auth_hmac sees trailing bytes, as keepalived 2.2.7 does: it fails closed
        assertThat(VrrpCodec.decode(IPV6, 0, IPV6.length, true, addr("fe80::10"), addr("fe80::20"), 255, null))
                .isEqualTo(DecodeStatus.BAD_LENGTH);
    }

    @Test
    void anIpv4AdvertWithATrailerKeepsItsMessageOnlyChecksum() {
        DecodedAdvert out = new DecodedAdvert();
        assertThat(VrrpCodec.decode(IPV4, 0, IPV4.length, false, addr("198.51.100.10"), addr("224.0.0.18"), 255,
                TRAILER, out)).isEqualTo(DecodeStatus.OK);
        assertThat(out.checksumForm()).isEqualTo(ChecksumForm.V3_MESSAGE_ONLY);
        assertThat(VrrpCodec.decode(IPV4, 0, IPV4.length, false, addr("198.51.100.10"), addr("224.0.0.18"), 255,
                TRAILER - 4, out)).isEqualTo(DecodeStatus.BAD_LENGTH);
    }

    @Test
    void theChecksumExtendedOverTheTrailerIsTheKernels() {
        byte[] copy = Arrays.copyOf(IPV6, IPV6.length);
        copy[6] = 0x12;
        VrrpCodec.extendChecksumOverTrailer(copy, 0, 24, TRAILER, addr("fe80::10"), addr("fe80::20"));
        assertThat(copy).isEqualTo(IPV6);
    }
}
