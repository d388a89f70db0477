package org.vigil.driver.linux.internal;

import org.vigil.testing.netns.NamespaceThread;

import org.vigil.testing.netns.NetnsLab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
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
import org.vigil.api.driver.LinkInfo;
import org.vigil.api.driver.PacketChannel;
import org.vigil.api.driver.ReceivedPacket;
import org.vigil.api.vrrp.IpFamily;

/**
 * The real driver on a real (namespaced) LAN: routers a and b on one bridge, each driver used
 * from a thread inside its router's namespace. Needs root; skipped without it, failed under
 * CI=true.
 */
class LinuxDriverNetnsTest {

    private static final Duration DEADLINE = Duration.ofSeconds(5);
    private static final int VRRP = 112;
    private static final InetAddress GROUP4 = ip("224.0.0.18");
    private static final InetAddress GROUP6 = ip("ff02::12");
    private static final InetAddress A4 = ip("192.0.2.1");
    private static final InetAddress B4 = ip("192.0.2.2");
    private static final InetAddress A6 = ip("2001:db8::1");
    private static final InetAddress B6 = ip("2001:db8::2");
    /** From the MACs below (EUI-64): what the kernel gives lan0 as link-local address. */
    private static final InetAddress A_LL = ip("fe80::5eff:fe00:a");
    private static final InetAddress B_LL = ip("fe80::5eff:fe00:b");
    private static final String A_MAC = "02:00:5e:00:00:0a";
    private static final String B_MAC = "02:00:5e:00:00:0b";
    /** VRRPv2 advert, VRID 51, priority 100, 192.0.2.100 (shared/reference/native.md section 5). */
    private static final byte[] ADVERT_V2 = HexFormat.of().parseHex("213364010001b865c00002640000000000000000");
    /** VRRPv3 advert, VRID 51, priority 150, 2001:db8::249, checksum left 0 for the kernel. */
    private static final byte[] ADVERT_V3 = HexFormat.of()
            .parseHex("313396010064000020010db8000000000000000000000249");

    private static NetnsLab lab;
    private static NamespaceThread inA;
    private static NamespaceThread inB;
    private static LinuxDriver driverA;
    private static LinuxDriver driverB;

    private final List<AutoCloseable> open = new ArrayList<>();

    @BeforeAll
    static void buildLab() throws Exception {
        NetnsLab.requireRootAndIp("the Linux driver tests");
        lab = new NetnsLab("drvlinux");
        lab.createSwitch();
        lab.addHost("a", A_MAC, "192.0.2.1/24", "2001:db8::1/64");
        // A second IPv4 address, which the kernel makes secondary: it must not become the primary
        lab.addHost("b", B_MAC, "192.0.2.2/24", "192.0.2.200/24", "2001:db8::2/64");
        inA = new NamespaceThread(lab.ns("a"));
        inB = new NamespaceThread(lab.ns("b"));
        driverA = inA.call(LinuxDriver::new);
        driverB = inB.call(LinuxDriver::new);
        // The link-local address appears once both ends of the veth have carrier
        await().atMost(DEADLINE).until(() -> linkLocal(inA, driverA) && linkLocal(inB, driverB));
    }

    private static boolean linkLocal(NamespaceThread in, LinuxDriver driver) throws Exception {
        return in.call(() -> driver.link("lan0").map(LinkInfo::linkLocalIpv6).isPresent());
    }

    @AfterAll
    static void tearDownLab() {
        if (driverA != null) {
            driverA.deactivate();
        }
        if (driverB != null) {
            driverB.deactivate();
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
    void ipv4MulticastReachesThePeerWithTtl255AndNotTheSender() throws Exception {
        Inbox atA = new Inbox();
        Inbox atB = new Inbox();
        Inbox unicastAtB = new Inbox();
        PacketChannel a = open(inA, driverA, multicast(IpFamily.IPV4, GROUP4), atA);
        PacketChannel b = open(inB, driverB, multicast(IpFamily.IPV4, GROUP4), atB);
        open(inB, driverB, unicast(IpFamily.IPV4, A4), unicastAtB);
        assertThat(a.sourceAddress()).isEqualTo(A4);

        a.send(ADVERT_V2, 0, ADVERT_V2.length, GROUP4);

        ReceivedPacket p = atB.next();
        assertThat(p.interfaceName()).isEqualTo("lan0");
        assertThat(p.source()).isEqualTo(A4);
        assertThat(p.destination()).isEqualTo(GROUP4);
        assertThat(p.ttl()).isEqualTo(255);
        assertThat(p.protocol()).isEqualTo(VRRP);
        assertThat(payload(p)).isEqualTo(ADVERT_V2);
        byte[] header = p.ipHeader();
        assertThat(header).hasSize(20);
        assertThat(header[1] & 0xff).as("TOS, as keepalived sends").isEqualTo(0xc0);
        assertThat(header[6] & 0x40).as("DF flag, clear as in keepalived's adverts").isZero();
        assertThat(header[9] & 0xff).isEqualTo(VRRP);

        // b answers; a's multicast loop is off, so b's answer is the first thing a hears
        b.send(ADVERT_V2, 0, ADVERT_V2.length, GROUP4);
        ReceivedPacket answer = atA.next();
        assertThat(answer.source()).as("a must not hear its own advert").isEqualTo(B4);

        // b's unicast channel heard neither multicast packet: the first it hears is a unicast one
        PacketChannel aUnicast = open(inA, driverA, unicast(IpFamily.IPV4, B4), new Inbox());
        aUnicast.send(ADVERT_V2, 0, ADVERT_V2.length, B4);
        assertThat(unicastAtB.next().destination()).isEqualTo(B4);
    }

    @Test
    void ipv6MulticastReachesThePeerWithHopLimit255FromTheLinkLocalAddressWithKernelChecksum() throws Exception {
        Inbox atA = new Inbox();
        Inbox atB = new Inbox();
        PacketChannel a = open(inA, driverA, multicast(IpFamily.IPV6, GROUP6), atA);
        PacketChannel b = open(inB, driverB, multicast(IpFamily.IPV6, GROUP6), atB);
        assertThat(a.sourceAddress()).isEqualTo(A_LL);

        a.send(ADVERT_V3, 0, ADVERT_V3.length, GROUP6);

        ReceivedPacket p = atB.next();
        assertThat(p.source()).isEqualTo(A_LL);
        assertThat(p.destination()).isEqualTo(GROUP6);
        assertThat(p.ttl()).as("hop limit").isEqualTo(255);
        assertThat(p.protocol()).isEqualTo(VRRP);
        assertThat(p.ipHeader()).isNull();
        byte[] got = payload(p);
        assertThat(got).hasSize(ADVERT_V3.length);
        assertThat(got[6] | got[7]).as("checksum filled in by the kernel").isNotZero();
        assertThat(v3ChecksumVerifies(A_LL, GROUP6, got)).as("RFC 5798 section 5.2.8 checksum").isTrue();

        b.send(ADVERT_V3, 0, ADVERT_V3.length, GROUP6);
        assertThat(atA.next().source()).as("a must not hear its own advert").isEqualTo(B_LL);
    }

    @Test
    void unicastReachesThePeerAddressAndOnlyTheUnicastChannel() throws Exception {
        Inbox unicastAtB = new Inbox();
        Inbox multicastAtB = new Inbox();
        open(inB, driverB, unicast(IpFamily.IPV4, A4), unicastAtB);
        open(inB, driverB, multicast(IpFamily.IPV4, GROUP4), multicastAtB);
        PacketChannel a = open(inA, driverA, unicast(IpFamily.IPV4, B4), new Inbox());

        a.send(ADVERT_V2, 0, ADVERT_V2.length, B4);

        ReceivedPacket p = unicastAtB.next();
        assertThat(p.source()).isEqualTo(A4);
        assertThat(p.destination()).isEqualTo(B4);
        assertThat(p.ttl()).isEqualTo(255);
        assertThat(payload(p)).isEqualTo(ADVERT_V2);
        // The multicast channel did not hear it: the first it hears is the group packet
        PacketChannel aMulticast = open(inA, driverA, multicast(IpFamily.IPV4, GROUP4), new Inbox());
        aMulticast.send(ADVERT_V2, 0, ADVERT_V2.length, GROUP4);
        assertThat(multicastAtB.next().destination()).isEqualTo(GROUP4);

        // IPv6 unicast: from a's link-local address to b's global one, hop limit 255
        Inbox unicast6AtB = new Inbox();
        open(inB, driverB, unicast(IpFamily.IPV6, A6), unicast6AtB);
        PacketChannel a6 = open(inA, driverA, unicast(IpFamily.IPV6, B6), new Inbox());
        a6.send(ADVERT_V3, 0, ADVERT_V3.length, B6);
        ReceivedPacket p6 = unicast6AtB.next();
        assertThat(p6.source()).isEqualTo(A_LL);
        assertThat(p6.destination()).isEqualTo(B6);
        assertThat(p6.ttl()).isEqualTo(255);
        assertThat(v3ChecksumVerifies(A_LL, B6, payload(p6))).isTrue();
    }

    @Test
    void linkInfoGivesIndexMacPrimaryAddressAndLinkLocal() throws Exception {
        LinkInfo info = inB.call(() -> driverB.link("lan0")).orElseThrow();
        String shown = NetnsLab.ip("-n", lab.ns("b"), "-o", "link", "show", "lan0");
        int index = Integer.parseInt(shown.substring(0, shown.indexOf(':')).trim());

        assertThat(info.name()).isEqualTo("lan0");
        assertThat(info.index()).isEqualTo(index);
        assertThat(info.mac()).isEqualTo(HexFormat.ofDelimiter(":").parseHex(B_MAC));
        assertThat(info.primaryIpv4()).isEqualTo(B4);
        assertThat(info.linkLocalIpv6()).isEqualTo(B_LL);
        assertThat(info.up()).isTrue();
        assertThat(inB.call(() -> driverB.link("nosuch0"))).isEmpty();
    }

    @Test
    void linkDownAndUpReachTheListener() throws Exception {
        BlockingQueue<Map.Entry<String, Boolean>> events = new LinkedBlockingQueue<>();
        AutoCloseable watch = inB.call(() -> driverB.watchLinks((name, up) -> events.add(Map.entry(name, up))));
        open.add(watch);
        try {
            // Carrier loss: the switch port goes down
            NetnsLab.ip("-n", lab.ns("sw"), "link", "set", "pb", "down");
            assertThat(events.poll(5, TimeUnit.SECONDS)).isEqualTo(Map.entry("lan0", false));
            assertThat(inB.call(() -> driverB.link("lan0")).orElseThrow().up()).isFalse();
            NetnsLab.ip("-n", lab.ns("sw"), "link", "set", "pb", "up");
            assertThat(events.poll(5, TimeUnit.SECONDS)).isEqualTo(Map.entry("lan0", true));

            // Administratively down and up
            NetnsLab.ip("-n", lab.ns("b"), "link", "set", "lan0", "down");
            assertThat(events.poll(5, TimeUnit.SECONDS)).isEqualTo(Map.entry("lan0", false));
            NetnsLab.ip("-n", lab.ns("b"), "link", "set", "lan0", "up");
            assertThat(events.poll(5, TimeUnit.SECONDS)).isEqualTo(Map.entry("lan0", true));
        } finally {
            NetnsLab.ip("-n", lab.ns("sw"), "link", "set", "pb", "up");
            NetnsLab.ip("-n", lab.ns("b"), "link", "set", "lan0", "up");
            // An administrative down flushes IPv6 addresses; the other tests need b's back
            NetnsLab.ip("-n", lab.ns("b"), "addr", "replace", "2001:db8::2/64", "dev", "lan0", "nodad");
            await().atMost(DEADLINE).until(() -> linkLocal(inB, driverB));
        }
        // Closing the last watch stops the netlink thread and releases its sockets
        watch.close();
        assertThat(threadAlive("vigil-linux-netlink")).isFalse();
    }

    @Test
    void headerIncludedPathSendsTheHeaderBuiltHere() throws Exception {
        // The path AH will take (IP_HDRINCL): the header is built in Java, the kernel only sends it
        Inbox atB = new Inbox();
        open(inB, driverB, multicast(IpFamily.IPV4, GROUP4), atB);
        int ifindex = inA.call(() -> driverA.link("lan0").orElseThrow().index());
        Ipv4Channel a = inA.call(() -> {
            Ipv4Channel c = new Ipv4Channel(multicast(IpFamily.IPV4, GROUP4), p -> { }, ifindex,
                    (java.net.Inet4Address) A4, true, x -> { });
            c.start(org.vigil.libc.Libc.AF_INET, "vigil-test-hdrincl");
            return c;
        });
        open.add(a);

        a.send(ADVERT_V2, 0, ADVERT_V2.length, GROUP4);

        ReceivedPacket p = atB.next();
        assertThat(p.source()).isEqualTo(A4);
        assertThat(p.ttl()).isEqualTo(255);
        assertThat(p.ipHeader()[1] & 0xff).isEqualTo(0xc0);
        assertThat(p.ipHeader()[6] & 0x40).as("DF clear").isZero();
        assertThat(Ipv4Header.checksum(p.ipHeader(), 0, 20)).as("header checksum").isZero();
        assertThat(payload(p)).isEqualTo(ADVERT_V2);
    }

    @Test
    void anAhChannelSendsTheCallersDatagramAndDeliversItsHeader() throws Exception {
        // keepalived's AH advert (lab.md section 7) from a's address: IP ID 1, checksum 0 for the kernel
        byte[] datagram = HexFormat.of().parseHex("45c0004000010000ff330000c0000201e0000012"
                + "70040000c000020b0000000132a0db072ff371c5c320ff6f21339601020183d0c00002f90000000000000000");
        ChannelSpec ah = new ChannelSpec("lan0", IpFamily.IPV4, 51, GROUP4, List.of(), null);
        Inbox atB = new Inbox();
        Inbox plainAtB = new Inbox();
        open(inB, driverB, ah, atB);
        open(inB, driverB, multicast(IpFamily.IPV4, GROUP4), plainAtB);
        PacketChannel a = open(inA, driverA, ah, new Inbox());

        a.sendDatagram(datagram, 0, datagram.length);

        ReceivedPacket p = atB.next();
        assertThat(p.protocol()).isEqualTo(51);
        assertThat(p.source()).isEqualTo(A4);
        assertThat(p.destination()).isEqualTo(GROUP4);
        assertThat(p.ttl()).isEqualTo(255);
        byte[] h = p.ipHeader();
        assertThat(h).hasSize(20);
        assertThat(Ipv4Header.checksum(h, 0, 20)).as("header checksum filled in by the kernel").isZero();
        byte[] expected = java.util.Arrays.copyOf(datagram, 20);
        expected[10] = h[10];
        expected[11] = h[11];
        assertThat(h).as("the header as built: TOS 0xc0, IP ID 1, DF clear, TTL 255, protocol 51")
                .containsExactly(expected);
        assertThat(payload(p)).containsExactly(java.util.Arrays.copyOfRange(datagram, 20, datagram.length));

        // a VRRP (112) channel neither hears AH nor sends caller-built datagrams
        PacketChannel plain = open(inA, driverA, multicast(IpFamily.IPV4, GROUP4), new Inbox());
        assertThatThrownBy(() -> plain.sendDatagram(datagram, 0, datagram.length)).isInstanceOf(IOException.class);
        plain.send(ADVERT_V2, 0, ADVERT_V2.length, GROUP4);
        assertThat(plainAtB.next().protocol()).isEqualTo(VRRP);
        assertThatThrownBy(() -> a.sendDatagram(datagram, 0, 30)).isInstanceOf(IOException.class);
    }

    @Test
    void theKernelFilterPassesOnlyTheWantedVrids() throws Exception {
        // b wants VRIDs 50..52 and 200; a sends VRID 51, 99 (filtered) and 200, v4 and v6.
        // A witness channel without a filter proves every packet did arrive at b's interface.
        Inbox filtered4 = new Inbox();
        Inbox witness4 = new Inbox();
        Inbox filtered6 = new Inbox();
        Inbox witness6 = new Inbox();
        PacketChannel b4 = open(inB, driverB, multicast(IpFamily.IPV4, GROUP4), filtered4);
        open(inB, driverB, multicast(IpFamily.IPV4, GROUP4), witness4);
        PacketChannel b6 = open(inB, driverB, multicast(IpFamily.IPV6, GROUP6), filtered6);
        open(inB, driverB, multicast(IpFamily.IPV6, GROUP6), witness6);
        java.util.BitSet wanted = new java.util.BitSet();
        wanted.set(50, 53);
        wanted.set(200);
        b4.acceptVrids(wanted);
        b6.acceptVrids(wanted);
        PacketChannel a4 = open(inA, driverA, multicast(IpFamily.IPV4, GROUP4), new Inbox());
        PacketChannel a6 = open(inA, driverA, multicast(IpFamily.IPV6, GROUP6), new Inbox());
        for (int vrid : new int[] { 51, 99, 200 }) {
            byte[] v2 = withVrid(ADVERT_V2, vrid);
            byte[] v3 = withVrid(ADVERT_V3, vrid);
            a4.send(v2, 0, v2.length, GROUP4);
            a6.send(v3, 0, v3.length, GROUP6);
        }
        for (Inbox witness : List.of(witness4, witness6)) {
            assertThat(payload(witness.next())[1] & 0xff).isEqualTo(51);
            assertThat(payload(witness.next())[1] & 0xff).isEqualTo(99);
            assertThat(payload(witness.next())[1] & 0xff).isEqualTo(200);
        }
        for (Inbox filtered : List.of(filtered4, filtered6)) {
            assertThat(payload(filtered.next())[1] & 0xff).isEqualTo(51);
            assertThat(payload(filtered.next())[1] & 0xff).as("VRID 99 dropped in the kernel").isEqualTo(200);
            assertThat(filtered.isEmpty()).isTrue();
        }
    }

    private static byte[] withVrid(byte[] advert, int vrid) {
        byte[] copy = advert.clone();
        copy[1] = (byte) vrid;
        if ((copy[0] & 0xf0) == 0x20) {
            // v2: the message checksum covers the VRID
            copy[6] = 0;
            copy[7] = 0;
            int sum = Ipv4Header.checksum(copy, 0, copy.length);
            copy[6] = (byte) (sum >>> 8);
            copy[7] = (byte) sum;
        }
        return copy;
    }

    @Test
    void receiveThreadsTakeOnTheRealtimePriorityAtTheirNextWakeUp() throws Exception {
        Inbox atB = new Inbox();
        open(inB, driverB, multicast(IpFamily.IPV4, GROUP4), atB);
        PacketChannel a = open(inA, driverA, multicast(IpFamily.IPV4, GROUP4), new Inbox());
        try {
            new LinuxProcessTuning().realtimeIoThreads(7);
            a.send(ADVERT_V2, 0, ADVERT_V2.length, GROUP4);
            atB.next();
            await().atMost(DEADLINE).until(() -> receiveThreadPolicies().contains("2/7"));
        } finally {
            ReceivePriority.set(0);
        }
    }

    /** "policy/rt_priority" of every receive thread of this JVM, from /proc (comm is cut at 15 characters). */
    private static List<String> receiveThreadPolicies() throws IOException {
        List<String> out = new ArrayList<>();
        try (var tasks = java.nio.file.Files.list(java.nio.file.Path.of("/proc/self/task"))) {
            for (java.nio.file.Path t : tasks.toList()) {
                String comm = java.nio.file.Files.readString(t.resolve("comm")).trim();
                if (comm.startsWith("vigil-linux-rx")) {
                    out.add(ThreadScheduling.of(t));
                }
            }
        }
        return out;
    }

    @Test
    void ethernetFrameGoesOutAsBuilt() throws Exception {
        // An ARP request for b from a made-up host: b answers it and learns the sender, which
        // shows the frame left a's lan0 byte for byte
        byte[] frame = HexFormat.of().parseHex("ffffffffffff" + "02005e000099" + "0806" + "0001" + "0800" + "06" + "04"
                + "0001" + "02005e000099" + "c000024d" + "000000000000" + "c0000202");
        inA.call(() -> {
            driverA.sendFrame("lan0", frame);
            return null;
        });
        await().atMost(DEADLINE).until(() -> NetnsLab.ip("-n", lab.ns("b"), "neigh", "show", "192.0.2.77", "dev", "lan0")
                .contains("02:00:5e:00:00:99"));
    }

    @Test
    void aDatagramCarriesTheKernelsArrivalTimeNotWhenTheReceiveThreadGotToIt() throws Exception {
        for (IpFamily family : IpFamily.values()) {
            InetAddress group = family == IpFamily.IPV4 ? GROUP4 : GROUP6;
            byte[] advert = family == IpFamily.IPV4 ? ADVERT_V2 : ADVERT_V3;
            java.util.concurrent.CountDownLatch held = new java.util.concurrent.CountDownLatch(1);
            java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
            BlockingQueue<Long> stamps = new LinkedBlockingQueue<>();
            PacketChannel a = open(inA, driverA, multicast(family, group), new Inbox());
            PacketChannel b = inB.call(() -> driverB.open(multicast(family, group), p -> {
                stamps.add(p.receivedNanos());
                held.countDown();
                try {
                    // the receive thread is kept from its socket, as a busy host keeps it
                    release.await(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
            open.add(b);
            a.send(advert, 0, advert.length, group);
            assertThat(held.await(DEADLINE.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
            long beforeSend = System.nanoTime();
            a.send(advert, 0, advert.length, group);
            long sent = System.nanoTime();
            Thread.sleep(300); // the second advert waits in the socket for 300 ms
            long released = System.nanoTime();
            release.countDown();
            stamps.poll(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
            Long second = stamps.poll(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(second).as(family + ": the second advert").isNotNull();
            assertThat(second).as(family + ": stamped on arrival (sent %d..%d, read after %d)", beforeSend, sent, released)
                    .isBetween(beforeSend, sent + 20_000_000L).isLessThan(released);
        }
    }

    @Test
    void theReceiveThreadAllocatesNothingPerDatagram() throws Exception {
        // poll, recvmsg, the kernel stamp and its conversion, the copy out and the filter, for
        // both families: what the driver does per advert, measured on the receive thread itself
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory
                .getThreadMXBean();
        for (IpFamily family : IpFamily.values()) {
            InetAddress group = family == IpFamily.IPV4 ? GROUP4 : GROUP6;
            byte[] advert = family == IpFamily.IPV4 ? ADVERT_V2 : ADVERT_V3;
            java.util.concurrent.atomic.AtomicLong received = new java.util.concurrent.atomic.AtomicLong();
            java.util.concurrent.atomic.AtomicLong receiveThread = new java.util.concurrent.atomic.AtomicLong();
            PacketChannel a = open(inA, driverA, multicast(family, group), new Inbox());
            open.add(inB.call(() -> driverB.open(multicast(family, group), p -> {
                receiveThread.set(Thread.currentThread().getId());
                received.incrementAndGet();
            })));
            int batch = 3_000;
            sendAndAwait(a, advert, group, received, batch); // warm-up: class loading, JIT
            long before = threads.getThreadAllocatedBytes(receiveThread.get());
            sendAndAwait(a, advert, group, received, 2 * batch);
            long allocated = threads.getThreadAllocatedBytes(receiveThread.get()) - before;
            System.out.printf("%s: the receive thread allocated %d bytes for %d datagrams%n", family, allocated, batch);
            assertThat(allocated).as(family + ": bytes the receive thread allocated for " + batch + " datagrams")
                    .isLessThan(batch);
        }
    }

    /** Sends adverts, paced in small bursts so the socket never overflows, until {@code total} have arrived. */
    private static void sendAndAwait(PacketChannel from, byte[] advert, InetAddress group,
            java.util.concurrent.atomic.AtomicLong received, long total) throws Exception {
        long deadline = System.nanoTime() + DEADLINE.toNanos() * 4;
        long sends = 0;
        while (received.get() < total && System.nanoTime() < deadline) {
            long missing = total - received.get();
            long target = received.get() + Math.min(50, missing);
            for (int i = 0; i < Math.min(50, missing); i++) {
                from.send(advert, 0, advert.length, group);
                sends++;
            }
            // a lost one (the first ones of a group the switch has not learned yet) is made up by the next burst
            long burstDeadline = System.nanoTime() + 1_000_000_000L;
            while (received.get() < target && System.nanoTime() < burstDeadline) {
                Thread.onSpinWait();
                Thread.sleep(1);
            }
        }
        assertThat(received.get()).as("datagrams received of " + sends + "; " + NetnsLab.ip("-n", lab.ns("b"), "-s", "link", "show", "lan0")
                + NetnsLab.ip("-n", lab.ns("a"), "-s", "link", "show", "lan0")).isGreaterThanOrEqualTo(total);
    }

    @Test
    void closeStopsTheReceiveThreadAndRefusesSends() throws Exception {
        PacketChannel c = inB.call(() -> driverB.open(multicast(IpFamily.IPV4, GROUP4), p -> { }));
        String thread = "vigil-linux-rx-lan0-v4-112";
        assertThat(threadAlive(thread)).isTrue();
        c.close();
        // close does not wait (the election thread calls it); the thread ends on its own at once
        await().atMost(DEADLINE).until(() -> !threadAlive(thread));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> c.send(ADVERT_V2, 0, 20, GROUP4))
                .isInstanceOf(java.io.IOException.class).hasMessageContaining("closed");
    }

    private static boolean threadAlive(String name) {
        return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals(name) && t.isAlive());
    }

    // ---- helpers

    private PacketChannel open(NamespaceThread in, LinuxDriver driver, ChannelSpec spec, Inbox inbox)
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
        return java.util.Arrays.copyOfRange(p.data(), p.offset(), p.offset() + p.length());
    }

    /** RFC 5798 section 5.2.8 with the RFC 8200 section 8.1 pseudo-header: sums to 0xffff when right. */
    private static boolean v3ChecksumVerifies(InetAddress src, InetAddress dst, byte[] vrrp) {
        byte[] pseudo = new byte[40 + vrrp.length];
        System.arraycopy(src.getAddress(), 0, pseudo, 0, 16);
        System.arraycopy(dst.getAddress(), 0, pseudo, 16, 16);
        pseudo[34] = (byte) (vrrp.length >>> 8);
        pseudo[35] = (byte) vrrp.length;
        pseudo[39] = (byte) VRRP;
        System.arraycopy(vrrp, 0, pseudo, 40, vrrp.length);
        return Ipv4Header.checksum(pseudo, 0, pseudo.length) == 0;
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

        /** The driver reuses its view after the call: keep a copy, as the core's queue does. */
        void add(ReceivedPacket p) {
            ReceivedPacket copy = new ReceivedPacket();
            copy.copyFrom(p);
            packets.add(copy);
        }

        /** Nothing more within a short wait (after a packet sent later has arrived elsewhere). */
        boolean isEmpty() {
            return packets.isEmpty();
        }

        ReceivedPacket next() throws InterruptedException {
            ReceivedPacket p = packets.poll(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(p).as("a packet within " + DEADLINE).isNotNull();
            return p;
        }
    }
}
