package org.vigil.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.vigil.codec.Vectors.*;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class EncodeTest {

    private final byte[] out = new byte[VrrpCodec.MAX_LENGTH];
    private final DecodedAdvert advert = new DecodedAdvert();

    @Test
    void v3ReservedBitsAreZeroAndTheIntervalUses12Bits() {
        int n = VrrpCodec.encode(3, 1, 100, 4095, 0, null, VIP_IPV4, false, ChecksumForm.V3_MESSAGE_ONLY, null, null,
                out, 0);
        assertThat(n).isEqualTo(12);
        assertThat(out[4]).isEqualTo((byte) 0x0F);
        assertThat(out[5]).isEqualTo((byte) 0xFF);
    }

    @Test
    void v3IgnoresAuthTypeAndAuthData() {
        int n = VrrpCodec.encode(3, 51, 150, 10, 1, PASSWORD, VIP_IPV4, false, ChecksumForm.V3_PSEUDO_HEADER, R1_IPV4,
                GROUP_IPV4, out, 0);
        assertThat(Arrays.copyOf(out, n)).isEqualTo(V3_IPV4_150);
    }

    @Test
    void shortPasswordIsZeroPadded() {
        byte[] dirty = new byte[32];
        Arrays.fill(dirty, (byte) 0x55);
        int n = VrrpCodec.encode(2, 51, 150, 100, 1, "lab51pw".getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                VIP_IPV4, false, ChecksumForm.V2, null, null, dirty, 0);
        assertThat(Arrays.copyOf(dirty, n)).isEqualTo(V2_PASS_150);
        assertThat(dirty[n]).isEqualTo((byte) 0x55);
    }

    @Test
    void manyAddressesRoundTrip() {
        byte[] addresses = new byte[255 * 16];
        for (int k = 0; k < 255; k++) { // 2001:db8::k, all distinct
            addresses[k * 16] = 0x20;
            addresses[k * 16 + 1] = 0x01;
            addresses[k * 16 + 2] = 0x0d;
            addresses[k * 16 + 3] = (byte) 0xb8;
            addresses[k * 16 + 15] = (byte) k;
        }
        int n = VrrpCodec.encode(3, 255, 255, 1, 0, null, addresses, true, ChecksumForm.V3_PSEUDO_HEADER,
                R1_LINK_LOCAL, GROUP_IPV6, out, 0);
        assertThat(n).isEqualTo(VrrpCodec.MAX_LENGTH).isEqualTo(VrrpCodec.messageLength(3, true, 255));
        assertThat(VrrpCodec.decode(out, 0, n, true, R1_LINK_LOCAL, GROUP_IPV6, 255, advert))
                .isEqualTo(DecodeStatus.OK);
        assertThat(advert.addressCount()).isEqualTo(255);
        assertThat(advert.indexOf(Arrays.copyOfRange(addresses, 254 * 16, 255 * 16))).isEqualTo(254);
        assertThat(advert.addressEquals(3, Arrays.copyOfRange(addresses, 48, 64))).isTrue();
        assertThat(advert.addressEquals(255, Arrays.copyOfRange(addresses, 48, 64))).isFalse();
        assertThat(advert.containsAddress(VIP_IPV4)).as("wrong size").isFalse();
        assertThat(advert.containsAddress(null)).isFalse();
    }

    @Test
    void outOfRangeValuesAreRefused() {
        assertRefused(() -> encode(1, 1, 100, 100, VIP_IPV4, false, ChecksumForm.V2));
        assertRefused(() -> encode(2, 0, 100, 100, VIP_IPV4, false, ChecksumForm.V2));
        assertRefused(() -> encode(2, 256, 100, 100, VIP_IPV4, false, ChecksumForm.V2));
        assertRefused(() -> encode(2, 1, -1, 100, VIP_IPV4, false, ChecksumForm.V2));
        assertRefused(() -> encode(2, 1, 256, 100, VIP_IPV4, false, ChecksumForm.V2));
        assertRefused(() -> encode(2, 1, 100, 150, VIP_IPV4, false, ChecksumForm.V2)); // not whole seconds
        assertRefused(() -> encode(2, 1, 100, 0, VIP_IPV4, false, ChecksumForm.V2));
        assertRefused(() -> encode(2, 1, 100, 25600, VIP_IPV4, false, ChecksumForm.V2));
        assertRefused(() -> encode(2, 1, 100, 100, VIP_IPV6, true, ChecksumForm.V2)); // v2 is IPv4 only
        assertRefused(() -> encode(2, 1, 100, 100, VIP_IPV4, false, ChecksumForm.V3_MESSAGE_ONLY));
        assertRefused(() -> encode(3, 1, 100, 0, VIP_IPV4, false, ChecksumForm.V3_MESSAGE_ONLY));
        assertRefused(() -> encode(3, 1, 100, 4096, VIP_IPV4, false, ChecksumForm.V3_MESSAGE_ONLY));
        assertRefused(() -> encode(3, 1, 100, 100, VIP_IPV4, false, ChecksumForm.V2));
        assertRefused(() -> encode(3, 1, 100, 100, new byte[5], false, ChecksumForm.V3_MESSAGE_ONLY));
        assertRefused(() -> encode(3, 1, 100, 100, new byte[256 * 4], false, ChecksumForm.V3_MESSAGE_ONLY));
        assertRefused(() -> encode(3, 1, 100, 100, VIP_IPV4, false, null));
        // pseudo-header without addresses
        assertRefused(() -> VrrpCodec.encode(3, 1, 100, 100, 0, null, VIP_IPV4, false,
                ChecksumForm.V3_PSEUDO_HEADER, null, GROUP_IPV4, out, 0));
        assertRefused(() -> VrrpCodec.encode(3, 1, 100, 100, 0, null, VIP_IPV6, true,
                ChecksumForm.V3_PSEUDO_HEADER, R1_IPV4, GROUP_IPV4, out, 0));
        // auth data too long, buffer too small, bad offset
        assertRefused(() -> VrrpCodec.encode(2, 1, 100, 100, 1, new byte[9], VIP_IPV4, false, ChecksumForm.V2,
                null, null, out, 0));
        assertRefused(() -> VrrpCodec.encode(2, 1, 100, 100, 1, null, VIP_IPV4, false, ChecksumForm.V2, null, null,
                new byte[19], 0));
        assertRefused(() -> VrrpCodec.encode(2, 1, 100, 100, 1, null, VIP_IPV4, false, ChecksumForm.V2, null, null,
                out, -1));
        assertRefused(() -> VrrpCodec.encode(2, 1, 100, 100, 1, null, VIP_IPV4, false, ChecksumForm.V2, null, null,
                null, 0));
    }

    @Test
    void internetChecksumFollowsRfc1071() {
        // RFC 1071 section 3 example: the words sum to 0xddf2
        byte[] example = Bytes.hex("0001f203f4f5f6f7");
        assertThat(VrrpCodec.internetChecksum(example, 0, 8)).isEqualTo(~0xddf2 & 0xFFFF);
        // odd length: the last byte is padded with zero
        assertThat(VrrpCodec.internetChecksum(Bytes.hex("0001f203f4f5f6"), 0, 7))
                .isEqualTo(Bytes.referenceChecksum(Bytes.hex("0001f203f4f5f600")));
        assertThat(VrrpCodec.internetChecksum(new byte[0], 0, 0)).isEqualTo(0xFFFF);
        assertThatThrownBy(() -> VrrpCodec.internetChecksum(example, 4, 5))
                .isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void internetChecksumOfLargeBuffersDoesNotOverflow() {
        byte[] big = new byte[1 << 20];
        Arrays.fill(big, (byte) 0xFF);
        big[0] = 0x12;
        assertThat(VrrpCodec.internetChecksum(big, 0, big.length)).isEqualTo(Bytes.referenceChecksum(big));
    }

    @Test
    void groupAddressesAreTheRfcOnes() {
        assertThat(VrrpCodec.IPV4_MULTICAST_GROUP.getHostAddress()).isEqualTo("224.0.0.18");
        assertThat(VrrpCodec.IPV6_MULTICAST_GROUP.getAddress()).isEqualTo(GROUP_IPV6);
        assertThat(VrrpCodec.IPV6_MULTICAST_GROUP.isMulticastAddress()).isTrue();
    }

    private int encode(int version, int vrid, int priority, int intervalCs, byte[] addresses, boolean ipv6,
            ChecksumForm form) {
        return VrrpCodec.encode(version, vrid, priority, intervalCs, 0, null, addresses, ipv6, form, null, null, out,
                0);
    }

    private static void assertRefused(Executable call) {
        assertThatThrownBy(call::execute).isInstanceOf(IllegalArgumentException.class);
    }
}
