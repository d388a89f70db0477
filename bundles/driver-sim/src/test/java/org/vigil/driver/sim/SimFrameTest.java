package org.vigil.driver.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.api.Test;

class SimFrameTest {

    private static final byte[] MAC = { 0x02, 0, 0, 0, 0, 0x11 };

    @Test
    void ipv4PacketSurvivesEncodeAndDecode() throws Exception {
        SimFrame frame = SimFrame.packet(112, 255, InetAddress.getByName("192.0.2.11"),
                InetAddress.getByName("224.0.0.18"), MAC, "r1", new byte[] { 0x21, 51, 100, 1 });

        SimFrame back = SimFrame.decode(frame.encode()).orElseThrow();

        assertThat(back).isEqualTo(frame);
        assertThat(back.kind()).isEqualTo(SimFrame.Kind.IP_PACKET);
        assertThat(back.ipVersion()).isEqualTo(4);
        assertThat(back.ttl()).isEqualTo(255);
        assertThat(back.protocol()).isEqualTo(112);
        assertThat(back.senderNode()).isEqualTo("r1");
        assertThat(back.senderMacText()).isEqualTo("02:00:00:00:00:11");
        assertThat(back.payload()).containsExactly(0x21, 51, 100, 1);
    }

    @Test
    void ipv6PacketSurvivesEncodeAndDecode() throws Exception {
        SimFrame frame = SimFrame.packet(112, 255, InetAddress.getByName("fe80::11"),
                InetAddress.getByName("ff02::12"), MAC, "router-ä", new byte[40]);

        SimFrame back = SimFrame.decode(frame.encode()).orElseThrow();

        assertThat(back).isEqualTo(frame);
        assertThat(back.ipVersion()).isEqualTo(6);
        assertThat(back.destination().getHostAddress()).isEqualTo("ff02:0:0:0:0:0:0:12");
        assertThat(back.senderNode()).isEqualTo("router-ä");
    }

    @Test
    void vipAnnouncementCarriesTheAddressAsSourceAndDestination() throws Exception {
        InetAddress vip = InetAddress.getByName("192.0.2.249");
        SimFrame back = SimFrame.decode(SimFrame.vipAnnouncement(vip, MAC, "r2").encode()).orElseThrow();

        assertThat(back.kind()).isEqualTo(SimFrame.Kind.VIP_ANNOUNCEMENT);
        assertThat(back.source()).isEqualTo(vip);
        assertThat(back.destination()).isEqualTo(vip);
        assertThat(back.payloadLength()).isZero();
    }

    @Test
    void anEthernetFrameIsCarriedAsThePayload() {
        byte[] ethernet = { (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 2, 0, 0, 0,
                0, 0x11, 0x08, 0x06 };
        byte[] wire = SimFrame.ethernet(ethernet, MAC, "r1").encode();
        assertThat(wire[5]).isEqualTo((byte) 3);
        SimFrame back = SimFrame.decode(wire).orElseThrow();

        assertThat(back.kind()).isEqualTo(SimFrame.Kind.ETHERNET_FRAME);
        assertThat(back.payload()).isEqualTo(ethernet);
        assertThat(back.senderNode()).isEqualTo("r1");
    }

    @Test
    void kindsOneAndTwoKeepTheirWireCodes() throws Exception {
        InetAddress vip = InetAddress.getByName("192.0.2.249");
        assertThat(SimFrame.vipAnnouncement(vip, MAC, "r2").encode()[5]).isEqualTo((byte) 2);
        assertThat(SimFrame.packet(112, 255, vip, vip, MAC, "r1", new byte[0]).encode()[5]).isEqualTo((byte) 1);
    }

    @Test
    void decodeOfAnythingButOneExactFrameIsEmpty() throws Exception {
        byte[] good = SimFrame.packet(112, 255, InetAddress.getByName("192.0.2.11"),
                InetAddress.getByName("224.0.0.18"), MAC, "r1", new byte[] { 1, 2, 3 }).encode();

        assertThat(SimFrame.decode(new byte[0])).isEmpty();
        assertThat(SimFrame.decode(null)).isEmpty();
        assertThat(SimFrame.decode("hello, world".getBytes())).isEmpty();
        assertThat(SimFrame.decode(Arrays.copyOf(good, good.length - 1))).as("truncated").isEmpty();
        assertThat(SimFrame.decode(Arrays.copyOf(good, good.length + 1))).as("trailing byte").isEmpty();
        assertThat(SimFrame.decode(with(good, 0, 0x58))).as("magic").isEmpty();
        assertThat(SimFrame.decode(with(good, 4, 2))).as("format version").isEmpty();
        assertThat(SimFrame.decode(with(good, 5, 9))).as("kind").isEmpty();
        assertThat(SimFrame.decode(with(good, 6, 5))).as("family").isEmpty();
        assertThat(SimFrame.decode(with(good, 6, 6))).as("family 6 with IPv4-sized addresses").isEmpty();
        assertThat(SimFrame.decode(with(good, 15, 200))).as("node length").isEmpty();
        assertThat(SimFrame.decode(good, 1, good.length)).as("range beyond the array").isEmpty();
        assertThat(SimFrame.decode(good)).isPresent();
    }

    @Test
    void decodeNeverThrowsOnRandomBytes() {
        Random random = new Random(42);
        for (int i = 0; i < 20_000; i++) {
            byte[] junk = new byte[random.nextInt(120)];
            random.nextBytes(junk);
            if (junk.length >= 5 && random.nextBoolean()) {
                // Give the junk a valid magic and version so that decode looks further in
                junk[0] = 0x56;
                junk[1] = 0x47;
                junk[2] = 0x53;
                junk[3] = 0x4C;
                junk[4] = 1;
            }
            SimFrame.decode(junk);
        }
    }

    @Test
    void refusesMixedFamiliesAndBadFields() throws Exception {
        InetAddress v4 = InetAddress.getByName("192.0.2.11");
        InetAddress v6 = InetAddress.getByName("fe80::11");
        assertThatThrownBy(() -> SimFrame.packet(112, 255, v4, v6, MAC, "r1", new byte[0]))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SimFrame.packet(112, 256, v4, v4, MAC, "r1", new byte[0]))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SimFrame.packet(112, 255, v4, v4, new byte[5], "r1", new byte[0]))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SimFrame.packet(112, 255, v4, v4, MAC, "x".repeat(65), new byte[0]))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static byte[] with(byte[] data, int index, int value) {
        byte[] copy = data.clone();
        copy[index] = (byte) value;
        return copy;
    }
}
