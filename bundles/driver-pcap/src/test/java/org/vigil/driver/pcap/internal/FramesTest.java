package org.vigil.driver.pcap.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;
import org.vigil.codec.DecodeStatus;
import org.vigil.codec.VrrpCodec;

/** The frames pcap injects, against keepalived 2.2.7's frames on the wire (shared/reference/lab.md section 7). */
class FramesTest {

    private static final HexFormat HEX = HexFormat.of();
    /** r1's lan0 in the lab capture. */
    private static final byte[] R1_MAC = HEX.parseHex("322d98ffcaa8");
    private static final Inet4Address R1 = (Inet4Address) ip("192.0.2.11");
    private static final Inet4Address GROUP4 = (Inet4Address) ip("224.0.0.18");
    private static final Inet6Address R1_LL = (Inet6Address) ip("fe80::302d:98ff:feff:caa8");
    private static final Inet6Address GROUP6 = (Inet6Address) ip("ff02::12");

    @Test
    void ipv4VrrpFramesAreKeepalivedsByteForByte() {
        // Nothing to mask: same MAC, and the identification is the one keepalived counted to
        assertIpv4("01005e000012322d98ffcaa8080045c0002800010000ff701887c000020be00000122133960101010dc9c00002f96c61623531707700",
                "2133960101010dc9c00002f96c61623531707700", 1);
        assertIpv4("01005e000012322d98ffcaa8080045c0002800030000ff701885c000020be0000012213300010101a3c9c00002f96c61623531707700",
                "213300010101a3c9c00002f96c61623531707700", 3);
        assertIpv4("01005e000012322d98ffcaa8080045c0002000010000ff70188fc000020be000001231339601000ad32cc00002f9",
                "31339601000ad32cc00002f9", 1);
        assertIpv4("01005e000012322d98ffcaa8080045c00020002d0000ff701863c000020be00000123133000100" + "0a692dc00002f9",
                "31330001000a692dc00002f9", 0x2d);
    }

    private static void assertIpv4(String expectedFrame, String payloadHex, int identification) {
        byte[] payload = HEX.parseHex(payloadHex);
        byte[] frame = Frames.ipv4(R1_MAC, Frames.multicastMac(GROUP4), identification, 112, R1, GROUP4, payload, 0,
                payload.length);
        assertThat(HEX.formatHex(frame)).isEqualTo(expectedFrame);
        assertThat(Frames.checksum(frame, 14, 20, 0)).as("header checksum verifies").isZero();
    }

    @Test
    void ipv6VrrpFrameIsKeepalivedsWithTheChecksumFilledInAndTheFlowLabelMasked() {
        String expected = "333300000012322d98ffcaa886dd6c0b2bf5001870fffe80000000000000302d98fffeffcaa8"
                + "ff020000000000000000000000000012313396010064777120010db8000000000000000000000249";
        // The core may hand over the v3 advert with any checksum: the driver computes it, as IPV6_CHECKSUM does
        byte[] payload = HEX.parseHex("313396010064000020010db8000000000000000000000249");
        byte[] frame = Frames.ipv6(R1_MAC, Frames.multicastMac(GROUP6), 112, R1_LL, GROUP6, payload, 0, payload.length);

        byte[] want = HEX.parseHex(expected);
        // The flow label is kernel-random in keepalived's frame (lab.md section 7); ours is 0
        want[15] &= (byte) 0xf0;
        want[16] = 0;
        want[17] = 0;
        assertThat(HEX.formatHex(frame)).isEqualTo(HEX.formatHex(want));
        byte[] vrrp = Arrays.copyOfRange(frame, 54, frame.length);
        assertThat(VrrpCodec.decode(vrrp, 0, vrrp.length, true, R1_LL.getAddress(), GROUP6.getAddress(), 255, null))
                .isEqualTo(DecodeStatus.OK);
    }

    @Test
    void callerBuiltDatagramGetsItsHeaderChecksumAndKeepsTheRest() {
        // keepalived's AH advert with the header checksum zeroed, as the AH session hands it over
        String ah = "45c0004000010000ff330000c000020be000001270040000c000020b0000000132a0db072ff371c5c320ff6f"
                + "21339601020183d0c00002f90000000000000000";
        byte[] datagram = HEX.parseHex(ah);
        byte[] frame = Frames.ipv4Datagram(R1_MAC, Frames.multicastMac(GROUP4), datagram, 0, datagram.length, 99);
        assertThat(HEX.formatHex(frame)).isEqualTo("01005e000012322d98ffcaa80800"
                + "45c0004000010000ff3318acc000020be000001270040000c000020b0000000132a0db072ff371c5c320ff6f"
                + "21339601020183d0c00002f90000000000000000");

        // A zero identification is filled in, as the kernel does with IP_HDRINCL
        datagram[4] = 0;
        datagram[5] = 0;
        byte[] withId = Frames.ipv4Datagram(R1_MAC, Frames.BROADCAST_MAC, datagram, 0, datagram.length, 7);
        assertThat(Frames.getShort(withId, 18)).isEqualTo(7);
        assertThat(Frames.checksum(withId, 14, 20, 0)).isZero();

        assertThatThrownBy(() -> Frames.ipv4Datagram(R1_MAC, R1_MAC, datagram, 0, 30, 1))
                .isInstanceOf(IllegalArgumentException.class);
        byte[] notIpv4 = datagram.clone();
        notIpv4[0] = 0x60;
        assertThatThrownBy(() -> Frames.ipv4Datagram(R1_MAC, R1_MAC, notIpv4, 0, notIpv4.length, 1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void groupAndNeighbourMacs() {
        assertThat(HEX.formatHex(Frames.multicastMac(GROUP4))).isEqualTo("01005e000012");
        assertThat(HEX.formatHex(Frames.multicastMac(ip("239.129.2.3")))).isEqualTo("01005e010203");
        assertThat(HEX.formatHex(Frames.multicastMac(GROUP6))).isEqualTo("333300000012");
        assertThat(HEX.formatHex(Frames.solicitedNodeMac(ip("2001:db8::12:3456")))).isEqualTo("3333ff123456");
    }

    @Test
    void arpTableGivesCompleteEntriesOfTheInterfaceOnly() {
        String table = """
                IP address       HW type     Flags       HW address            Mask     Device
                192.0.2.2        0x1         0x2         02:00:5e:00:00:0b     *        lan0
                192.0.2.3        0x1         0x0         00:00:00:00:00:00     *        lan0
                192.0.2.4        0x1         0x2         02:00:5e:00:00:0c     *        lan1
                """;
        assertThat(Neighbours.arp(table, "lan0", ip("192.0.2.2"))).hasValueSatisfying(
                mac -> assertThat(HEX.formatHex(mac)).isEqualTo("02005e00000b"));
        assertThat(Neighbours.arp(table, "lan0", ip("192.0.2.3"))).as("incomplete").isEmpty();
        assertThat(Neighbours.arp(table, "lan0", ip("192.0.2.4"))).as("other interface").isEmpty();
        assertThat(Neighbours.unicastMac("lan0", ip("2001:db8::2"))).isEqualTo(Frames.solicitedNodeMac(ip("2001:db8::2")));
    }

    private static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException(literal, e);
        }
    }
}
