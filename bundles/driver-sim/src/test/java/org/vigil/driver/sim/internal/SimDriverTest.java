package org.vigil.driver.sim.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.lang.reflect.Proxy;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.vigil.api.driver.ChannelSpec;
import org.vigil.api.driver.LinkInfo;
import org.vigil.api.driver.PacketChannel;
import org.vigil.api.driver.PacketListener;
import org.vigil.api.driver.ReceivedPacket;
import org.vigil.api.vip.VirtualAddress;
import org.vigil.api.vrrp.IpFamily;
import org.vigil.driver.sim.SimFrame;
import org.vigil.driver.sim.SimLanEndpoint;
import org.vigil.driver.sim.TestLans;

class SimDriverTest {

    private static final Duration DEADLINE = Duration.ofSeconds(5);
    private static final int VRRP = 112;
    private static final int AH = 51;

    private final int lan = TestLans.next();
    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    @Test
    void multicastPacketArrivesAtTheOtherRouterWithTtl255AndItsAddresses() throws Exception {
        SimDriver r1 = router("r1", "lan0 192.0.2.11/24 fe80::11 02:00:00:00:00:11");
        SimDriver r2 = router("r2", "lan0 192.0.2.12/24 fe80::12");
        Inbox in1 = new Inbox();
        Inbox in2 = new Inbox();
        PacketChannel c1 = channel(r1, multicastV4(), in1);
        PacketChannel c2 = channel(r2, multicastV4(), in2);

        byte[] advert = { 0x21, 51, 100, 1, 0, 1, 0, 0 };
        c1.send(advert, 0, advert.length, ip("224.0.0.18"));

        await().atMost(DEADLINE).until(() -> in2.packets.size() == 1);
        ReceivedPacket p = in2.packets.get(0);
        assertThat(p.ttl()).isEqualTo(255);
        assertThat(p.source()).isEqualTo(ip("192.0.2.11"));
        assertThat(p.destination()).isEqualTo(ip("224.0.0.18"));
        assertThat(p.protocol()).isEqualTo(VRRP);
        assertThat(p.interfaceName()).isEqualTo("lan0");
        assertThat(payload(p)).containsExactly(advert);
        assertThat(c1.sourceAddress()).isEqualTo(ip("192.0.2.11"));

        // r2 answers; when r1 has the answer it would long have had its own packet looped back
        c2.send(advert, 0, advert.length, ip("224.0.0.18"));
        await().atMost(DEADLINE).until(() -> in1.packets.size() == 1);
        assertThat(in1.packets).extracting(ReceivedPacket::source).containsExactly(ip("192.0.2.12"));
    }

    @Test
    void ipv6PacketsGoFromTheLinkLocalAddressToTheGroup() throws Exception {
        SimDriver r1 = router("r1", "lan0 192.0.2.11/24 fe80::11");
        SimDriver r2 = router("r2", "lan0 192.0.2.12/24 fe80::12");
        Inbox in2v6 = new Inbox();
        Inbox in2v4 = new Inbox();
        ChannelSpec v6 = new ChannelSpec("lan0", IpFamily.IPV6, VRRP, ip("ff02::12"), List.of(), null);
        PacketChannel c1 = channel(r1, v6, new Inbox());
        channel(r2, v6, in2v6);
        channel(r2, multicastV4(), in2v4);

        c1.send(new byte[] { 0x31, 1 }, 0, 2, ip("ff02::12"));

        await().atMost(DEADLINE).until(() -> in2v6.packets.size() == 1);
        assertThat(in2v6.packets.get(0).source()).isEqualTo(ip("fe80::11"));
        assertThat(in2v6.packets.get(0).destination()).isEqualTo(ip("ff02::12"));
        assertThat(in2v6.packets.get(0).ttl()).isEqualTo(255);
        assertThat(in2v4.packets).as("an IPv4 channel hears no IPv6").isEmpty();
    }

    @Test
    void sendingAPartOfABufferSendsOnlyThatPart() throws Exception {
        SimDriver r1 = router("r1", "lan0 192.0.2.11/24");
        SimDriver r2 = router("r2", "lan0 192.0.2.12/24");
        Inbox in2 = new Inbox();
        PacketChannel c1 = channel(r1, multicastV4(), new Inbox());
        channel(r2, multicastV4(), in2);

        c1.send(new byte[] { 9, 9, 1, 2, 3, 9 }, 2, 3, ip("224.0.0.18"));

        await().atMost(DEADLINE).until(() -> in2.packets.size() == 1);
        assertThat(payload(in2.packets.get(0))).containsExactly(1, 2, 3);
    }

    @Test
    void unicastReachesOnlyTheAddressedRouter() throws Exception {
        SimDriver r1 = router("r1", "lan0 192.0.2.11/24");
        SimDriver r2 = router("r2", "lan0 192.0.2.12/24");
        SimDriver r3 = router("r3", "lan0 192.0.2.13/24");
        Inbox in2 = new Inbox();
        Inbox in3 = new Inbox();
        Inbox in3multicast = new Inbox();
        PacketChannel c1 = channel(r1, unicastV4(ip("192.0.2.12"), ip("192.0.2.13")), new Inbox());
        channel(r2, unicastV4(ip("192.0.2.11")), in2);
        channel(r3, unicastV4(ip("192.0.2.11")), in3);
        channel(r3, multicastV4(), in3multicast);

        c1.send(new byte[] { 1 }, 0, 1, ip("192.0.2.12"));
        await().atMost(DEADLINE).until(() -> in2.packets.size() == 1);
        assertThat(in2.packets.get(0).destination()).isEqualTo(ip("192.0.2.12"));

        // Then one for r3: when it arrives, r3 would already have had the first if it leaked
        c1.send(new byte[] { 2 }, 0, 1, ip("192.0.2.13"));
        await().atMost(DEADLINE).until(() -> in3.packets.size() == 1);
        assertThat(payload(in3.packets.get(0))).containsExactly(2);
        assertThat(in2.packets).hasSize(1);
        assertThat(in3multicast.packets).as("a multicast channel hears no unicast").isEmpty();
    }

    @Test
    void aChannelHearsOnlyItsProtocol() throws Exception {
        SimDriver r1 = router("r1", "lan0 192.0.2.11/24");
        SimDriver r2 = router("r2", "lan0 192.0.2.12/24");
        Inbox vrrp = new Inbox();
        Inbox ah = new Inbox();
        PacketChannel ah1 = channel(r1, new ChannelSpec("lan0", IpFamily.IPV4, AH, ip("224.0.0.18"), List.of(), null),
                new Inbox());
        PacketChannel vrrp1 = channel(r1, multicastV4(), new Inbox());
        channel(r2, multicastV4(), vrrp);
        channel(r2, new ChannelSpec("lan0", IpFamily.IPV4, AH, ip("224.0.0.18"), List.of(), null), ah);

        ah1.send(new byte[] { 51 }, 0, 1, ip("224.0.0.18"));
        vrrp1.send(new byte[] { (byte) VRRP }, 0, 1, ip("224.0.0.18"));

        await().atMost(DEADLINE).until(() -> vrrp.packets.size() == 1 && ah.packets.size() == 1);
        assertThat(vrrp.packets.get(0).protocol()).isEqualTo(VRRP);
        assertThat(ah.packets.get(0).protocol()).isEqualTo(AH);
    }

    @Test
    void theSpecsSourceAddressOverridesThePrimary() throws Exception {
        SimDriver r1 = router("r1", "lan0 192.0.2.11/24");
        SimDriver r2 = router("r2", "lan0 192.0.2.12/24");
        Inbox in2 = new Inbox();
        PacketChannel c1 = channel(r1,
                new ChannelSpec("lan0", IpFamily.IPV4, VRRP, null, List.of(ip("192.0.2.12")), ip("192.0.2.111")),
                new Inbox());
        channel(r2, unicastV4(ip("192.0.2.111")), in2);

        c1.send(new byte[] { 1 }, 0, 1, ip("192.0.2.12"));

        await().atMost(DEADLINE).until(() -> in2.packets.size() == 1);
        assertThat(c1.sourceAddress()).isEqualTo(ip("192.0.2.111"));
        assertThat(in2.packets.get(0).source()).isEqualTo(ip("192.0.2.111"));
    }

    @Test
    void pullingTheCableStopsDeliveryAndTellsWatchers() throws Exception {
        SimDriver r1 = router("r1", "lan0 192.0.2.11/24");
        // lan1 sits on the same hub and stays plugged: what it hears shows what reached r2
        SimDriver r2 = router("r2", "lan0 192.0.2.12/24", "lan1 192.0.2.22/24");
        Inbox in2 = new Inbox();
        Inbox witness = new Inbox();
        PacketChannel c1 = channel(r1, multicastV4(), new Inbox());
        PacketChannel c2 = channel(r2, multicastV4(), in2);
        channel(r2, new ChannelSpec("lan1", IpFamily.IPV4, VRRP, ip("224.0.0.18"), List.of(), null), witness);
        List<String> linkEvents = new CopyOnWriteArrayList<>();
        open.add(r2.watchLinks((name, up) -> linkEvents.add(name + (up ? " up" : " down"))));

        r2.setLinkUp("lan0", false);

        assertThat(linkEvents).containsExactly("lan0 down");
        assertThat(r2.link("lan0")).map(LinkInfo::up).contains(false);
        assertThat(r2.isLinkUp("lan0")).isFalse();
        assertThatThrownBy(() -> c2.send(new byte[] { 1 }, 0, 1, ip("224.0.0.18")))
                .isInstanceOf(IOException.class).hasMessageContaining("down");
        c1.send(new byte[] { 1 }, 0, 1, ip("224.0.0.18"));
        await().atMost(DEADLINE).until(() -> witness.packets.size() == 1);
        assertThat(in2.packets).isEmpty();

        r2.setLinkUp("lan0", false);
        assertThat(linkEvents).as("no event when nothing changes").hasSize(1);
        r2.setLinkUp("lan0", true);
        c1.send(new byte[] { 2 }, 0, 1, ip("224.0.0.18"));

        await().atMost(DEADLINE).until(() -> in2.packets.size() == 1);
        assertThat(payload(in2.packets.get(0))).containsExactly(2);
        assertThat(linkEvents).containsExactly("lan0 down", "lan0 up");
    }

    @Test
    void closedWatchersHearNothing() throws Exception {
        SimDriver r1 = router("r1", "lan0 192.0.2.11/24");
        List<String> events = new CopyOnWriteArrayList<>();
        AutoCloseable watch = r1.watchLinks((name, up) -> events.add(name));

        watch.close();
        r1.setLinkUp("lan0", false);

        assertThat(events).isEmpty();
        assertThatThrownBy(() -> r1.setLinkUp("eth9", false)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("eth9");
    }

    @Test
    void aClosedChannelNeitherSendsNorReceives() throws Exception {
        SimDriver r1 = router("r1", "lan0 192.0.2.11/24");
        SimDriver r2 = router("r2", "lan0 192.0.2.12/24");
        Inbox closedInbox = new Inbox();
        Inbox openInbox = new Inbox();
        PacketChannel c1 = channel(r1, multicastV4(), new Inbox());
        PacketChannel closing = channel(r2, multicastV4(), closedInbox);
        channel(r2, multicastV4(), openInbox);

        closing.close();
        c1.send(new byte[] { 1 }, 0, 1, ip("224.0.0.18"));

        await().atMost(DEADLINE).until(() -> openInbox.packets.size() == 1);
        assertThat(closedInbox.packets).isEmpty();
        assertThatThrownBy(() -> closing.send(new byte[] { 1 }, 0, 1, ip("224.0.0.18")))
                .isInstanceOf(IOException.class);
    }

    @Test
    void linkInfoComesFromTheConfigurationWithAStableDerivedMac() throws Exception {
        SimDriver r1 = router("r1", "lan0 192.0.2.11/24 fe80::11 02:00:00:00:00:11", "lan1 198.51.100.1/24");

        LinkInfo lan0 = r1.link("lan0").orElseThrow();
        assertThat(lan0.mac()).containsExactly(2, 0, 0, 0, 0, 0x11);
        assertThat(lan0.primaryIpv4()).isEqualTo(ip("192.0.2.11"));
        assertThat(lan0.linkLocalIpv6()).isEqualTo(ip("fe80::11"));
        assertThat(lan0.up()).isTrue();
        LinkInfo lan1 = r1.link("lan1").orElseThrow();
        assertThat(lan1.linkLocalIpv6()).isNull();
        assertThat(lan1.mac()[0]).as("locally administered unicast").isEqualTo((byte) 0x02);
        assertThat(lan1.mac()).isEqualTo(SimInterface.derivedMac("r1", "lan1"))
                .isNotEqualTo(SimInterface.derivedMac("r2", "lan1"));
        assertThat(lan1.index()).isEqualTo(lan0.index() + 1);
        assertThat(r1.link("eth0")).isEmpty();
        assertThat(r1.interfaces()).containsExactly("lan0", "lan1");
    }

    @Test
    void openingOnAMissingInterfaceOrFamilyFails() throws Exception {
        SimDriver r1 = router("r1", "lan0 192.0.2.11/24");

        assertThatThrownBy(() -> r1.open(new ChannelSpec("eth0", IpFamily.IPV4, VRRP, ip("224.0.0.18"), List.of(),
                null), p -> { })).isInstanceOf(IOException.class).hasMessageContaining("eth0");
        assertThatThrownBy(() -> r1.open(new ChannelSpec("lan0", IpFamily.IPV6, VRRP, ip("ff02::12"), List.of(),
                null), p -> { })).isInstanceOf(IOException.class).hasMessageContaining("IPv6");
    }

    @Test
    void badConfigurationIsRefusedWithTheReason() {
        assertThatThrownBy(() -> router("", "lan0 192.0.2.11/24")).hasMessageContaining("node");
        assertThatThrownBy(() -> router("r1", "lan0 192.0.2.11/24 bogus")).hasMessageContaining("bogus");
        assertThatThrownBy(() -> router("r1", "lan0 192.0.2.11/24", "lan0 192.0.2.12/24"))
                .hasMessageContaining("twice");
        assertThatThrownBy(() -> router("r1", "lan0 192.0.2.11/40")).hasMessageContaining("prefix");
        assertThatThrownBy(() -> router("r1", "lan0 192.0.2.311/24")).hasMessageContaining("192.0.2.311");
        assertThatThrownBy(() -> router("r1", "lan0 fe80::11 fe80::12")).hasMessageContaining("fe80::12");
    }

    @Test
    void acquiredAddressesAreHeldAndAnnouncedOnTheLan() throws Exception {
        List<SimFrame> seen = new CopyOnWriteArrayList<>();
        SimLanEndpoint observer = SimLanEndpoint.open(lan, 8, seen::add);
        open.add(observer);
        SimDriver r1 = router("r1", "lan0 192.0.2.11/24 fe80::11 02:00:00:00:00:11");
        VirtualAddress vip4 = new VirtualAddress(ip("192.0.2.249"), 24, "lan0", null, null, null, false);
        VirtualAddress vip6 = new VirtualAddress(ip("2001:db8::249"), 64, "lan0", null, null, null, false);

        r1.acquire("VI_1", List.of(vip4, vip6));

        assertThat(r1.held("VI_1")).containsExactlyInAnyOrder(vip4, vip6);
        assertThat(r1.heldAddresses()).containsEntry("VI_1", new java.util.LinkedHashSet<>(
                List.of("192.0.2.249/24", "2001:db8:0:0:0:0:0:249/64")));
        await().atMost(DEADLINE).until(() -> seen.size() == 2);
        SimFrame garp = seen.get(0);
        assertThat(garp.kind()).isEqualTo(SimFrame.Kind.VIP_ANNOUNCEMENT);
        assertThat(garp.source()).isEqualTo(ip("192.0.2.249"));
        assertThat(garp.destination()).isEqualTo(ip("192.0.2.249"));
        assertThat(garp.senderNode()).isEqualTo("r1");
        assertThat(garp.senderMacText()).isEqualTo("02:00:00:00:00:11");
        assertThat(seen.get(1).source()).isEqualTo(ip("2001:db8::249"));

        r1.release("VI_1", List.of(vip4));
        assertThat(r1.held("VI_1")).containsExactly(vip6);
        r1.release("VI_1", List.of(vip6, vip4));
        assertThat(r1.held("VI_1")).isEmpty();
        assertThat(r1.heldAddresses()).isEmpty();
        assertThat(r1.held("VI_2")).isEmpty();
    }

    @Test
    void aSentEthernetFrameReachesAnObserverWhole() throws Exception {
        List<SimFrame> seen = new CopyOnWriteArrayList<>();
        SimLanEndpoint observer = SimLanEndpoint.open(lan, 8, seen::add);
        open.add(observer);
        SimDriver r1 = router("r1", "lan0 192.0.2.11/24 fe80::11 02:00:00:00:00:11");
        byte[] garp = java.util.HexFormat.of()
                .parseHex("00ffffffffffff02000000001108060001080006040001020000000011c00002f9ffffffffffffc00002f9");

        r1.sendFrame("lan0", garp, 1, garp.length - 1);

        await().atMost(DEADLINE).until(() -> !seen.isEmpty());
        SimFrame frame = seen.get(0);
        assertThat(frame.kind()).isEqualTo(SimFrame.Kind.ETHERNET_FRAME);
        assertThat(frame.payload()).isEqualTo(java.util.Arrays.copyOfRange(garp, 1, garp.length));
        assertThat(frame.senderMacText()).isEqualTo("02:00:00:00:00:11");
        assertThatThrownBy(() -> r1.sendFrame("lan9", garp, 0, garp.length)).isInstanceOf(IOException.class);
    }

    @Test
    void aScheduleWithoutFramesAnnouncesNothingAndAnnounceRepeatsTheHeldAddresses() throws Exception {
        List<SimFrame> seen = new CopyOnWriteArrayList<>();
        SimLanEndpoint observer = SimLanEndpoint.open(lan, 8, seen::add);
        open.add(observer);
        SimDriver r1 = router("r1", "lan0 192.0.2.11/24");
        VirtualAddress vip4 = new VirtualAddress(ip("192.0.2.249"), 24, "lan0", null, null, null, false);

        r1.acquire("VI_1", List.of(vip4), List.of(), org.vigil.api.vip.AnnouncePolicy.NONE);
        assertThat(r1.held("VI_1")).containsExactly(vip4);
        r1.announce("VI_1", org.vigil.api.vip.AnnouncePolicy.DEFAULT);

        await().atMost(DEADLINE).until(() -> !seen.isEmpty());
        assertThat(seen).singleElement().extracting(SimFrame::kind).isEqualTo(SimFrame.Kind.VIP_ANNOUNCEMENT);
    }

    @Test
    void announcementsAreNotIPacketsForChannels() throws Exception {
        SimDriver r1 = router("r1", "lan0 192.0.2.11/24");
        SimDriver r2 = router("r2", "lan0 192.0.2.12/24");
        Inbox in2 = new Inbox();
        channel(r2, unicastV4(ip("192.0.2.11")), in2);
        channel(r2, multicastV4(), in2);
        PacketChannel c1 = channel(r1, multicastV4(), new Inbox());

        // An announcement for r2's own address must not look like a packet to r2
        r1.acquire("VI_1", List.of(new VirtualAddress(ip("192.0.2.12"), 24, "lan0", null, null, null, false)));
        c1.send(new byte[] { 7 }, 0, 1, ip("224.0.0.18"));

        await().atMost(DEADLINE).until(() -> in2.packets.size() == 1);
        assertThat(payload(in2.packets.get(0))).containsExactly(7);
    }

    @Test
    void garbageOnTheDriversPortIsIgnored() throws Exception {
        SimDriver r1 = router("r1", "lan0 192.0.2.11/24");
        SimDriver r2 = router("r2", "lan0 192.0.2.12/24");
        Inbox in2 = new Inbox();
        PacketChannel c1 = channel(r1, multicastV4(), new Inbox());
        channel(r2, multicastV4(), in2);

        try (var stray = new java.net.DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            byte[] junk = new byte[] { 'V', 'G', 'S', 'L', 1, 1, 4, 112, (byte) 255 };
            stray.send(new java.net.DatagramPacket(junk, junk.length, InetAddress.getLoopbackAddress(),
                    r2.localPort()));
        }
        c1.send(new byte[] { 5 }, 0, 1, ip("224.0.0.18"));

        await().atMost(DEADLINE).until(() -> in2.packets.size() == 1);
        assertThat(payload(in2.packets.get(0))).containsExactly(5);
    }

    @Test
    void changedConfigurationAppliesLiveAndMovingTheLanKeepsChannels() throws Exception {
        SimDriver r1 = router("r1", "lan0 192.0.2.11/24");
        SimDriver r2 = router("r2", "lan0 192.0.2.12/24");
        Inbox in2 = new Inbox();
        PacketChannel c1 = channel(r1, multicastV4(), new Inbox());
        channel(r2, multicastV4(), in2);
        List<String> events = new CopyOnWriteArrayList<>();
        open.add(r1.watchLinks((name, up) -> events.add(name + (up ? " up" : " down"))));

        int otherLan = TestLans.next();
        r1.modified(config("r1", otherLan, "lan1 192.0.2.11/24", "lan0 192.0.2.11/24"));
        r2.modified(config("r2", otherLan, "lan0 192.0.2.12/24"));
        c1.send(new byte[] { 3 }, 0, 1, ip("224.0.0.18"));

        await().atMost(DEADLINE).until(() -> in2.packets.size() == 1);
        assertThat(r1.lanPort()).isEqualTo(otherLan);
        assertThat(events).containsExactly("lan1 up");
        assertThat(r1.interfaces()).containsExactly("lan1", "lan0");

        r1.modified(config("r1", otherLan, "lan1 192.0.2.11/24"));
        assertThat(events).containsExactly("lan1 up", "lan0 down");
        assertThatThrownBy(() -> c1.send(new byte[] { 3 }, 0, 1, ip("224.0.0.18"))).isInstanceOf(IOException.class);
    }

    // ---- helpers

    private SimDriver router(String node, String... interfaces) throws IOException {
        SimDriver d = new SimDriver(config(node, lan, interfaces));
        open.add(d::deactivate);
        return d;
    }

    private PacketChannel channel(SimDriver driver, ChannelSpec spec, PacketListener listener) throws IOException {
        PacketChannel c = driver.open(spec, listener);
        open.add(c);
        return c;
    }

    private static SimDriver.Config config(String node, int lanPort, String... interfaces) {
        Map<String, Object> values = new HashMap<>();
        values.put("lan_port", lanPort);
        values.put("lan_slots", 8);
        values.put("node", node);
        values.put("interfaces", interfaces);
        return configOf(values);
    }

    /** A Config as DS would build it: given values, else the annotation's defaults. */
    static SimDriver.Config configOf(Map<String, Object> values) {
        return (SimDriver.Config) Proxy.newProxyInstance(SimDriver.Config.class.getClassLoader(),
                new Class<?>[] { SimDriver.Config.class }, (proxy, method, args) -> {
                    if (values.containsKey(method.getName())) {
                        return values.get(method.getName());
                    }
                    if (method.getDefaultValue() != null) {
                        return method.getDefaultValue();
                    }
                    return switch (method.getName()) {
                        case "annotationType" -> SimDriver.Config.class;
                        case "toString" -> "Config" + values;
                        case "hashCode" -> values.hashCode();
                        case "equals" -> proxy == args[0];
                        default -> null;
                    };
                });
    }

    private static ChannelSpec multicastV4() throws IOException {
        return new ChannelSpec("lan0", IpFamily.IPV4, VRRP, ip("224.0.0.18"), List.of(), null);
    }

    private static ChannelSpec unicastV4(InetAddress... peers) {
        return new ChannelSpec("lan0", IpFamily.IPV4, VRRP, null, List.of(peers), null);
    }

    private static InetAddress ip(String literal) throws IOException {
        return InetAddress.getByName(literal);
    }

    private static byte[] payload(ReceivedPacket p) {
        return java.util.Arrays.copyOfRange(p.data(), p.offset(), p.offset() + p.length());
    }

    static final class Inbox implements PacketListener {
        final List<ReceivedPacket> packets = new CopyOnWriteArrayList<>();

        @Override
        public void received(ReceivedPacket packet) {
            packets.add(packet);
        }
    }
}
