package org.vigil.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.vigil.codec.Vectors.*;

import org.junit.jupiter.api.Test;

/** Which checksum form a v3 IPv4 advert used is detected on receive (RFC 5798 vs RFC 9568). */
class ChecksumFormTest {

    private static final byte[] VIPS = Bytes.hex("c00002f9c00002fa");
    private static final byte[] UNICAST_PEER = Bytes.hex("c000020c");
    private final DecodedAdvert advert = new DecodedAdvert();
    private final byte[] buf = new byte[64];

    @Test
    void pseudoHeaderFormIsDetected() {
        int n = VrrpCodec.encode(3, 9, 120, 100, 0, null, VIPS, false, ChecksumForm.V3_PSEUDO_HEADER, R1_IPV4,
                GROUP_IPV4, buf, 0);
        assertThat(VrrpCodec.decode(buf, 0, n, false, R1_IPV4, GROUP_IPV4, 255, advert)).isEqualTo(DecodeStatus.OK);
        assertThat(advert.checksumForm()).isEqualTo(ChecksumForm.V3_PSEUDO_HEADER);
        assertThat(advert.addressCount()).isEqualTo(2);
    }

    @Test
    void messageOnlyFormIsDetected() {
        int n = VrrpCodec.encode(3, 9, 120, 100, 0, null, VIPS, false, ChecksumForm.V3_MESSAGE_ONLY, null, null,
                buf, 0);
        assertThat(VrrpCodec.decode(buf, 0, n, false, R1_IPV4, GROUP_IPV4, 255, advert)).isEqualTo(DecodeStatus.OK);
        assertThat(advert.checksumForm()).isEqualTo(ChecksumForm.V3_MESSAGE_ONLY);
        // message-only does not depend on the IP addresses at all
        assertThat(VrrpCodec.decode(buf, 0, n, false, null, null, 255, advert)).isEqualTo(DecodeStatus.OK);
        assertThat(advert.checksumForm()).isEqualTo(ChecksumForm.V3_MESSAGE_ONLY);
    }

    @Test
    void messageOnlyMatchesAnIndependentComputation() {
        int n = VrrpCodec.encode(3, 9, 120, 100, 0, null, VIPS, false, ChecksumForm.V3_MESSAGE_ONLY, null, null,
                buf, 0);
        byte[] copy = java.util.Arrays.copyOf(buf, n);
        int sent = ((copy[6] & 0xFF) << 8) | (copy[7] & 0xFF);
        copy[6] = 0;
        copy[7] = 0;
        assertThat(sent).isEqualTo(Bytes.referenceChecksum(copy));
    }

    @Test
    void unicastPseudoHeaderUsesTheRealDestination() {
        int n = VrrpCodec.encode(3, 9, 120, 100, 0, null, VIPS, false, ChecksumForm.V3_PSEUDO_HEADER, R1_IPV4,
                UNICAST_PEER, buf, 0);
        assertThat(VrrpCodec.decode(buf, 0, n, false, R1_IPV4, UNICAST_PEER, 255, advert)).isEqualTo(DecodeStatus.OK);
        assertThat(advert.checksumForm()).isEqualTo(ChecksumForm.V3_PSEUDO_HEADER);
        assertThat(VrrpCodec.decode(buf, 0, n, false, R1_IPV4, GROUP_IPV4, 255, advert))
                .isEqualTo(DecodeStatus.BAD_CHECKSUM);
    }

    @Test
    void v2FormIsReportedForV2() {
        assertThat(VrrpCodec.decode(V2_PASS_150, 0, 20, false, R1_IPV4, GROUP_IPV4, 255, advert))
                .isEqualTo(DecodeStatus.OK);
        assertThat(advert.checksumForm()).isEqualTo(ChecksumForm.V2);
    }

    @Test
    void ipv6AcceptsOnlyThePseudoHeader() {
        byte[] p = V3_IPV6_150.clone();
        Bytes.fixChecksum(p, 0, 24, ChecksumForm.V3_MESSAGE_ONLY, true, null, null);
        assertThat(VrrpCodec.decode(p, 0, 24, true, R1_LINK_LOCAL, GROUP_IPV6, 255, advert))
                .isEqualTo(DecodeStatus.BAD_CHECKSUM);
        assertThatThrownBy(() -> VrrpCodec.encode(3, 51, 150, 100, 0, null, VIP_IPV6, true,
                ChecksumForm.V3_MESSAGE_ONLY, null, null, buf, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
