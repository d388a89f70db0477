package org.vigil.driver.sim.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.vigil.api.driver.ChannelSpec;
import org.vigil.api.driver.PacketChannel;
import org.vigil.api.driver.ReceivedPacket;
import org.vigil.api.vrrp.IpFamily;
import org.vigil.driver.sim.SimFrame;
import org.vigil.driver.sim.TestLans;

/** Caller-built IPv4 datagrams (IP_HDRINCL, the AH path) and the IPv4 header on receive. */
class SimDriverDatagramTest {
    private static final Duration DEADLINE = Duration.ofSeconds(5);
    private static final int AH = 51;
    /** keepalived 2.2.7's AH advert from 192.0.2.11 (lab.md section 7), its checksum zeroed as handed to the kernel. */
    private static final byte[] KEEPALIVED_AH = HexFormat.of().parseHex("45c0004000010000ff330000c000020be0000012"
            + "70040000c000020b0000000132a0db072ff371c5c320ff6f21339601020183d0c00002f90000000000000000");

    private final int lan = TestLans.next();
    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    private SimDriver router(String node, String iface) throws IOException {
        Map<String, Object> values = new HashMap<>();
        values.put("lan_port", lan);
        values.put("lan_slots", 8);
        values.put("node", node);
        values.put("interfaces", new String[] { iface });
        SimDriver d = new SimDriver(SimDriverTest.configOf(values));
        open.add(d::deactivate);
        return d;
    }

    private PacketChannel channel(SimDriver d, ChannelSpec spec, SimDriverTest.Inbox inbox) throws IOException {
        PacketChannel c = d.open(spec, inbox);
        open.add(c::close);
        return c;
    }

    private static ChannelSpec spec(int protocol, String group) throws IOException {
        return new ChannelSpec("lan0", IpFamily.IPV4, protocol, group == null ? null : InetAddress.getByName(group),
                group == null ? List.of(InetAddress.getByName("192.0.2.12")) : List.of(), null);
    }

    @Test
    void anAhDatagramArrivesAsARawSocketDeliversIt() throws Exception {
        SimDriver r1 = router("r1", "lan0 192.0.2.11/24");
        SimDriver r2 = router("r2", "lan0 192.0.2.12/24");
        SimDriverTest.Inbox at1 = new SimDriverTest.Inbox();
        SimDriverTest.Inbox ah2 = new SimDriverTest.Inbox();
        SimDriverTest.Inbox vrrp2 = new SimDriverTest.Inbox();
        PacketChannel c1 = channel(r1, spec(AH, "224.0.0.18"), at1);
        PacketChannel c2 = channel(r2, spec(AH, "224.0.0.18"), ah2);
        channel(r2, spec(112, "224.0.0.18"), vrrp2);
        PacketChannel plain1 = channel(r1, spec(112, "224.0.0.18"), new SimDriverTest.Inbox());

        byte[] buf = new byte[KEEPALIVED_AH.length + 10];
        System.arraycopy(KEEPALIVED_AH, 0, buf, 5, KEEPALIVED_AH.length);
        c1.sendDatagram(buf, 5, KEEPALIVED_AH.length);

        await().atMost(DEADLINE).until(() -> ah2.packets.size() == 1);
        ReceivedPacket p = ah2.packets.get(0);
        assertThat(p.protocol()).isEqualTo(AH);
        assertThat(p.ttl()).isEqualTo(255);
        assertThat(p.source()).isEqualTo(InetAddress.getByName("192.0.2.11"));
        assertThat(p.destination()).isEqualTo(InetAddress.getByName("224.0.0.18"));
        // the header as built, with the checksum the kernel would have filled in (the lab capture's)
        byte[] expectedHeader = Arrays.copyOf(KEEPALIVED_AH, 20);
        expectedHeader[10] = 0x18;
        expectedHeader[11] = (byte) 0xac;
        assertThat(p.ipHeader()).containsExactly(expectedHeader);
        assertThat(Arrays.copyOfRange(p.data(), p.offset(), p.offset() + p.length()))
                .containsExactly(Arrays.copyOfRange(KEEPALIVED_AH, 20, KEEPALIVED_AH.length));
        assertThat(buf[5 + 10]).as("the caller's buffer is left alone").isZero();
        // a protocol-112 channel does not hear protocol 51: it hears the plain packet sent after it only
        byte[] plain = HexFormat.of().parseHex("2133960101010dc9c00002f96c61623531707700");
        plain1.send(plain, 0, plain.length, InetAddress.getByName("224.0.0.18"));
        await().atMost(DEADLINE).until(() -> !vrrp2.packets.isEmpty());
        assertThat(vrrp2.packets).extracting(ReceivedPacket::protocol).containsExactly(112);
        // and the sender does not hear itself: the first thing r1 hears is r2's answer
        byte[] answer = KEEPALIVED_AH.clone();
        System.arraycopy(InetAddress.getByName("192.0.2.12").getAddress(), 0, answer, 12, 4);
        c2.sendDatagram(answer, 0, answer.length);
        await().atMost(DEADLINE).until(() -> !at1.packets.isEmpty());
        assertThat(at1.packets).extracting(ReceivedPacket::source).containsExactly(InetAddress.getByName("192.0.2.12"));
    }

    @Test
    void aPlainPacketComesWithTheHeaderTheKernelWouldHaveBuilt() throws Exception {
        SimDriver r1 = router("r1", "lan0 192.0.2.11/24");
        SimDriver r2 = router("r2", "lan0 192.0.2.12/24");
        SimDriverTest.Inbox in2 = new SimDriverTest.Inbox();
        PacketChannel c1 = channel(r1, spec(112, "224.0.0.18"), new SimDriverTest.Inbox());
        channel(r2, spec(112, "224.0.0.18"), in2);
        byte[] advert = HexFormat.of().parseHex("2133960101010dc9c00002f96c61623531707700");

        c1.send(advert, 0, advert.length, InetAddress.getByName("224.0.0.18"));

        await().atMost(DEADLINE).until(() -> in2.packets.size() == 1);
        // the lab's v2 PASS frame, IP ID 0 where keepalived had 1 (which moves the checksum by one)
        assertThat(HexFormat.of().formatHex(in2.packets.get(0).ipHeader()))
                .isEqualTo("45c0002800000000ff701888c000020be0000012");
    }

    @Test
    void aUnicastDatagramReachesThePeerOnly() throws Exception {
        SimDriver r1 = router("r1", "lan0 192.0.2.11/24");
        SimDriver r2 = router("r2", "lan0 192.0.2.12/24");
        SimDriver r3 = router("r3", "lan0 192.0.2.13/24");
        SimDriverTest.Inbox in2 = new SimDriverTest.Inbox();
        SimDriverTest.Inbox in3 = new SimDriverTest.Inbox();
        PacketChannel c1 = channel(r1, spec(AH, null), new SimDriverTest.Inbox());
        channel(r2, spec(AH, null), in2);
        channel(r3, new ChannelSpec("lan0", IpFamily.IPV4, AH, null, List.of(InetAddress.getByName("192.0.2.11")),
                null), in3);
        byte[] d = KEEPALIVED_AH.clone();
        System.arraycopy(InetAddress.getByName("192.0.2.12").getAddress(), 0, d, 16, 4);

        c1.sendDatagram(d, 0, d.length);

        await().atMost(DEADLINE).until(() -> in2.packets.size() == 1);
        assertThat(in2.packets.get(0).destination()).isEqualTo(InetAddress.getByName("192.0.2.12"));
        // r3 hears only what is addressed to it: the next datagram, not the one to r2
        System.arraycopy(InetAddress.getByName("192.0.2.13").getAddress(), 0, d, 16, 4);
        c1.sendDatagram(d, 0, d.length);
        await().atMost(DEADLINE).until(() -> !in3.packets.isEmpty());
        assertThat(in3.packets).extracting(ReceivedPacket::destination)
                .containsExactly(InetAddress.getByName("192.0.2.13"));
    }

    @Test
    void malformedDatagramsAndIpv6ChannelsAreRefused() throws Exception {
        SimDriver r1 = router("r1", "lan0 192.0.2.11/24 fe80::11");
        PacketChannel v4 = channel(r1, spec(AH, "224.0.0.18"), new SimDriverTest.Inbox());
        PacketChannel v6 = channel(r1, new ChannelSpec("lan0", IpFamily.IPV6, 112, InetAddress.getByName("ff02::12"),
                List.of(), null), new SimDriverTest.Inbox());

        assertThatThrownBy(() -> v4.sendDatagram(KEEPALIVED_AH, 0, 40)).isInstanceOf(IOException.class)
                .hasMessageContaining("total length 64 but 40 bytes");
        byte[] v6bytes = KEEPALIVED_AH.clone();
        v6bytes[0] = 0x65;
        assertThatThrownBy(() -> v4.sendDatagram(v6bytes, 0, v6bytes.length)).isInstanceOf(IOException.class)
                .hasMessageContaining("not an IPv4 datagram");
        assertThatThrownBy(() -> v6.sendDatagram(KEEPALIVED_AH, 0, KEEPALIVED_AH.length))
                .isInstanceOf(IOException.class).hasMessageContaining("IPv4 only");
        r1.setLinkUp("lan0", false);
        assertThatThrownBy(() -> v4.sendDatagram(KEEPALIVED_AH, 0, KEEPALIVED_AH.length))
                .isInstanceOf(IOException.class).hasMessageContaining("Network is down");
    }

    @Test
    void aDatagramFrameSurvivesEncodingAndAGarbledOneIsNoFrame() {
        SimFrame f = SimFrame.datagram(KEEPALIVED_AH, new byte[6], "r1");
        SimFrame back = SimFrame.decode(f.encode()).orElseThrow();
        assertThat(back).isEqualTo(f);
        assertThat(back.kind()).isEqualTo(SimFrame.Kind.IP_DATAGRAM);
        assertThat(back.protocol()).isEqualTo(AH);
        assertThat(back.ttl()).isEqualTo(255);
        assertThat(back.ipv4Header()).containsExactly(Arrays.copyOf(KEEPALIVED_AH, 20));
        assertThat(back.ipPayload()).hasSize(44);

        byte[] bytes = f.encode();
        int payloadStart = bytes.length - KEEPALIVED_AH.length;
        bytes[payloadStart] = 0x42; // IHL 2: shorter than any IPv4 header
        assertThat(SimFrame.decode(bytes)).isEmpty();
    }
}
