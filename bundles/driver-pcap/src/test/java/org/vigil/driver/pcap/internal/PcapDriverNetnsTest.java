package org.vigil.driver.pcap.internal;

import org.vigil.testing.netns.NamespaceThread;

import org.vigil.testing.netns.NetnsLab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.vigil.api.driver.ChannelSpec;
import org.vigil.api.driver.InterfaceDriver;
import org.vigil.api.driver.LinkInfo;
import org.vigil.api.driver.PacketChannel;
import org.vigil.api.driver.ReceivedPacket;
import org.vigil.api.vrrp.IpFamily;
import org.vigil.codec.DecodeStatus;
import org.vigil.codec.VrrpCodec;
import org.vigil.driver.linux.internal.LinuxDriver;

/**
 * The pcap driver on a real (namespaced) LAN against the Linux driver: router a runs the pcap
 * driver, router b the raw-socket one, each used from a thread inside its router's namespace.
 * What one sends the other must take as the kernel's own. Needs root; skipped without it,
 * failed under CI=true.
 */
class PcapDriverNetnsTest {

    private static final Duration DEADLINE = Duration.ofSeconds(5);
    private static final int VRRP = 112;
    private static final InetAddress GROUP4 = ip("224.0.0.18");
    private static final InetAddress GROUP6 = ip("ff02::12");
    private static final InetAddress A4 = ip("192.0.2.1");
    private static final InetAddress B4 = ip("192.0.2.2");
    private static final InetAddress B6 = ip("2001:db8::2");
    private static final InetAddress A6 = ip("2001:db8::1");
    /** From the MACs below (EUI-64): what the kernel gives lan0 as link-local address. */
    private static final InetAddress A_LL = ip("fe80::5eff:fe00:a");
    private static final InetAddress B_LL = ip("fe80::5eff:fe00:b");
    private static final String A_MAC = "02:00:5e:00:00:0a";
    private static final String B_MAC = "02:00:5e:00:00:0b";
    /** VRRPv2 advert, VRID 51, priority 100, 192.0.2.100, valid checksum. */
    private static final byte[] ADVERT_V2 = HexFormat.of().parseHex("213364010001b865c00002640000000000000000");
    /** VRRPv3 advert, VRID 51, priority 150, 2001:db8::249, checksum left 0 for the sender to fill. */
    private static final byte[] ADVERT_V3 = HexFormat.of()
            .parseHex("313396010064000020010db8000000000000000000000249");

    private static NetnsLab lab;
    private static NamespaceThread inA;
    private static NamespaceThread inB;
    private static PcapDriver pcapA;
    private static InterfaceDriver linuxB;

    private final List<AutoCloseable> open = new ArrayList<>();

    @BeforeAll
    static void buildLab() throws Exception {
        NetnsLab.requireRootAndIp("the pcap driver tests");
        lab = new NetnsLab("drvpcap");
        lab.createSwitch();
        // A second IPv4 address, which the kernel makes secondary: it must not become the primary
        lab.addHost("a", A_MAC, "192.0.2.1/24", "192.0.2.200/24", "2001:db8::1/64");
        lab.addHost("b", B_MAC, "192.0.2.2/24", "2001:db8::2/64");
        inA = new NamespaceThread(lab.ns("a"));
        inB = new NamespaceThread(lab.ns("b"));
        pcapA = inA.call(PcapDriver::new);
        linuxB = inB.call(LinuxDriver::new);
        // The link-local address appears once both ends of the veth have carrier
        await().atMost(DEADLINE).until(() -> inA.call(() -> pcapA.link("lan0").map(LinkInfo::linkLocalIpv6).isPresent())
                && inB.call(() -> linuxB.link("lan0").map(LinkInfo::linkLocalIpv6).isPresent()));
    }

    @AfterAll
    static void tearDownLab() {
        if (pcapA != null) {
            pcapA.deactivate();
        }
        if (inA != null) {
            inA.close();
        }
        if (inB != null) {
            inB.close();
        }
        if (lab != null) {
            lab.close();
        }
    }

    @AfterEach
    void closeChannels() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    @Test
    void ipv4MulticastBothWaysBetweenPcapAndTheKernel() throws Exception {
        Inbox atA = new Inbox();
        Inbox unicastAtA = new Inbox();
        Inbox atB = new Inbox();
        PacketChannel a = open(inA, pcapA, multicast(IpFamily.IPV4, GROUP4), atA);
        open(inA, pcapA, unicast(IpFamily.IPV4, B4), unicastAtA);
        PacketChannel b = open(inB, linuxB, multicast(IpFamily.IPV4, GROUP4), atB);
        assertThat(a.sourceAddress()).as("the primary address, not the secondary").isEqualTo(A4);

        a.send(ADVERT_V2, 0, ADVERT_V2.length, GROUP4);

        ReceivedPacket p = atB.next();
        assertThat(p.source()).isEqualTo(A4);
        assertThat(p.destination()).isEqualTo(GROUP4);
        assertThat(p.ttl()).isEqualTo(255);
        assertThat(p.protocol()).isEqualTo(VRRP);
        assertThat(payload(p)).isEqualTo(ADVERT_V2);
        byte[] h = p.ipHeader();
        assertThat(h).hasSize(20);
        assertThat(h[1] & 0xff).as("TOS").isEqualTo(0xc0);
        assertThat(h[6] & 0x40).as("DF clear").isZero();
        assertThat(Frames.getShort(h, 4)).as("IP ID counts from 1").isEqualTo(1);
        assertThat(VrrpCodec.internetChecksum(h, 0, 20)).as("header checksum").isZero();
        assertThat(decode(p, false)).isEqualTo(DecodeStatus.OK);

        b.send(ADVERT_V2, 0, ADVERT_V2.length, GROUP4);
        ReceivedPacket back = atA.next();
        assertThat(back.source()).as("a never hears its own advert").isEqualTo(B4);
        assertThat(back.destination()).isEqualTo(GROUP4);
        assertThat(back.ttl()).isEqualTo(255);
        assertThat(back.interfaceName()).isEqualTo("lan0");
        assertThat(back.ipHeader()).hasSize(20);
        assertThat(back.ipHeader()[1] & 0xff).isEqualTo(0xc0);
        assertThat(payload(back)).isEqualTo(ADVERT_V2);
        assertThat(decode(back, false)).isEqualTo(DecodeStatus.OK);

        // The unicast channel heard neither group packet: the first it hears is unicast to a
        PacketChannel bUnicast = open(inB, linuxB, unicast(IpFamily.IPV4, A4), new Inbox());
        bUnicast.send(ADVERT_V2, 0, ADVERT_V2.length, A4);
        ReceivedPacket u = unicastAtA.next();
        assertThat(u.source()).isEqualTo(B4);
        assertThat(u.destination()).isEqualTo(A4);
        assertThat(atA.poll()).as("the multicast channel does not hear unicast").isNull();
    }

    @Test
    void ipv6MulticastBothWaysWithHopLimit255AndChecksums() throws Exception {
        Inbox atA = new Inbox();
        Inbox atB = new Inbox();
        PacketChannel a = open(inA, pcapA, multicast(IpFamily.IPV6, GROUP6), atA);
        PacketChannel b = open(inB, linuxB, multicast(IpFamily.IPV6, GROUP6), atB);
        assertThat(a.sourceAddress()).isEqualTo(A_LL);

        a.send(ADVERT_V3, 0, ADVERT_V3.length, GROUP6);

        // b's kernel checks the VRRPv3 checksum (IPV6_CHECKSUM) before delivering: arrival proves it
        ReceivedPacket p = atB.next();
        assertThat(p.source()).isEqualTo(A_LL);
        assertThat(p.destination()).isEqualTo(GROUP6);
        assertThat(p.ttl()).as("hop limit").isEqualTo(255);
        assertThat(decode(p, true)).isEqualTo(DecodeStatus.OK);

        b.send(ADVERT_V3, 0, ADVERT_V3.length, GROUP6);
        ReceivedPacket back = atA.next();
        assertThat(back.source()).as("a never hears its own advert").isEqualTo(B_LL);
        assertThat(back.destination()).isEqualTo(GROUP6);
        assertThat(back.ttl()).isEqualTo(255);
        assertThat(back.ipHeader()).isNull();
        assertThat(decode(back, true)).isEqualTo(DecodeStatus.OK);
    }

    @Test
    void unicastFromPcapReachesTheKernelsUnicastChannel() throws Exception {
        Inbox unicastAtB = new Inbox();
        Inbox unicast6AtB = new Inbox();
        open(inB, linuxB, unicast(IpFamily.IPV4, A4), unicastAtB);
        open(inB, linuxB, unicast(IpFamily.IPV6, A6), unicast6AtB);
        PacketChannel a = open(inA, pcapA, unicast(IpFamily.IPV4, B4), new Inbox());
        PacketChannel a6 = open(inA, pcapA, unicast(IpFamily.IPV6, B6), new Inbox());

        inA.call(() -> {
            a.send(ADVERT_V2, 0, ADVERT_V2.length, B4);
            a6.send(ADVERT_V3, 0, ADVERT_V3.length, B6);
            return null;
        });

        ReceivedPacket p = unicastAtB.next();
        assertThat(p.source()).isEqualTo(A4);
        assertThat(p.destination()).isEqualTo(B4);
        assertThat(p.ttl()).isEqualTo(255);
        assertThat(payload(p)).isEqualTo(ADVERT_V2);
        ReceivedPacket p6 = unicast6AtB.next();
        assertThat(p6.source()).isEqualTo(A_LL);
        assertThat(p6.destination()).isEqualTo(B6);
        assertThat(p6.ttl()).isEqualTo(255);
        assertThat(decode(p6, true)).isEqualTo(DecodeStatus.OK);
    }

    @Test
    void unicastDestinationMacComesFromTheKernelsNeighbourTable() throws Exception {
        byte[] bMac = HexFormat.ofDelimiter(":").parseHex(B_MAC);
        // Without entries: broadcast for IPv4, the solicited-node group for IPv6
        NetnsLab.ip("-n", lab.ns("a"), "neigh", "flush", "dev", "lan0");
        assertThat(inA.call(() -> Neighbours.unicastMac("lan0", B4))).isEqualTo(Frames.BROADCAST_MAC);
        assertThat(inA.call(() -> Neighbours.unicastMac("lan0", B6)))
                .isEqualTo(HexFormat.of().parseHex("3333ff000002"));
        try {
            NetnsLab.ip("-n", lab.ns("a"), "neigh", "replace", "192.0.2.2", "lladdr", B_MAC, "dev", "lan0", "nud",
                    "permanent");
            NetnsLab.ip("-n", lab.ns("a"), "neigh", "replace", "2001:db8::2", "lladdr", B_MAC, "dev", "lan0", "nud",
                    "permanent");
            assertThat(inA.call(() -> Neighbours.unicastMac("lan0", B4))).as("from the ARP table").isEqualTo(bMac);
            assertThat(inA.call(() -> Neighbours.unicastMac("lan0", B6))).as("from RTM_GETNEIGH").isEqualTo(bMac);
        } finally {
            NetnsLab.ip("-n", lab.ns("a"), "neigh", "flush", "dev", "lan0", "nud", "permanent");
        }
    }

    @Test
    void anAhDatagramGoesOutAsBuiltWithItsHeaderChecksum() throws Exception {
        // keepalived's AH advert (lab.md section 7) from a's address: IP ID 1, checksum 0 to be filled in
        byte[] datagram = HexFormat.of().parseHex("45c0004000010000ff330000c0000201e0000012"
                + "70040000c000020b0000000132a0db072ff371c5c320ff6f21339601020183d0c00002f90000000000000000");
        ChannelSpec ah = new ChannelSpec("lan0", IpFamily.IPV4, 51, GROUP4, List.of(), null);
        Inbox atB = new Inbox();
        open(inB, linuxB, ah, atB);
        PacketChannel a = open(inA, pcapA, ah, new Inbox());

        a.sendDatagram(datagram, 0, datagram.length);

        ReceivedPacket p = atB.next();
        assertThat(p.protocol()).isEqualTo(51);
        assertThat(p.source()).isEqualTo(A4);
        byte[] h = p.ipHeader();
        assertThat(VrrpCodec.internetChecksum(h, 0, 20)).as("header checksum filled in").isZero();
        byte[] expected = Arrays.copyOf(datagram, 20);
        expected[10] = h[10];
        expected[11] = h[11];
        assertThat(h).containsExactly(expected);
        assertThat(payload(p)).containsExactly(Arrays.copyOfRange(datagram, 20, datagram.length));

        PacketChannel plain = open(inA, pcapA, multicast(IpFamily.IPV4, GROUP4), new Inbox());
        assertThatThrownBy(() -> plain.sendDatagram(datagram, 0, datagram.length)).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> a.sendDatagram(datagram, 0, 30)).isInstanceOf(IOException.class);
    }

    @Test
    void linkInfoGivesIndexMacPrimaryAddressAndLinkLocal() throws Exception {
        LinkInfo info = inA.call(() -> pcapA.link("lan0")).orElseThrow();
        String shown = NetnsLab.ip("-n", lab.ns("a"), "-o", "link", "show", "lan0");
        int index = Integer.parseInt(shown.substring(0, shown.indexOf(':')).trim());

        assertThat(info.name()).isEqualTo("lan0");
        assertThat(info.index()).isEqualTo(index);
        assertThat(info.mac()).isEqualTo(HexFormat.ofDelimiter(":").parseHex(A_MAC));
        assertThat(info.primaryIpv4()).isEqualTo(A4);
        assertThat(info.linkLocalIpv6()).isEqualTo(A_LL);
        assertThat(info.up()).isTrue();
        assertThat(inA.call(() -> pcapA.link("nosuch0"))).isEmpty();
    }

    @Test
    void linkDownAndUpReachTheListener() throws Exception {
        BlockingQueue<Map.Entry<String, Boolean>> events = new LinkedBlockingQueue<>();
        AutoCloseable watch = inA.call(() -> pcapA.watchLinks((name, up) -> events.add(Map.entry(name, up))));
        open.add(watch);
        try {
            // Carrier loss: the switch port goes down
            NetnsLab.ip("-n", lab.ns("sw"), "link", "set", "pa", "down");
            assertThat(events.poll(5, TimeUnit.SECONDS)).isEqualTo(Map.entry("lan0", false));
            assertThat(inA.call(() -> pcapA.link("lan0")).orElseThrow().up()).isFalse();
            NetnsLab.ip("-n", lab.ns("sw"), "link", "set", "pa", "up");
            assertThat(events.poll(5, TimeUnit.SECONDS)).isEqualTo(Map.entry("lan0", true));
        } finally {
            NetnsLab.ip("-n", lab.ns("sw"), "link", "set", "pa", "up");
        }
        watch.close();
        assertThat(threadAlive("vigil-pcap-links")).as("poller stopped with the last watch").isFalse();
    }

    @Test
    void captureSurvivesTheInterfaceBeingTakenDownAndUp() throws Exception {
        Inbox atA = new Inbox();
        open(inA, pcapA, multicast(IpFamily.IPV4, GROUP4), atA);
        PacketChannel b = open(inB, linuxB, multicast(IpFamily.IPV4, GROUP4), new Inbox());
        try {
            // libpcap fails the read with ENETDOWN here; the channel must not go deaf for good
            NetnsLab.ip("-n", lab.ns("a"), "link", "set", "lan0", "down");
            await().atMost(DEADLINE).until(() -> !inA.call(() -> pcapA.link("lan0")).orElseThrow().up());
        } finally {
            NetnsLab.ip("-n", lab.ns("a"), "link", "set", "lan0", "up");
            // An administrative down flushes IPv6 addresses; the other tests need a's back
            NetnsLab.ip("-n", lab.ns("a"), "addr", "replace", "2001:db8::1/64", "dev", "lan0", "nodad");
        }
        await().atMost(DEADLINE).until(() -> inA.call(() -> pcapA.link("lan0").map(LinkInfo::linkLocalIpv6).isPresent()));
        await().atMost(DEADLINE).untilAsserted(() -> {
            b.send(ADVERT_V2, 0, ADVERT_V2.length, GROUP4);
            ReceivedPacket p = atA.packets.poll(200, TimeUnit.MILLISECONDS);
            assertThat(p).as("an advert after the link came back").isNotNull();
            assertThat(p.source()).isEqualTo(B4);
        });
    }

    @Test
    void captureReopensWhenTheInterfaceIsDeletedAndCreatedAgain() throws Exception {
        // A veth pair inside a: the channel listens on x0, frames are injected on x1
        byte[] peerMac = HexFormat.of().parseHex("02005e000099");
        InetAddress peer = ip("192.0.2.99");
        byte[] advert = Frames.ipv4(peerMac, Frames.multicastMac(GROUP4), 1, VRRP, (java.net.Inet4Address) peer,
                (java.net.Inet4Address) GROUP4, ADVERT_V2, 0, ADVERT_V2.length);
        createPair();
        Inbox atX0 = new Inbox();
        open(inA, pcapA, new ChannelSpec("x0", IpFamily.IPV4, VRRP, GROUP4, List.of(), A4), atX0);
        try {
            inA.call(() -> {
                pcapA.sendFrame("x1", advert, 0, advert.length);
                return null;
            });
            assertThat(atX0.next().source()).isEqualTo(peer);

            NetnsLab.ip("-n", lab.ns("a"), "link", "del", "x0");
            createPair();
            await().atMost(DEADLINE).untilAsserted(() -> {
                inA.call(() -> {
                    pcapA.sendFrame("x1", advert, 0, advert.length);
                    return null;
                });
                ReceivedPacket p = atX0.packets.poll(200, TimeUnit.MILLISECONDS);
                assertThat(p).as("an advert on the new x0").isNotNull();
            });
        } finally {
            try {
                NetnsLab.ip("-n", lab.ns("a"), "link", "del", "x0");
            } catch (IOException e) {
                // already gone
            }
        }
    }

    private static void createPair() throws IOException {
        NetnsLab.ip("-n", lab.ns("a"), "link", "add", "x0", "type", "veth", "peer", "name", "x1");
        NetnsLab.ip("-n", lab.ns("a"), "link", "set", "x0", "up");
        NetnsLab.ip("-n", lab.ns("a"), "link", "set", "x1", "up");
    }

    @Test
    void ethernetFrameGoesOutAsBuilt() throws Exception {
        // An ARP request for b from a made-up host: b answers it and learns the sender
        byte[] frame = HexFormat.of().parseHex("ffffffffffff" + "02005e000099" + "0806" + "0001" + "0800" + "06" + "04"
                + "0001" + "02005e000099" + "c000024d" + "000000000000" + "c0000202");
        inA.call(() -> {
            pcapA.sendFrame("lan0", frame, 0, frame.length);
            return null;
        });
        await().atMost(DEADLINE).until(() -> NetnsLab.ip("-n", lab.ns("b"), "neigh", "show", "192.0.2.77", "dev", "lan0")
                .contains("02:00:5e:00:00:99"));
    }

    @Test
    void closingTheLastChannelStopsTheCaptureThreadAndRefusesSends() throws Exception {
        PacketChannel c = inA.call(() -> pcapA.open(multicast(IpFamily.IPV4, GROUP4), p -> { }));
        assertThat(threadAlive("vigil-pcap-rx-lan0")).isTrue();
        c.close();
        assertThat(threadAlive("vigil-pcap-rx-lan0")).as("capture thread joined by close").isFalse();
        assertThatThrownBy(() -> c.send(ADVERT_V2, 0, 20, GROUP4)).isInstanceOf(IOException.class)
                .hasMessageContaining("closed");
    }

    // ---- helpers

    private static boolean threadAlive(String name) {
        return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals(name) && t.isAlive());
    }

    private PacketChannel open(NamespaceThread in, InterfaceDriver driver, ChannelSpec spec, Inbox inbox)
            throws Exception {
        PacketChannel c = in.call(() -> driver.open(spec, inbox::add));
        open.add(c);
        return c;
    }

    private static ChannelSpec multicast(IpFamily family, InetAddress group) {
        return new ChannelSpec("lan0", family, VRRP, group, List.of(), null);
    }

    private static ChannelSpec unicast(IpFamily family, InetAddress peer) {
        return new ChannelSpec("lan0", family, VRRP, null, List.of(peer), null);
    }

    private static byte[] payload(ReceivedPacket p) {
        return Arrays.copyOfRange(p.data(), p.offset(), p.offset() + p.length());
    }

    private static DecodeStatus decode(ReceivedPacket p, boolean ipv6) {
        return VrrpCodec.decode(p.data(), p.offset(), p.length(), ipv6, p.source().getAddress(),
                p.destination().getAddress(), p.ttl(), null);
    }

    private static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException(literal, e);
        }
    }

    /** Packets as a listener receives them, in order. */
    private static final class Inbox {
        private final BlockingQueue<ReceivedPacket> packets = new LinkedBlockingQueue<>();

        void add(ReceivedPacket p) {
            packets.add(p);
        }

        ReceivedPacket next() throws InterruptedException {
            ReceivedPacket p = packets.poll(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(p).as("a packet within " + DEADLINE).isNotNull();
            return p;
        }

        ReceivedPacket poll() {
            return packets.poll();
        }
    }
}
