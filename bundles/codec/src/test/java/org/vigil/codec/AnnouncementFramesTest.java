package org.vigil.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.vigil.codec.Vectors.*;

import org.junit.jupiter.api.Test;

/** The announcement frames equal keepalived 2.2.7's, byte for byte (lab.md section 7). */
class AnnouncementFramesTest {

    private final byte[] out = new byte[128];

    @Test
    void gratuitousArpMatchesKeepalived() {
        int n = AnnouncementFrames.gratuitousArp(R1_MAC, VIP_IPV4, out, 3);
        assertThat(n).isEqualTo(AnnouncementFrames.GRATUITOUS_ARP_FRAME_LENGTH);
        assertThat(Bytes.hex(out, 3, n)).isEqualTo(GARP_FRAME);
    }

    @Test
    void unsolicitedNeighborAdvertisementMatchesKeepalived() {
        int n = AnnouncementFrames.unsolicitedNeighborAdvertisement(R1_MAC, VIP_IPV6, VIP_IPV6,
                AnnouncementFrames.NA_FLAG_OVERRIDE, out, 0);
        assertThat(n).isEqualTo(AnnouncementFrames.NEIGHBOR_ADVERTISEMENT_FRAME_LENGTH);
        assertThat(Bytes.hex(out, 0, n)).isEqualTo(NA_FRAME);
    }

    @Test
    void routerFlagChangesTheChecksumConsistently() {
        int n = AnnouncementFrames.unsolicitedNeighborAdvertisement(VirtualMac.of(51, true), R1_LINK_LOCAL, VIP_IPV6,
                AnnouncementFrames.NA_FLAG_ROUTER | AnnouncementFrames.NA_FLAG_OVERRIDE, out, 0);
        int icmp = 14 + 40;
        assertThat(out[icmp + 4]).isEqualTo((byte) 0xA0);
        byte[] icmpBytes = java.util.Arrays.copyOfRange(out, icmp, n);
        int sent = ((icmpBytes[2] & 0xFF) << 8) | (icmpBytes[3] & 0xFF);
        icmpBytes[2] = 0;
        icmpBytes[3] = 0;
        byte[] pseudo = Bytes.concat(R1_LINK_LOCAL, Bytes.hex("ff020000000000000000000000000001"),
                Bytes.hex("000000200000003a"));
        assertThat(sent).isEqualTo(Bytes.referenceChecksum(Bytes.concat(pseudo, icmpBytes)));
    }

    @Test
    void wrongSizesAreRefused() {
        assertThatThrownBy(() -> AnnouncementFrames.gratuitousArp(R1_MAC, VIP_IPV6, out, 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AnnouncementFrames.gratuitousArp(R1_MAC, VIP_IPV4, out, 100))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AnnouncementFrames.unsolicitedNeighborAdvertisement(R1_MAC, VIP_IPV4, VIP_IPV6, 0,
                out, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AnnouncementFrames.unsolicitedNeighborAdvertisement(R1_MAC, VIP_IPV6, VIP_IPV6, 0x10,
                out, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
