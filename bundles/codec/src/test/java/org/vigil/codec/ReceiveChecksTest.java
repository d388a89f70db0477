package org.vigil.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.vigil.codec.Vectors.*;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Each receive check of RFC 3768 7.1 / RFC 5798 7.1 rejects with its own reason. */
class ReceiveChecksTest {

    private final DecodedAdvert advert = new DecodedAdvert();

    @Test
    void ttlOtherThan255IsRejectedBeforeAnythingElse() {
        assertThat(v2(V2_PASS_150, 254)).isEqualTo(DecodeStatus.BAD_TTL);
        assertThat(v2(V2_PASS_150, 1)).isEqualTo(DecodeStatus.BAD_TTL);
        assertThat(VrrpCodec.decode(null, 0, 0, false, null, null, 64, advert)).isEqualTo(DecodeStatus.BAD_TTL);
        assertThat(VrrpCodec.decode(V3_IPV6_150, 0, 24, true, R1_LINK_LOCAL, GROUP_IPV6, 254, advert))
                .isEqualTo(DecodeStatus.BAD_TTL);
    }

    @Test
    void shorterThanTheFixedHeaderIsTruncated() {
        for (int len = 0; len < 8; len++) {
            assertThat(VrrpCodec.decode(V2_PASS_150, 0, len, false, R1_IPV4, GROUP_IPV4, 255, advert)).as("len %d", len)
                    .isEqualTo(DecodeStatus.TRUNCATED);
        }
    }

    @Test
    void badBufferOffsetOrLengthIsTruncated() {
        assertThat(VrrpCodec.decode(null, 0, 20, false, R1_IPV4, GROUP_IPV4, 255, advert)).isEqualTo(DecodeStatus.TRUNCATED);
        assertThat(VrrpCodec.decode(V2_PASS_150, -1, 20, false, R1_IPV4, GROUP_IPV4, 255, advert))
                .isEqualTo(DecodeStatus.TRUNCATED);
        assertThat(VrrpCodec.decode(V2_PASS_150, 0, -1, false, R1_IPV4, GROUP_IPV4, 255, advert))
                .isEqualTo(DecodeStatus.TRUNCATED);
        assertThat(VrrpCodec.decode(V2_PASS_150, 1, 20, false, R1_IPV4, GROUP_IPV4, 255, advert))
                .isEqualTo(DecodeStatus.TRUNCATED);
        assertThat(VrrpCodec.decode(V2_PASS_150, Integer.MAX_VALUE, Integer.MAX_VALUE, false, R1_IPV4, GROUP_IPV4,
                255, advert)).isEqualTo(DecodeStatus.TRUNCATED);
        assertThat(VrrpCodec.decode(V2_PASS_150, 4, Integer.MAX_VALUE, false, R1_IPV4, GROUP_IPV4, 255, advert))
                .isEqualTo(DecodeStatus.TRUNCATED);
    }

    @Test
    void fewerBytesThanCountAndAuthDataRequireIsTruncated() {
        // v2 without its 8 auth bytes, or cut inside them
        for (int len = 8; len < 20; len++) {
            assertThat(v2Len(V2_PASS_150, len)).as("len %d", len).isEqualTo(DecodeStatus.TRUNCATED);
        }
        // count says 2 addresses, one is there
        byte[] twoClaimed = V3_IPV4_150.clone();
        twoClaimed[3] = 2;
        assertThat(VrrpCodec.decode(twoClaimed, 0, 12, false, R1_IPV4, GROUP_IPV4, 255, advert))
                .isEqualTo(DecodeStatus.TRUNCATED);
        assertThat(VrrpCodec.decode(V3_IPV6_150, 0, 23, true, R1_LINK_LOCAL, GROUP_IPV6, 255, advert))
                .isEqualTo(DecodeStatus.TRUNCATED);
    }

    @Test
    void versionOtherThan2Or3IsRejected() {
        for (int version : new int[] {0, 1, 4, 15}) {
            byte[] p = V2_PASS_150.clone();
            p[0] = (byte) (version << 4 | 1);
            Bytes.fixChecksum(p, 0, 20, ChecksumForm.V2, false, null, null);
            assertThat(v2(p, 255)).as("version %d", version).isEqualTo(DecodeStatus.BAD_VERSION);
        }
    }

    @Test
    void version2OverIpv6IsRejected() {
        byte[] p = V3_IPV6_150.clone();
        p[0] = 0x21;
        assertThat(VrrpCodec.decode(p, 0, p.length, true, R1_LINK_LOCAL, GROUP_IPV6, 255, advert))
                .isEqualTo(DecodeStatus.BAD_VERSION);
    }

    @Test
    void typeOtherThanAdvertisementIsRejected() {
        for (int type : new int[] {0, 2, 15}) {
            byte[] p = V2_PASS_150.clone();
            p[0] = (byte) (0x20 | type);
            Bytes.fixChecksum(p, 0, 20, ChecksumForm.V2, false, null, null);
            assertThat(v2(p, 255)).as("type %d", type).isEqualTo(DecodeStatus.BAD_TYPE);
        }
    }

    @Test
    void vrid0IsRejected() {
        byte[] p = V3_IPV4_150.clone();
        p[1] = 0;
        Bytes.fixChecksum(p, 0, 12, ChecksumForm.V3_PSEUDO_HEADER, false, R1_IPV4, GROUP_IPV4);
        assertThat(VrrpCodec.decode(p, 0, 12, false, R1_IPV4, GROUP_IPV4, 255, advert)).isEqualTo(DecodeStatus.BAD_VRID);
    }

    @Test
    void ethernetPaddingIsToleratedOverIpv4() {
        // a 32-byte IPv4 packet is padded to the 46-byte Ethernet minimum: 14 bytes after the message
        byte[] padded = Arrays.copyOf(V3_IPV4_150, 26);
        assertThat(VrrpCodec.decode(padded, 0, 26, false, R1_IPV4, GROUP_IPV4, 255, advert)).isEqualTo(DecodeStatus.OK);
        assertThat(advert.length()).isEqualTo(12);
        byte[] paddedV2 = Arrays.copyOf(V2_PASS_150, 26);
        assertThat(v2Len(paddedV2, 26)).isEqualTo(DecodeStatus.OK);
        assertThat(advert.length()).isEqualTo(20);
    }

    @Test
    void bytesBeyondPossiblePaddingAreBadLength() {
        byte[] longer = Arrays.copyOf(V3_IPV4_150, 27);
        assertThat(VrrpCodec.decode(longer, 0, 27, false, R1_IPV4, GROUP_IPV4, 255, advert))
                .isEqualTo(DecodeStatus.BAD_LENGTH);
        // two addresses' worth of bytes but Count says 1: the second one is not padding
        byte[] twoAddresses = Arrays.copyOf(V2_PASS_150, 32);
        assertThat(v2Len(twoAddresses, 32)).isEqualTo(DecodeStatus.BAD_LENGTH);
    }

    @Test
    void anyTrailingByteOverIpv6IsBadLength() {
        byte[] p = Arrays.copyOf(V3_IPV6_150, 25);
        assertThat(VrrpCodec.decode(p, 0, 25, true, R1_LINK_LOCAL, GROUP_IPV6, 255, advert))
                .isEqualTo(DecodeStatus.BAD_LENGTH);
    }

    @Test
    void v3Interval0IsRejected() {
        byte[] p = V3_IPV4_150.clone();
        p[4] = 0;
        p[5] = 0;
        Bytes.fixChecksum(p, 0, 12, ChecksumForm.V3_PSEUDO_HEADER, false, R1_IPV4, GROUP_IPV4);
        assertThat(VrrpCodec.decode(p, 0, 12, false, R1_IPV4, GROUP_IPV4, 255, advert))
                .isEqualTo(DecodeStatus.BAD_INTERVAL);
        // reserved bits do not make the interval non-zero
        p[4] = (byte) 0xF0;
        Bytes.fixChecksum(p, 0, 12, ChecksumForm.V3_PSEUDO_HEADER, false, R1_IPV4, GROUP_IPV4);
        assertThat(VrrpCodec.decode(p, 0, 12, false, R1_IPV4, GROUP_IPV4, 255, advert))
                .isEqualTo(DecodeStatus.BAD_INTERVAL);
    }

    @Test
    void v3ReservedBitsAreIgnoredOnReceive() {
        byte[] p = V3_IPV4_150.clone();
        p[4] = (byte) 0xA0; // reserved 1010, interval still 0x00a = 10 cs
        Bytes.fixChecksum(p, 0, 12, ChecksumForm.V3_PSEUDO_HEADER, false, R1_IPV4, GROUP_IPV4);
        assertThat(VrrpCodec.decode(p, 0, 12, false, R1_IPV4, GROUP_IPV4, 255, advert)).isEqualTo(DecodeStatus.OK);
        assertThat(advert.advertIntervalCs()).isEqualTo(10);
    }

    @Test
    void largestV3IntervalIsDecoded() {
        byte[] p = V3_IPV4_150.clone();
        p[4] = 0x0F;
        p[5] = (byte) 0xFF;
        Bytes.fixChecksum(p, 0, 12, ChecksumForm.V3_MESSAGE_ONLY, false, null, null);
        assertThat(VrrpCodec.decode(p, 0, 12, false, R1_IPV4, GROUP_IPV4, 255, advert)).isEqualTo(DecodeStatus.OK);
        assertThat(advert.advertIntervalCs()).isEqualTo(4095);
    }

    @Test
    void wrongChecksumIsRejected() {
        byte[] p = V2_PASS_150.clone();
        p[7] ^= 1;
        assertThat(v2(p, 255)).isEqualTo(DecodeStatus.BAD_CHECKSUM);
        // a changed password byte is caught by the v2 checksum too (it covers the auth data)
        byte[] q = V2_PASS_150.clone();
        q[19] = 1;
        assertThat(v2(q, 255)).isEqualTo(DecodeStatus.BAD_CHECKSUM);
    }

    @Test
    void v3ChecksumDependsOnTheRealSourceAndDestination() {
        byte[] otherSource = Bytes.hex("c000020c");
        assertThat(VrrpCodec.decode(V3_IPV4_150, 0, 12, false, otherSource, GROUP_IPV4, 255, advert))
                .isEqualTo(DecodeStatus.BAD_CHECKSUM);
        assertThat(VrrpCodec.decode(V3_IPV4_150, 0, 12, false, R1_IPV4, Bytes.hex("c000020c"), 255, advert))
                .isEqualTo(DecodeStatus.BAD_CHECKSUM);
        byte[] otherLinkLocal = R1_LINK_LOCAL.clone();
        otherLinkLocal[15] ^= 1;
        assertThat(VrrpCodec.decode(V3_IPV6_150, 0, 24, true, otherLinkLocal, GROUP_IPV6, 255, advert))
                .isEqualTo(DecodeStatus.BAD_CHECKSUM);
    }

    @Test
    void missingAddressesFailThePseudoHeaderChecksumWithoutThrowing() {
        assertThat(VrrpCodec.decode(V3_IPV4_150, 0, 12, false, null, null, 255, advert))
                .isEqualTo(DecodeStatus.BAD_CHECKSUM);
        assertThat(VrrpCodec.decode(V3_IPV6_150, 0, 24, true, R1_IPV4, GROUP_IPV4, 255, advert))
                .isEqualTo(DecodeStatus.BAD_CHECKSUM);
        assertThat(VrrpCodec.decode(V3_IPV6_150, 0, 24, true, R1_LINK_LOCAL, null, 255, advert))
                .isEqualTo(DecodeStatus.BAD_CHECKSUM);
    }

    @Test
    void aRejectedPacketLeavesThePreviousAdvertUntouched() {
        assertThat(v2(V2_PASS_150, 255)).isEqualTo(DecodeStatus.OK);
        byte[] bad = V2_PASS_0.clone();
        bad[7] ^= 1;
        assertThat(v2(bad, 255)).isEqualTo(DecodeStatus.BAD_CHECKSUM);
        assertThat(advert.priority()).isEqualTo(150);
        assertThat(advert.buffer()).isSameAs(V2_PASS_150);
    }

    @Test
    void nullOutputOnlyChecks() {
        assertThat(VrrpCodec.decode(V2_PASS_150, 0, 20, false, null, null, 255, null)).isEqualTo(DecodeStatus.OK);
    }

    @Test
    void addressCount0IsAccepted() {
        // keepalived sends Count 0 when every VIP is in virtual_ipaddress_excluded
        byte[] out = new byte[16];
        int n = VrrpCodec.encode(2, 7, 100, 300, 0, null, null, false, ChecksumForm.V2, null, null, out, 0);
        assertThat(n).isEqualTo(16);
        assertThat(VrrpCodec.decode(out, 0, n, false, null, null, 255, advert)).isEqualTo(DecodeStatus.OK);
        assertThat(advert.addressCount()).isZero();
        assertThat(advert.containsAddress(VIP_IPV4)).isFalse();
        assertThat(advert.advertIntervalCs()).isEqualTo(300);
    }

    private DecodeStatus v2(byte[] p, int ttl) {
        return VrrpCodec.decode(p, 0, p.length, false, R1_IPV4, GROUP_IPV4, ttl, advert);
    }

    private DecodeStatus v2Len(byte[] p, int len) {
        return VrrpCodec.decode(p, 0, len, false, R1_IPV4, GROUP_IPV4, 255, advert);
    }
}
