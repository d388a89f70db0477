package org.vigil.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.vigil.core.internal.TestConfigs.ip;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.vigil.api.vip.AnnouncePolicy;
import org.vigil.api.vip.VipManager;
import org.vigil.api.vip.VirtualRoute;
import org.vigil.api.vip.VirtualAddress;
import org.vigil.api.vrrp.InstanceState;
import org.vigil.api.vrrp.InstanceStatus;
import org.vigil.api.vrrp.TransitionEvent;
import org.vigil.auth.internal.NoneAuthenticator;
import org.vigil.auth.internal.PassAuthenticator;
import org.vigil.codec.ChecksumForm;
import org.vigil.codec.DecodeStatus;
import org.vigil.codec.DecodedAdvert;
import org.vigil.codec.VrrpCodec;

/** Engines with the real codec and authenticators on an in-memory LAN, on virtual time. */
class ElectionEngineTest {
    private static final InetAddress GROUP = VrrpCodec.IPV4_MULTICAST_GROUP;
    private static final byte[] VIP = ip("192.0.2.249").getAddress();

    private final ManualLoop loop = new ManualLoop();
    private final FakeLan lan = new FakeLan(loop::nowMicros);
    private final List<Router> routers = new ArrayList<>();

    final class Router {
        final List<String> log = new CopyOnWriteArrayList<>();
        final List<TransitionEvent> events = new CopyOnWriteArrayList<>();
        final Notifier notifier = new Notifier();
        final ElectionEngine engine = new ElectionEngine(loop, (line, detail) -> log.add(line), notifier, 1_000);
        FakeLan.Host host;

        Router(String name, String address, boolean withPass) {
            host = lan.host(name, address);
            engine.listenerAdded(events::add);
            engine.driverBound(host);
            engine.authenticatorAdded(new NoneAuthenticator());
            if (withPass) {
                engine.authenticatorAdded(new PassAuthenticator());
            }
            loop.runPending();
            routers.add(this);
        }

        InstanceRuntime rt(String name) {
            return engine.runtime(name);
        }

        InstanceState state() {
            return rt("VI_1").machine.state();
        }

        InstanceStatus status() {
            return engine.instance("VI_1").orElseThrow();
        }
    }

    private Router router(String name, String address) {
        return new Router(name, address, true);
    }

    @AfterEach
    void closeNotifiers() {
        routers.forEach(r -> r.notifier.close(1_000));
    }

    private static byte[] advert(int version, int vrid, int priority, int intervalCs, String password) {
        byte[] auth = Arrays8.of(password);
        byte[] out = new byte[VrrpCodec.MAX_LENGTH];
        int len = VrrpCodec.encode(version, vrid, priority, intervalCs, version == 2 ? 1 : 0, version == 2 ? auth : null,
                VIP, false, version == 2 ? ChecksumForm.V2 : ChecksumForm.V3_PSEUDO_HEADER,
                ip("192.0.2.13").getAddress(), GROUP.getAddress(), out, 0);
        return java.util.Arrays.copyOf(out, len);
    }

    private static final class Arrays8 {
        static byte[] of(String s) {
            return java.util.Arrays.copyOf(s.getBytes(StandardCharsets.UTF_8), 8);
        }
    }

    @Test
    void twoRoutersElectAndAGracefulStopHandsOverAfterTheSkew() {
        Router r1 = router("r1", "192.0.2.11");
        Router r2 = router("r2", "192.0.2.12");
        r1.engine.addInstance(TestConfigs.v2(150).pass("lab51pw").build());
        r2.engine.addInstance(TestConfigs.v2(100).pass("lab51pw").build());

        loop.advance(10_000_000);
        assertThat(r1.state()).isEqualTo(InstanceState.MASTER);
        assertThat(r2.state()).isEqualTo(InstanceState.BACKUP);
        // 3 x 1 s + (256 - 150) / 256 s, then every second from that deadline
        assertThat(lan.framesFrom("r1")).extracting(FakeLan.Frame::atMicros).startsWith(3_414_062L, 4_414_062L,
                5_414_062L);
        assertThat(lan.framesFrom("r2")).isEmpty();
        assertThat(r2.status().masterAddress()).isEqualTo("192.0.2.11");
        assertThat(r2.status().counters().advertsReceived()).isEqualTo(7);

        FakeLan.Frame first = lan.wire.get(0);
        DecodedAdvert decoded = new DecodedAdvert();
        assertThat(VrrpCodec.decode(first.payload(), 0, first.payload().length, false,
                first.source().getAddress(), GROUP.getAddress(), 255, decoded)).isEqualTo(DecodeStatus.OK);
        assertThat(decoded.priority()).isEqualTo(150);
        assertThat(new String(first.payload(), decoded.authDataOffset(), 7, StandardCharsets.US_ASCII))
                .isEqualTo("lab51pw");
        assertThat(first.destination()).isEqualTo(GROUP);

        r1.engine.removeInstance("VI_1");
        FakeLan.Frame last = lan.framesFrom("r1").get(lan.framesFrom("r1").size() - 1);
        assertThat(last.priority()).isZero();
        assertThat(last.atMicros()).isEqualTo(10_000_000);
        assertThat(r1.log).contains("(VI_1) sent 0 priority", "(VI_1) removing VIPs.");
        loop.runPending();
        assertThat(r2.log).contains("(VI_1) Backup received priority 0 advertisement");

        loop.advance(609_374);
        assertThat(r2.state()).isEqualTo(InstanceState.BACKUP);
        loop.advance(1);
        assertThat(r2.state()).isEqualTo(InstanceState.MASTER);
        assertThat(lan.framesFrom("r2").get(0).atMicros()).isEqualTo(10_609_375);
        assertThat(lan.framesFrom("r2").get(0).priority()).isEqualTo(100);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(r1.events)
                .extracting(TransitionEvent::to, TransitionEvent::stopping)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(InstanceState.BACKUP, false),
                        org.assertj.core.groups.Tuple.tuple(InstanceState.MASTER, false),
                        org.assertj.core.groups.Tuple.tuple(InstanceState.INIT, true)));
    }

    @Test
    void aBadPacketChangesNothingButItsDropCounter() {
        Router r2 = router("r2", "192.0.2.12");
        r2.engine.addInstance(TestConfigs.v2(100).pass("lab51pw").build());
        loop.advance(1_000_000);
        VrrpInstance machine = r2.rt("VI_1").machine;
        long deadline = machine.masterDownDeadline();
        InetAddress peer = ip("192.0.2.13");

        lan.inject(peer, GROUP, advert(2, 51, 0, 100, "wrongpw"), 255);
        lan.inject(peer, GROUP, advert(2, 51, 0, 100, "lab51pw"), 254);
        lan.inject(peer, GROUP, advert(3, 51, 0, 100, ""), 255);
        lan.inject(peer, GROUP, advert(2, 51, 200, 200, "lab51pw"), 255);
        byte[] corrupt = advert(2, 51, 0, 100, "lab51pw");
        corrupt[7] ^= 0x01;
        lan.inject(peer, GROUP, corrupt, 255);
        loop.runPending();

        assertThat(machine.state()).isEqualTo(InstanceState.BACKUP);
        assertThat(machine.masterDownDeadline()).isEqualTo(deadline);
        assertThat(r2.status().counters().advertsReceived()).isZero();
        assertThat(r2.status().counters().priorityZeroReceived()).isZero();
        assertThat(r2.status().counters().dropped()).containsExactlyInAnyOrderEntriesOf(Map.of(
                ElectionEngine.DROP_AUTH, 1L, DecodeStatus.BAD_TTL.name(), 1L, ElectionEngine.DROP_VERSION, 1L,
                ElectionEngine.DROP_INTERVAL, 1L, DecodeStatus.BAD_CHECKSUM.name(), 1L));
        assertThat(r2.log).contains("(VI_1) received an invalid passwd!",
                "(VI_1) wrong version. Received 3 and expect 2",
                "(VI_1) advertisement interval mismatch mine=1 sec rcv'd=2 sec");

        // and a good one still works
        lan.inject(peer, GROUP, advert(2, 51, 150, 100, "lab51pw"), 255);
        loop.runPending();
        assertThat(machine.masterDownDeadline()).isEqualTo(1_000_000 + 3_609_375);
        assertThat(r2.status().counters().advertsReceived()).isEqualTo(1);
    }

    @Test
    void aFloodOfRejectsLogsOneLinePerReasonPerTenSeconds() {
        Router r2 = router("r2", "192.0.2.12");
        r2.engine.addInstance(TestConfigs.v2(100).pass("lab51pw").build());
        for (int i = 0; i < 100; i++) {
            lan.inject(ip("192.0.2.13"), GROUP, advert(2, 51, 150, 100, "wrongpw"), 255);
        }
        loop.runPending();
        assertThat(r2.log.stream().filter(l -> l.contains("invalid passwd"))).hasSize(1);
        loop.advance(10_000_000);
        lan.inject(ip("192.0.2.13"), GROUP, advert(2, 51, 150, 100, "wrongpw"), 255);
        loop.runPending();
        assertThat(r2.log).contains("(VI_1) received an invalid passwd! (99 more suppressed)");
        assertThat(r2.status().counters().dropped()).containsEntry(ElectionEngine.DROP_AUTH, 101L);
    }

    @Test
    void addressListMismatchIsLoggedButProcessed() {
        Router r2 = router("r2", "192.0.2.12");
        TestConfigs config = TestConfigs.v2(100).pass("lab51pw");
        config.vips = new ArrayList<>(List.of(TestConfigs.vip("192.0.2.248", 24)));
        r2.engine.addInstance(config.build());
        loop.advance(1_000_000);

        lan.inject(ip("192.0.2.13"), GROUP, advert(2, 51, 150, 100, "lab51pw"), 255);
        loop.runPending();
        assertThat(r2.log).contains(
                "(VI_1) ip address associated with VRID 51 not present in MASTER advert: 192.0.2.248");
        assertThat(r2.rt("VI_1").machine.masterDownDeadline()).isEqualTo(1_000_000 + 3_609_375);
        assertThat(r2.rt("VI_1").machine.counters.addressListMismatch).isEqualTo(1);
        assertThat(r2.status().counters().droppedTotal()).isZero();
    }

    @Test
    void anUnknownVridIsCountedSilently() {
        Router r2 = router("r2", "192.0.2.12");
        r2.engine.addInstance(TestConfigs.v2(100).pass("lab51pw").build());
        int linesBefore = r2.log.size();
        lan.inject(ip("192.0.2.13"), GROUP, advert(2, 77, 150, 100, "lab51pw"), 255);
        loop.runPending();
        assertThat(r2.engine.unknownVridCount()).isEqualTo(1);
        assertThat(r2.log).hasSize(linesBefore);
        assertThat(r2.status().counters().droppedTotal()).isZero();
    }

    @Test
    void withoutADriverInstancesFaultAndComeBackKeepingTheirCounters() {
        Router r1 = router("r1", "192.0.2.11");
        r1.engine.addInstance(TestConfigs.v2(150).pass("lab51pw").build());
        loop.advance(5_000_000);
        assertThat(r1.state()).isEqualTo(InstanceState.MASTER);
        long sentBefore = r1.status().counters().advertsSent();

        r1.engine.driverUnbound(r1.host);
        loop.runPending();
        assertThat(r1.state()).isEqualTo(InstanceState.FAULT);
        assertThat(r1.engine.activeDriver()).isEmpty();
        assertThat(lan.wire.get(lan.wire.size() - 1).priority()).isZero();
        assertThat(r1.host.openChannels()).isZero();
        int framesInFault = lan.wire.size();
        loop.advance(5_000_000);
        assertThat(lan.wire).hasSize(framesInFault);

        FakeLan.Host replacement = lan.host("r1-new", "192.0.2.11");
        r1.engine.driverBound(replacement);
        loop.runPending();
        assertThat(r1.state()).isEqualTo(InstanceState.BACKUP);
        assertThat(r1.engine.activeDriver()).contains("r1-new");
        loop.advance(3_414_062);
        assertThat(r1.state()).isEqualTo(InstanceState.MASTER);

        InstanceStatus status = r1.status();
        assertThat(status.counters().becameMaster()).isEqualTo(2);
        assertThat(status.counters().priorityZeroSent()).isEqualTo(1);
        assertThat(status.counters().advertsSent()).isEqualTo(sentBefore + 2);
    }

    @Test
    void aDriverSwapKeepsTheMasterWithoutATransitionOrPriorityZero() {
        Router r1 = router("r1", "192.0.2.11");
        Router r2 = router("r2", "192.0.2.12");
        r1.engine.addInstance(TestConfigs.v2(150).pass("lab51pw").build());
        r2.engine.addInstance(TestConfigs.v2(100).pass("lab51pw").build());
        loop.advance(5_000_000);
        int linesBefore = r1.log.size();

        FakeLan.Host better = lan.host("r1-pcap", "192.0.2.11");
        // SCR's greedy replacement: bind the new one, then unbind the old one
        r1.engine.driverBound(better);
        r1.engine.driverUnbound(r1.host);
        loop.advance(10_000_000);

        assertThat(r1.state()).isEqualTo(InstanceState.MASTER);
        assertThat(r2.state()).isEqualTo(InstanceState.BACKUP);
        assertThat(lan.wire).noneMatch(f -> f.priority() == 0);
        assertThat(r1.log.subList(linesBefore, r1.log.size())).noneMatch(l -> l.contains("Entering"));
        assertThat(r2.log).noneMatch(l -> l.contains("Entering MASTER"));
        assertThat(lan.framesFrom("r1-pcap")).extracting(FakeLan.Frame::atMicros).startsWith(5_414_062L);
        assertThat(r1.host.openChannels()).isZero();
        assertThat(r1.status().counters().becameMaster()).isEqualTo(1);
    }

    @Test
    void anInstanceWithoutItsAuthenticatorStaysInFault() {
        Router r1 = new Router("r1", "192.0.2.11", false);
        r1.engine.addInstance(TestConfigs.v2(150).pass("lab51pw").build());
        assertThat(r1.state()).isEqualTo(InstanceState.FAULT);
        loop.advance(5_000_000);
        assertThat(r1.state()).isEqualTo(InstanceState.FAULT);

        r1.engine.authenticatorAdded(new PassAuthenticator());
        loop.runPending();
        assertThat(r1.state()).isEqualTo(InstanceState.BACKUP);
    }

    @Test
    void linkDownFaultsTheMasterAndTheBackupTakesOver() {
        Router r1 = router("r1", "192.0.2.11");
        Router r2 = router("r2", "192.0.2.12");
        r1.engine.addInstance(TestConfigs.v2(150).pass("lab51pw").build());
        r2.engine.addInstance(TestConfigs.v2(100).pass("lab51pw").build());
        loop.advance(5_000_000);

        r1.host.setLink("eth0", false);
        loop.runPending();
        assertThat(r1.state()).isEqualTo(InstanceState.FAULT);
        assertThat(r1.log).contains("Netlink reports eth0 down", "(VI_1) Entering FAULT STATE");
        // the link is down: no priority 0 got out, so r2 waits the full master-down interval
        loop.advance(4_000_000);
        assertThat(r2.state()).isEqualTo(InstanceState.MASTER);

        r1.host.setLink("eth0", true);
        loop.runPending();
        assertThat(r1.state()).isEqualTo(InstanceState.BACKUP);
        loop.advance(5_000_000);
        assertThat(r1.state()).isEqualTo(InstanceState.MASTER);
        assertThat(r2.state()).isEqualTo(InstanceState.BACKUP);
    }

    @Test
    void aVipManagerGetsTheAddressesOfTheMaster() {
        Router r1 = router("r1", "192.0.2.11");
        RecordingVips vips = new RecordingVips();
        r1.engine.vipManagerBound(vips);
        r1.engine.addInstance(TestConfigs.v2(255).pass("lab51pw").build());

        assertThat(vips.held("VI_1")).containsExactly(TestConfigs.vip("192.0.2.249", 24));
        assertThat(r1.status().heldAddresses()).containsExactly("192.0.2.249/24");
        assertThat(r1.status().masterAddress()).isEqualTo("192.0.2.11");
        r1.engine.removeInstance("VI_1");
        assertThat(vips.held("VI_1")).isEmpty();
    }

    @Test
    void routesAndTheAnnouncementScheduleGoToTheVipManager() {
        Router r1 = router("r1", "192.0.2.11");
        RecordingVips vips = new RecordingVips();
        r1.engine.vipManagerBound(vips);
        Map<String, Object> p = new HashMap<>();
        p.put("name", "VI_1");
        p.put("interface", "eth0");
        p.put("virtual.router.id", 51);
        p.put("priority", 255);
        p.put("virtual.ipaddress", new String[] { "192.0.2.249/24" });
        p.put("virtual.routes", new String[] { "198.51.100.0/24 via 192.0.2.1" });
        p.put("garp.master.repeat", 2);
        r1.engine.addInstance(TypedConfigs.instance(p));

        VirtualRoute route = VirtualRoute.parse("198.51.100.0/24 via 192.0.2.1", "eth0");
        assertThat(vips.routes.get("VI_1")).containsExactly(route);
        assertThat(vips.announced).extracting(AnnouncePolicy::repeat).containsExactly(2);
        r1.engine.removeInstance("VI_1");
        assertThat(vips.routes.get("VI_1")).isEmpty();
    }

    @Test
    void aSyncGroupMovesTogether() {
        Router r1 = router("r1", "192.0.2.11");
        r1.engine.addSyncGroup("G1", List.of("VI_1", "VI_2"));
        r1.engine.addInstance(TestConfigs.v2(200).pass("lab51pw").build());
        TestConfigs second = TestConfigs.v2(50).pass("lab51pw").name("VI_2").vrid(52);
        second.iface = "eth1";
        r1.engine.addInstance(second.build());
        VrrpInstance first = r1.rt("VI_1").machine;
        VrrpInstance other = r1.rt("VI_2").machine;

        loop.advanceTo(3_218_750);
        assertThat(first.state()).isEqualTo(InstanceState.MASTER);
        assertThat(other.state()).isEqualTo(InstanceState.MASTER);
        assertThat(lan.wire).extracting(FakeLan.Frame::vrid, FakeLan.Frame::atMicros).contains(
                org.assertj.core.groups.Tuple.tuple(52, 3_218_750L));

        r1.host.setLink("eth1", false);
        loop.runPending();
        assertThat(other.state()).isEqualTo(InstanceState.FAULT);
        assertThat(first.state()).isEqualTo(InstanceState.FAULT);

        r1.host.setLink("eth1", true);
        loop.runPending();
        assertThat(first.state()).isEqualTo(InstanceState.BACKUP);
        assertThat(other.state()).isEqualTo(InstanceState.BACKUP);

        // a higher master for one member sends both back to backup
        loop.advance(4_000_000);
        assertThat(first.state()).isEqualTo(InstanceState.MASTER);
        lan.inject(ip("192.0.2.13"), GROUP, advert(2, 51, 254, 100, "lab51pw"), 255);
        loop.runPending();
        assertThat(first.state()).isEqualTo(InstanceState.BACKUP);
        assertThat(other.state()).isEqualTo(InstanceState.BACKUP);

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(r1.events)
                .filteredOn(e -> e.kind() == TransitionEvent.Kind.GROUP)
                .extracting(TransitionEvent::to).containsSubsequence(InstanceState.MASTER, InstanceState.FAULT,
                        InstanceState.BACKUP));
    }

    @Test
    void anUpdateOfTheSameIdentityKeepsTheStateAndAppliesTheVips() {
        Router r1 = router("r1", "192.0.2.11");
        RecordingVips vips = new RecordingVips();
        r1.engine.vipManagerBound(vips);
        r1.engine.addInstance(TestConfigs.v2(255).pass("lab51pw").build());
        long sent = r1.status().counters().advertsSent();

        TestConfigs changed = TestConfigs.v2(255).pass("lab51pw");
        changed.vips.add(TestConfigs.vip("192.0.2.250", 24));
        r1.engine.updateInstance("VI_1", changed.build());

        assertThat(r1.state()).isEqualTo(InstanceState.MASTER);
        assertThat(vips.held("VI_1")).containsExactlyInAnyOrder(TestConfigs.vip("192.0.2.249", 24),
                TestConfigs.vip("192.0.2.250", 24));
        assertThat(r1.status().counters().advertsSent()).isEqualTo(sent);
        assertThat(lan.wire).noneMatch(f -> f.priority() == 0);

        TestConfigs moved = TestConfigs.v2(255).pass("lab51pw").vrid(60);
        r1.engine.updateInstance("VI_1", moved.build());
        assertThat(lan.wire).anyMatch(f -> f.priority() == 0 && f.vrid() == 51);
        assertThat(r1.rt("VI_1").config.vrid()).isEqualTo(60);
    }

    @Test
    void ipv6RoutersElectOverLinkLocalAddresses() {
        Router r1 = router("r1", "192.0.2.11");
        Router r2 = router("r2", "192.0.2.12");
        for (Router r : List.of(r1, r2)) {
            TestConfigs c = TestConfigs.v3(r == r1 ? 150 : 100, 100).name("VI_6");
            c.family = org.vigil.api.vrrp.IpFamily.IPV6;
            c.vips = new ArrayList<>(List.of(new VirtualAddress(ip("2001:db8::249"), 64, "eth0", null, null, null, true)));
            r.engine.addInstance(c.build());
        }
        loop.advance(8_000_000);

        assertThat(r1.rt("VI_6").machine.state()).isEqualTo(InstanceState.MASTER);
        assertThat(r2.rt("VI_6").machine.state()).isEqualTo(InstanceState.BACKUP);
        assertThat(r2.engine.instance("VI_6").orElseThrow().masterAddress()).isEqualTo("fe80:0:0:0:0:0:0:b");
        FakeLan.Frame frame = lan.framesFrom("r1").get(0);
        assertThat(frame.destination()).isEqualTo(VrrpCodec.IPV6_MULTICAST_GROUP);
        assertThat(r2.engine.instance("VI_6").orElseThrow().counters().droppedTotal()).isZero();
    }

    static final class RecordingVips implements VipManager {
        private final Map<String, Set<VirtualAddress>> held = new HashMap<>();
        final Map<String, Set<VirtualRoute>> routes = new HashMap<>();
        final List<AnnouncePolicy> announced = new ArrayList<>();

        @Override
        public void acquire(String instance, Collection<VirtualAddress> addresses, Collection<VirtualRoute> routes,
                AnnouncePolicy policy) {
            held.computeIfAbsent(instance, k -> new HashSet<>()).addAll(addresses);
            this.routes.computeIfAbsent(instance, k -> new HashSet<>()).addAll(routes);
            announced.add(policy);
        }

        @Override
        public void release(String instance, Collection<VirtualAddress> addresses, Collection<VirtualRoute> routes) {
            held.computeIfAbsent(instance, k -> new HashSet<>()).removeAll(addresses);
            this.routes.computeIfAbsent(instance, k -> new HashSet<>()).removeAll(routes);
        }

        @Override
        public void announce(String instance, AnnouncePolicy policy) {
            announced.add(policy);
        }

        @Override
        public Set<VirtualAddress> held(String instance) {
            return Set.copyOf(held.getOrDefault(instance, Set.of()));
        }
    }
}
