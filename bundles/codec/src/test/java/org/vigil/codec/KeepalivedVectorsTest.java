package org.vigil.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.vigil.codec.Bytes.hex;
import static org.vigil.codec.Vectors.*;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Decodes and re-encodes what real keepalived 2.2.7 sent in the lab, byte for byte. */
class KeepalivedVectorsTest {

    private final DecodedAdvert advert = new DecodedAdvert();
    private final byte[] out = new byte[VrrpCodec.MAX_LENGTH];

    @Test
    void v2PassPriority150() {
        assertThat(decode(V2_PASS_150, 0, false, R1_IPV4, GROUP_IPV4)).isEqualTo(DecodeStatus.OK);
        assertV2Pass(150, 0x0dc9);
        assertThat(advert.authDataOffset()).isEqualTo(12);
        assertThat(Arrays.copyOfRange(V2_PASS_150, 12, 20)).isEqualTo(PASSWORD);

        int n = VrrpCodec.encode(2, 51, 150, 100, 1, PASSWORD, VIP_IPV4, false, ChecksumForm.V2, null, null, out, 0);
        assertThat(Arrays.copyOf(out, n)).isEqualTo(V2_PASS_150);
    }

    @Test
    void v2PassPriority0() {
        assertThat(decode(V2_PASS_0, 0, false, R1_IPV4, GROUP_IPV4)).isEqualTo(DecodeStatus.OK);
        assertV2Pass(0, 0xa3c9);

        int n = VrrpCodec.encode(2, 51, 0, 100, 1, PASSWORD, VIP_IPV4, false, ChecksumForm.V2, null, null, out, 0);
        assertThat(Arrays.copyOf(out, n)).isEqualTo(V2_PASS_0);
    }

    @Test
    void v2PassInsideTheCapturedEthernetFrame() {
        byte[] frame = hex(V2_PASS_150_FRAME);
        int vrrp = 14 + 20;
        assertThat(VrrpCodec.decode(frame, vrrp, frame.length - vrrp, false, R1_IPV4, GROUP_IPV4, 255, advert))
                .isEqualTo(DecodeStatus.OK);
        assertThat(advert.buffer()).isSameAs(frame);
        assertThat(advert.addressesOffset()).isEqualTo(vrrp + 8);
        assertThat(advert.authDataOffset()).isEqualTo(vrrp + 12);
        assertThat(advert.containsAddress(VIP_IPV4)).isTrue();
    }

    @Test
    void v3Ipv4Priority150At10Centiseconds() {
        assertThat(decode(V3_IPV4_150, 0, false, R1_IPV4, GROUP_IPV4)).isEqualTo(DecodeStatus.OK);
        assertV3Ipv4(150, 0xd32c);

        int n = VrrpCodec.encode(3, 51, 150, 10, 0, null, VIP_IPV4, false, ChecksumForm.V3_PSEUDO_HEADER, R1_IPV4,
                GROUP_IPV4, out, 0);
        assertThat(Arrays.copyOf(out, n)).isEqualTo(V3_IPV4_150);
    }

    @Test
    void v3Ipv4Priority0() {
        assertThat(decode(V3_IPV4_0, 0, false, R1_IPV4, GROUP_IPV4)).isEqualTo(DecodeStatus.OK);
        assertV3Ipv4(0, 0x692d);

        int n = VrrpCodec.encode(3, 51, 0, 10, 0, null, VIP_IPV4, false, ChecksumForm.V3_PSEUDO_HEADER, R1_IPV4,
                GROUP_IPV4, out, 0);
        assertThat(Arrays.copyOf(out, n)).isEqualTo(V3_IPV4_0);
    }

    @Test
    void v3Ipv4InsideTheCapturedEthernetFrame() {
        byte[] frame = hex(V3_IPV4_150_FRAME);
        int vrrp = 14 + 20;
        assertThat(VrrpCodec.decode(frame, vrrp, frame.length - vrrp, false, R1_IPV4, GROUP_IPV4, 255, advert))
                .isEqualTo(DecodeStatus.OK);
        assertThat(advert.checksumForm()).isEqualTo(ChecksumForm.V3_PSEUDO_HEADER);
        assertThat(advert.addressesOffset()).isEqualTo(vrrp + 8);
    }

    @Test
    void v2AhInnerVrrpMessage() {
        int off = V2_AH_VRRP_OFFSET;
        assertThat(VrrpCodec.decode(V2_AH_IP, off, V2_AH_IP.length - off, false, R1_IPV4, GROUP_IPV4, 255, advert))
                .isEqualTo(DecodeStatus.OK);
        assertThat(advert.version()).isEqualTo(2);
        assertThat(advert.vrid()).isEqualTo(51);
        assertThat(advert.priority()).isEqualTo(150);
        assertThat(advert.addressCount()).isEqualTo(1);
        assertThat(advert.authType()).isEqualTo(2);
        assertThat(advert.advertIntervalCs()).isEqualTo(100);
        assertThat(advert.checksum()).isEqualTo(0x83d0);
        assertThat(advert.checksumForm()).isEqualTo(ChecksumForm.V2);
        assertThat(advert.addressesOffset()).isEqualTo(off + 8);
        assertThat(advert.authDataOffset()).isEqualTo(off + 12);
        assertThat(advert.length()).isEqualTo(20);
        assertThat(advert.address(0)).isEqualTo(VIP_IPV4);

        byte[] expected = Arrays.copyOfRange(V2_AH_IP, off, off + 20);
        int n = VrrpCodec.encode(2, 51, 150, 100, 2, null, VIP_IPV4, false, ChecksumForm.V2, null, null, out, 7);
        assertThat(n).isEqualTo(20);
        assertThat(Arrays.copyOfRange(out, 7, 7 + n)).isEqualTo(expected);
    }

    @Test
    void v3Ipv6FromLinkLocalToGroup() {
        assertThat(decode(V3_IPV6_150, 0, true, R1_LINK_LOCAL, GROUP_IPV6)).isEqualTo(DecodeStatus.OK);
        assertThat(advert.version()).isEqualTo(3);
        assertThat(advert.vrid()).isEqualTo(51);
        assertThat(advert.priority()).isEqualTo(150);
        assertThat(advert.addressCount()).isEqualTo(1);
        assertThat(advert.authType()).isZero();
        assertThat(advert.advertIntervalCs()).isEqualTo(100);
        assertThat(advert.checksum()).isEqualTo(0x7771);
        assertThat(advert.checksumForm()).isEqualTo(ChecksumForm.V3_PSEUDO_HEADER);
        assertThat(advert.addressLength()).isEqualTo(16);
        assertThat(advert.addressesOffset()).isEqualTo(8);
        assertThat(advert.authDataOffset()).isEqualTo(-1);
        assertThat(advert.length()).isEqualTo(24);
        assertThat(advert.address(0)).isEqualTo(VIP_IPV6);
        assertThat(advert.containsAddress(VIP_IPV6)).isTrue();
        assertThat(advert.containsAddress(R1_LINK_LOCAL)).isFalse();

        int n = VrrpCodec.encode(3, 51, 150, 100, 0, null, VIP_IPV6, true, ChecksumForm.V3_PSEUDO_HEADER,
                R1_LINK_LOCAL, GROUP_IPV6, out, 0);
        assertThat(Arrays.copyOf(out, n)).isEqualTo(V3_IPV6_150);
    }

    @Test
    void checksumsMatchAnIndependentComputation() {
        assertThat(Bytes.referenceChecksum(zeroChecksum(V2_PASS_150))).isEqualTo(0x0dc9);
        assertThat(Bytes.referenceChecksum(Bytes.concat(Bytes.ipv4PseudoHeader(R1_IPV4, GROUP_IPV4, 12),
                zeroChecksum(V3_IPV4_150)))).isEqualTo(0xd32c);
        assertThat(Bytes.referenceChecksum(Bytes.concat(Bytes.ipv6PseudoHeader(R1_LINK_LOCAL, GROUP_IPV6, 24),
                zeroChecksum(V3_IPV6_150)))).isEqualTo(0x7771);
        // lab.md: without the auth bytes the v2 checksum would be 0x84d0
        assertThat(Bytes.referenceChecksum(Arrays.copyOf(zeroChecksum(V2_PASS_150), 12))).isEqualTo(0x84d0);
        assertThat(VrrpCodec.internetChecksum(zeroChecksum(V2_PASS_150), 0, 20)).isEqualTo(0x0dc9);
    }

    @Test
    void describesTheAdvertForLogs() {
        decode(V2_PASS_150, 0, false, R1_IPV4, GROUP_IPV4);
        assertThat(advert).hasToString("VRRPv2 vrid 51 prio 150 int 100cs auth 1 addrs [192.0.2.249] checksum 0x0dc9 V2");
        decode(V3_IPV6_150, 0, true, R1_LINK_LOCAL, GROUP_IPV6);
        assertThat(advert.toString()).contains("addrs [2001:db8:0:0:0:0:0:249]", "V3_PSEUDO_HEADER");
    }

    private DecodeStatus decode(byte[] payload, int off, boolean ipv6, byte[] src, byte[] dst) {
        return VrrpCodec.decode(payload, off, payload.length - off, ipv6, src, dst, 255, advert);
    }

    private void assertV2Pass(int priority, int checksum) {
        assertThat(advert.version()).isEqualTo(2);
        assertThat(advert.vrid()).isEqualTo(51);
        assertThat(advert.priority()).isEqualTo(priority);
        assertThat(advert.addressCount()).isEqualTo(1);
        assertThat(advert.authType()).isEqualTo(1);
        assertThat(advert.advertIntervalCs()).isEqualTo(100);
        assertThat(advert.checksum()).isEqualTo(checksum);
        assertThat(advert.checksumForm()).isEqualTo(ChecksumForm.V2);
        assertThat(advert.addressLength()).isEqualTo(4);
        assertThat(advert.addressesOffset()).isEqualTo(8);
        assertThat(advert.length()).isEqualTo(20);
        assertThat(advert.address(0)).isEqualTo(VIP_IPV4);
        assertThat(advert.containsAddress(VIP_IPV4)).isTrue();
    }

    private void assertV3Ipv4(int priority, int checksum) {
        assertThat(advert.version()).isEqualTo(3);
        assertThat(advert.vrid()).isEqualTo(51);
        assertThat(advert.priority()).isEqualTo(priority);
        assertThat(advert.addressCount()).isEqualTo(1);
        assertThat(advert.authType()).isZero();
        assertThat(advert.advertIntervalCs()).isEqualTo(10);
        assertThat(advert.checksum()).isEqualTo(checksum);
        assertThat(advert.checksumForm()).isEqualTo(ChecksumForm.V3_PSEUDO_HEADER);
        assertThat(advert.addressLength()).isEqualTo(4);
        assertThat(advert.addressesOffset()).isEqualTo(8);
        assertThat(advert.authDataOffset()).isEqualTo(-1);
        assertThat(advert.length()).isEqualTo(12);
        assertThat(advert.address(0)).isEqualTo(VIP_IPV4);
    }

    private static byte[] zeroChecksum(byte[] message) {
        byte[] copy = message.clone();
        copy[6] = 0;
        copy[7] = 0;
        return copy;
    }
}
