package org.vigil.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.vigil.core.internal.TestConfigs.ip;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.vigil.api.driver.ReceivedPacket;
import org.vigil.api.vrrp.InstanceState;
import org.vigil.api.vrrp.InstanceStatus;
import org.vigil.api.vrrp.IpFamily;
import org.vigil.auth.internal.NoneAuthenticator;
import org.vigil.codec.ChecksumForm;
import org.vigil.codec.VrrpCodec;

/**
 * The shared receive path (issue 8 items 1 and 2): one channel per interface and family whatever
 * the number of instances, per-channel bounds, drops reaching the instances' counters, and no
 * allocation per packet. On virtual time with the in-memory LAN.
 */
class ReceivePathTest {
    private static final InetAddress GROUP4 = VrrpCodec.IPV4_MULTICAST_GROUP;
    private static final InetAddress GROUP6 = VrrpCodec.IPV6_MULTICAST_GROUP;
    private static final InetAddress PEER4 = ip("192.0.2.13");
    private static final InetAddress PEER6 = ip("fe80::13");

    private final ManualLoop loop = new ManualLoop();
    private final FakeLan lan = new FakeLan(loop::nowMicros);
    private final List<Notifier> notifiers = new ArrayList<>();

    @AfterEach
    void close() {
        notifiers.forEach(n -> n.close(1_000));
    }

    private ElectionEngine engine(FakeLan.Host host) {
        Notifier notifier = new Notifier();
        notifiers.add(notifier);
        ElectionEngine engine = new ElectionEngine(loop, (line, detail) -> { }, notifier, 1_000);
        engine.driverBound(host);
        engine.authenticatorAdded(new NoneAuthenticator());
        loop.runPending();
        return engine;
    }

    /** VRID 51 at priority 100 on {@code host}, backup to PEER4's priority-200 adverts, one of which it has taken. */
    private ElectionEngine backupFollowingPeer(FakeLan.Host host) {
        ElectionEngine engine = engine(host);
        engine.addInstance(v3("V4", 51, IpFamily.IPV4, 100));
        loop.runPending();
        lan.inject(PEER4, GROUP4, advert(51, IpFamily.IPV4, 200, PEER4), 255);
        loop.runPending();
        return engine;
    }

    private static InstanceConfig v3(String name, int vrid, IpFamily family, int priority) {
        TestConfigs c = TestConfigs.v3(priority, 100).name(name).vrid(vrid);
        c.family = family;
        c.vips = new ArrayList<>(List.of(family == IpFamily.IPV4
                ? TestConfigs.vip("203.0.113." + vrid, 24)
                : TestConfigs.vip("2001:db8::" + Integer.toHexString(vrid), 64)));
        return c.build();
    }

    /** A VRRPv3 advert as a peer would send it, checksum over the pseudo-header. */
    private static byte[] advert(int vrid, IpFamily family, int priority, InetAddress from) {
        boolean v6 = family == IpFamily.IPV6;
        byte[] vip = (v6 ? ip("2001:db8::" + Integer.toHexString(vrid)) : ip("203.0.113." + vrid)).getAddress();
        byte[] out = new byte[VrrpCodec.MAX_LENGTH];
        int len = VrrpCodec.encode(3, vrid, priority, 100, 0, null, vip, v6, ChecksumForm.V3_PSEUDO_HEADER,
                from.getAddress(), (v6 ? GROUP6 : GROUP4).getAddress(), out, 0);
        return java.util.Arrays.copyOf(out, len);
    }

    @Test
    void fiveHundredTenInstancesShareTwoChannelsAndEachAdvertReachesOnlyItsInstance() {
        FakeLan.Host h1 = lan.host("r1", "192.0.2.11");
        FakeLan.Host h2 = lan.host("r2", "192.0.2.12");
        ElectionEngine r1 = engine(h1);
        ElectionEngine r2 = engine(h2);
        for (int vrid = 1; vrid <= 255; vrid++) {
            for (IpFamily family : IpFamily.values()) {
                String name = "VI_" + vrid + (family == IpFamily.IPV4 ? "_4" : "_6");
                r1.addInstance(v3(name, vrid, family, 150));
                r2.addInstance(v3(name, vrid, family, 100));
            }
        }
        assertThat(r1.channelCount()).as("one per family on eth0, not one per instance").isEqualTo(2);
        assertThat(h2.openChannels()).isEqualTo(2);

        loop.advance(10_000_000);

        List<InstanceStatus> masters = r1.instances();
        List<InstanceStatus> backups = r2.instances();
        assertThat(masters).hasSize(510).allMatch(s -> s.state() == InstanceState.MASTER);
        assertThat(backups).hasSize(510).allMatch(s -> s.state() == InstanceState.BACKUP);
        // every backup heard exactly its own master's adverts: about 6.4 s of 1 s adverts, no strays
        for (InstanceStatus s : backups) {
            assertThat(s.counters().advertsReceived()).as(s.name()).isBetween(6L, 7L);
            assertThat(s.counters().dropped()).as(s.name()).isEmpty();
            assertThat(s.counters().channelDropped()).as(s.name()).isEmpty();
        }
    }

    @Test
    void aFloodFillsOnlyItsOwnChannelAndEveryDropIsCountedOnTheInstance() {
        FakeLan.Host host = lan.host("r2", "192.0.2.12");
        ElectionEngine r2 = engine(host);
        r2.addInstance(v3("V4", 51, IpFamily.IPV4, 100));
        r2.addInstance(v3("V6", 51, IpFamily.IPV6, 100));
        loop.runPending();

        // junk for VRID 51 (bad checksum) beyond the queue, while the loop is busy elsewhere
        byte[] junk = advert(51, IpFamily.IPV4, 200, PEER4);
        junk[7] ^= 0x55;
        int flood = ReceivePath.QUEUE_CAPACITY + 500;
        for (int i = 0; i < flood; i++) {
            lan.inject(PEER4, GROUP4, junk, 255);
        }
        // junk for a VRID nobody has never takes a queue slot
        for (int i = 0; i < 3_000; i++) {
            lan.inject(PEER4, GROUP4, advert(99, IpFamily.IPV4, 200, PEER4), 255);
        }
        // the other family's channel is untouched: its good advert goes through
        lan.inject(PEER6, GROUP6, advert(51, IpFamily.IPV6, 200, PEER6), 255);
        loop.runPending();

        InstanceStatus v4 = r2.instance("V4").orElseThrow();
        assertThat(v4.counters().dropped()).containsEntry("BAD_CHECKSUM", (long) ReceivePath.QUEUE_CAPACITY)
                .containsEntry(ReceiveDrop.QUEUE_OVERFLOW.name(), 500L);
        assertThat(v4.counters().channelDropped()).containsEntry(ReceiveDrop.UNKNOWN_VRID.name(), 3_000L);
        assertThat(v4.state()).isEqualTo(InstanceState.BACKUP);
        InstanceStatus v6 = r2.instance("V6").orElseThrow();
        assertThat(v6.counters().advertsReceived()).isEqualTo(1);
        assertThat(v6.counters().dropped()).isEmpty();
        assertThat(v6.counters().channelDropped()).isEmpty();

        // once drained, the flooded channel takes good adverts again
        lan.inject(PEER4, GROUP4, advert(51, IpFamily.IPV4, 200, PEER4), 255);
        loop.runPending();
        assertThat(r2.instance("V4").orElseThrow().counters().advertsReceived()).isEqualTo(1);
        assertThat(r2.instance("V4").orElseThrow().masterAddress()).isEqualTo("192.0.2.13");
    }

    /**
     * A loaded backup (issue 8's soak): the master's advert arrived in time, but the election
     * thread woke for the master-down timer before it processed the packet. The instance reads
     * what has arrived before it takes over, so it stays backup.
     */
    @Test
    void anAdvertThatArrivedBeforeTheMasterDownTimerRanKeepsTheBackup() {
        FakeLan.Host host = lan.host("r2", "192.0.2.12");
        ElectionEngine r2 = engine(host);
        r2.addInstance(v3("V4", 51, IpFamily.IPV4, 100));
        loop.runPending();
        lan.inject(PEER4, GROUP4, advert(51, IpFamily.IPV4, 200, PEER4), 255);
        loop.runPending();
        InstanceStatus heard = r2.instance("V4").orElseThrow();
        assertThat(heard.state()).isEqualTo(InstanceState.BACKUP);
        assertThat(heard.masterAddress()).isEqualTo("192.0.2.13");
        long downMicros = heard.masterDownMicros();

        // the next advert lands in the queue just before master-down, and the thread is late
        loop.advance(downMicros - 100_000);
        lan.inject(PEER4, GROUP4, advert(51, IpFamily.IPV4, 200, PEER4), 255);
        loop.stallTimersFirst(200_000);

        InstanceStatus after = r2.instance("V4").orElseThrow();
        assertThat(after.state()).isEqualTo(InstanceState.BACKUP);
        assertThat(after.counters().advertsReceived()).isEqualTo(2);
        assertThat(after.counters().becameMaster()).isZero();
    }

    /**
     * Issue 8 and 12, the backup's CPU: its master's steady adverts are queued without waking the
     * election thread; the master-down timer (or every {@link ReceivePath#QUIET_LIMIT} adverts)
     * takes them, so the backup stays backup. Any other advert (another priority, another sender,
     * or the same one once the instance is no longer following that master) wakes it at once.
     */
    @Test
    void aBackupsRoutineAdvertsDoNotWakeTheLoopButAnyOtherAdvertDoes() {
        FakeLan.Host host = lan.host("r2", "192.0.2.12");
        ElectionEngine r2 = backupFollowingPeer(host);
        byte[] routine = advert(51, IpFamily.IPV4, 200, PEER4);
        assertThat(r2.instance("V4").orElseThrow().masterAddress()).isEqualTo("192.0.2.13");

        // 20 s of 1 s adverts: no receive wake-up, and the master-down timer never takes over
        long wakeUps = loop.receiveWakeUps;
        for (int i = 0; i < 20; i++) {
            loop.advance(1_000_000);
            lan.inject(PEER4, GROUP4, routine, 255);
        }
        assertThat(loop.receiveWakeUps).as("wake-ups for routine adverts").isEqualTo(wakeUps);
        InstanceStatus steady = r2.instance("V4").orElseThrow();
        assertThat(steady.state()).isEqualTo(InstanceState.BACKUP);
        assertThat(steady.counters().becameMaster()).isZero();
        assertThat(steady.counters().advertsReceived()).as("all counted when asked").isEqualTo(21);

        // a burst of routine adverts wakes the loop once QUIET_LIMIT wait
        for (int i = 1; i < ReceivePath.QUIET_LIMIT; i++) {
            lan.inject(PEER4, GROUP4, routine, 255);
        }
        assertThat(loop.receiveWakeUps).isEqualTo(wakeUps);
        lan.inject(PEER4, GROUP4, routine, 255);
        assertThat(loop.receiveWakeUps).isEqualTo(wakeUps + 1);
        loop.runPending();

        // another priority from the same master: at once
        lan.inject(PEER4, GROUP4, advert(51, IpFamily.IPV4, 150, PEER4), 255);
        assertThat(loop.receiveWakeUps).isEqualTo(wakeUps + 2);
        loop.runPending();

        // the master falls silent: the backup takes over on time
        loop.advance(4_000_000);
        assertThat(r2.instance("V4").orElseThrow().state()).isEqualTo(InstanceState.MASTER);
        // its adverts come back (priority 150, which the backup followed last): no longer routine,
        // so the loop wakes at once and the new master yields to the higher priority
        long beforeReturn = loop.receiveWakeUps;
        lan.inject(PEER4, GROUP4, advert(51, IpFamily.IPV4, 150, PEER4), 255);
        assertThat(loop.receiveWakeUps).isEqualTo(beforeReturn + 1);
        loop.runPending();
        assertThat(r2.instance("V4").orElseThrow().state()).isEqualTo(InstanceState.BACKUP);
    }

    /**
     * Issue 12, the backup's election thread at 0.01 s: the master-down timer is what takes a
     * followed master's routine adverts from the queue, a few times per Master_Down_Interval. When
     * one of them restarts Master_Down the timer reads nothing from the socket (a system call per
     * wake-up for nothing); only a timer that would take over reads what the kernel holds first.
     */
    @Test
    void aMasterDownTimerThatFindsRoutineAdvertsQueuedDoesNotReadTheSocket() {
        FakeLan.Host host = lan.host("r2", "192.0.2.12");
        ElectionEngine r2 = backupFollowingPeer(host);
        byte[] routine = advert(51, IpFamily.IPV4, 200, PEER4);
        FakeLan.Channel socket = host.opened.get(0);
        int readsBefore = socket.pendingReads;
        long wakeUps = loop.receiveWakeUps;
        // 20 s of 1 s adverts, queued without waking the loop; the master-down timer (3.6 s) takes them
        for (int i = 0; i < 20; i++) {
            loop.advance(1_000_000);
            lan.inject(PEER4, GROUP4, routine, 255);
        }
        loop.advance(1_000_000);
        assertThat(loop.receiveWakeUps).as("wake-ups for routine adverts").isEqualTo(wakeUps);
        assertThat(r2.instance("V4").orElseThrow().state()).isEqualTo(InstanceState.BACKUP);
        assertThat(socket.pendingReads).as("socket reads by master-down timers that found adverts queued")
                .isEqualTo(readsBefore);

        // the master falls silent: the timer that would take over reads the socket first, then takes over
        loop.advance(4_000_000);
        assertThat(socket.pendingReads).isEqualTo(readsBefore + 1);
        InstanceStatus master = r2.instance("V4").orElseThrow();
        assertThat(master.state()).isEqualTo(InstanceState.MASTER);
        assertThat(master.counters().advertsReceived()).isEqualTo(21);
    }

    @Test
    void theReceivePathAllocatesNothingPerPacket() {
        FakeLan.Host host = lan.host("r2", "192.0.2.12");
        ElectionEngine r2 = engine(host);
        r2.addInstance(v3("V4", 51, IpFamily.IPV4, 100));
        r2.addInstance(v3("V6", 51, IpFamily.IPV6, 100));
        loop.runPending();
        // from the driver's buffer: one reusable view per channel, as driver-linux hands them over
        ReceivedPacket good4 = view(advert(51, IpFamily.IPV4, 200, PEER4), PEER4, GROUP4);
        ReceivedPacket good6 = view(advert(51, IpFamily.IPV6, 200, PEER6), PEER6, GROUP6);
        byte[] bad = advert(51, IpFamily.IPV4, 200, PEER4);
        bad[7] ^= 1;
        ReceivedPacket junk4 = view(bad, PEER4, GROUP4);
        ReceivedPacket unknown4 = view(advert(7, IpFamily.IPV4, 200, PEER4), PEER4, GROUP4);
        ReceivePath.Channel ch4 = channel(r2, IpFamily.IPV4);
        ReceivePath.Channel ch6 = channel(r2, IpFamily.IPV6);
        Runnable burst = () -> {
            ch4.received(good4);
            ch6.received(good6);
            ch4.received(junk4);
            ch4.received(unknown4);
            loop.runPending();
        };
        for (int i = 0; i < 100_000; i++) {
            burst.run(); // warm: the JIT, the rate limiter's keys, the queue slots' buffers
        }
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        int rounds = 100_000;
        for (int i = 0; i < rounds; i++) {
            burst.run();
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertThat(r2.instance("V4").orElseThrow().counters().advertsReceived()).isEqualTo(200_000);
        // one object per packet would be at least 16 bytes x 400,000 packets = 6.4 MB
        assertThat(allocated).as("bytes allocated for %d packets", 4 * rounds).isLessThan(64 * 1024);
    }

    private static ReceivedPacket view(byte[] payload, InetAddress source, InetAddress destination) {
        byte[] buffer = new byte[2048];
        System.arraycopy(payload, 0, buffer, 0, payload.length);
        return new ReceivedPacket().wrap("eth0", VrrpCodec.IP_PROTOCOL, 255, buffer, 0, 0, 0, payload.length, 0)
                .addresses(source.getAddress(), 0, destination.getAddress(), 0, source.getAddress().length);
    }

    private static ReceivePath.Channel channel(ElectionEngine engine, IpFamily family) {
        return engine.receivePath().channels().stream().filter(c -> c.key.family() == family).findFirst()
                .orElseThrow();
    }
}
