package org.vigil.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.vigil.core.internal.TestConfigs.ip;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.vigil.api.auth.AhSession;
import org.vigil.api.auth.AuthKey;
import org.vigil.api.auth.AuthType;
import org.vigil.api.driver.ReceivedPacket;
import org.vigil.api.vrrp.InstanceState;
import org.vigil.auth.internal.AhAuthenticator;
import org.vigil.auth.internal.PassAuthenticator;
import org.vigil.codec.ChecksumForm;
import org.vigil.codec.VrrpCodec;

/** auth_type AH end to end: engines with the real codec and authenticators on the in-memory LAN. */
class AhElectionTest {
    /** keepalived 2.2.7's first AH advert for the same inputs (lab.md section 7), kernel checksum included. */
    private static final String KEEPALIVED_FIRST_ADVERT = "45c0004000010000ff3318acc000020be0000012"
            + "70040000c000020b0000000132a0db072ff371c5c320ff6f21339601020183d0c00002f90000000000000000";
    private static final InetAddress GROUP = VrrpCodec.IPV4_MULTICAST_GROUP;
    private static final String ICV_FAILED =
            "(VI_1) IPSEC-AH : invalid IPSEC HMAC-MD5 value. Due to fields mutation or bad password !";

    private final ManualLoop loop = new ManualLoop();
    private final FakeLan lan = new FakeLan(loop::nowMicros);
    private final List<Router> routers = new ArrayList<>();

    final class Router extends LanRouter {
        Router(String name, String address) {
            super(loop, lan, name, address);
            engine.authenticatorAdded(new PassAuthenticator());
            engine.authenticatorAdded(new AhAuthenticator());
            loop.runPending();
            routers.add(this);
        }

        AhSession session() {
            return (AhSession) engine.runtime("VI_1").session;
        }

        /** What the driver would hand over: straight to this router's open channel. */
        void receive(byte[] ipHeader, byte[] payload) {
            FakeLan.Channel c = host.opened.get(host.opened.size() - 1);
            c.listener.received(new ReceivedPacket("eth0", address(ipHeader, 12), address(ipHeader, 16),
                    ipHeader[8] & 0xff, ipHeader[9] & 0xff, ipHeader.clone(), payload.clone(), 0, payload.length,
                    System.nanoTime()));
            loop.runPending();
        }
    }

    @AfterEach
    void closeNotifiers() {
        routers.forEach(r -> r.notifier.close(1_000));
    }

    private static TestConfigs ah(int priority, String password) {
        TestConfigs c = TestConfigs.v2(priority);
        c.authType = AuthType.AH;
        c.pass = password;
        return c;
    }

    private static InetAddress address(byte[] b, int off) {
        try {
            return InetAddress.getByAddress(Arrays.copyOfRange(b, off, off + 4));
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long sequence(FakeLan.Frame f) {
        byte[] p = f.payload();
        return ((p[8] & 0xffL) << 24) | ((p[9] & 0xff) << 16) | ((p[10] & 0xff) << 8) | (p[11] & 0xff);
    }

    private static int ipId(FakeLan.Frame f) {
        return ((f.ipHeader()[4] & 0xff) << 8) | (f.ipHeader()[5] & 0xff);
    }

    private static byte[] datagram(FakeLan.Frame f) {
        byte[] d = Arrays.copyOf(f.ipHeader(), f.ipHeader().length + f.payload().length);
        System.arraycopy(f.payload(), 0, d, f.ipHeader().length, f.payload().length);
        return d;
    }

    @Test
    void anAdvertDroppedAfterItsAhCheckDoesNotMoveTheReplayCounter() {
        // r2 advertises every 2 s: keepalived's 1 s advert passes AH, then fails the interval check
        Router r2 = new Router("r2", "192.0.2.12");
        TestConfigs slow = ah(100, "lab51pw");
        slow.advertCs = 200;
        r2.engine.addInstance(slow.build());
        byte[] datagram = HexFormat.of().parseHex(KEEPALIVED_FIRST_ADVERT);
        r2.receive(Arrays.copyOf(datagram, 20), Arrays.copyOfRange(datagram, 20, datagram.length));

        assertThat(r2.status().counters().dropped()).containsEntry(ElectionEngine.DROP_INTERVAL, 1L);
        assertThat(r2.session().sequenceNumber()).as("sequence 1 was never accepted").isZero();
    }

    @Test
    void twoAhRoutersElectAndTheFirstAdvertIsKeepalivedsFrame() {
        Router r1 = new Router("r1", "192.0.2.11");
        Router r2 = new Router("r2", "192.0.2.12");
        r1.engine.addInstance(ah(150, "lab51pw").build());
        r2.engine.addInstance(ah(100, "lab51pw").build());
        assertThat(r1.host.opened.get(0).spec.protocol()).isEqualTo(51);

        loop.advance(10_000_000);

        assertThat(r1.state()).isEqualTo(InstanceState.MASTER);
        assertThat(r2.state()).isEqualTo(InstanceState.BACKUP);
        List<FakeLan.Frame> sent = lan.framesFrom("r1");
        assertThat(HexFormat.of().formatHex(datagram(sent.get(0)))).isEqualTo(KEEPALIVED_FIRST_ADVERT);
        assertThat(sent).extracting(AhElectionTest::ipId).startsWith(1, 2, 3);
        assertThat(sent).extracting(AhElectionTest::sequence).startsWith(1L, 2L, 3L);
        assertThat(r2.status().counters().advertsReceived()).isEqualTo(sent.size());
        assertThat(r2.status().counters().dropped()).isEmpty();
        assertThat(r2.status().masterAddress()).isEqualTo("192.0.2.11");
        assertThat(r2.session().sequenceNumber()).isEqualTo(sent.size());
    }

    @Test
    void theNewMasterCarriesOnFromTheSequenceItLastAccepted() {
        Router r1 = new Router("r1", "192.0.2.11");
        Router r2 = new Router("r2", "192.0.2.12");
        r1.engine.addInstance(ah(150, "lab51pw").build());
        r2.engine.addInstance(ah(100, "lab51pw").build());
        loop.advance(10_000_000);

        r1.engine.removeInstance("VI_1");
        loop.advance(2_000_000);

        assertThat(r2.state()).isEqualTo(InstanceState.MASTER);
        List<FakeLan.Frame> fromR1 = lan.framesFrom("r1");
        FakeLan.Frame last = fromR1.get(fromR1.size() - 1);
        assertThat(last.priority()).isZero();
        // keepalived's one counter per instance: the backup raised it with every advert it accepted
        assertThat(sequence(lan.framesFrom("r2").get(0))).isEqualTo(sequence(last) + 1);
        assertThat(ipId(lan.framesFrom("r2").get(0))).as("the IP ID is the router's own").isEqualTo(1);

        // r1 back at 150 preempts: it accepts r2's adverts, so its own continue above them
        r1.engine.addInstance(ah(150, "lab51pw").build());
        loop.advance(5_000_000);
        assertThat(r1.state()).isEqualTo(InstanceState.MASTER);
        assertThat(r2.state()).isEqualTo(InstanceState.BACKUP);
        assertThat(r2.status().counters().dropped()).isEmpty();
    }

    @Test
    void aWrongPasswordIsDroppedCountedAndLoggedAsKeepalivedDoes() {
        Router r1 = new Router("r1", "192.0.2.11");
        Router r2 = new Router("r2", "192.0.2.12");
        r1.engine.addInstance(ah(150, "lab51pw").build());
        r2.engine.addInstance(ah(100, "other").build());
        loop.advance(10_000_000);

        // as in the lab with a wrong auth_pass: both become master
        assertThat(r1.state()).isEqualTo(InstanceState.MASTER);
        assertThat(r2.state()).isEqualTo(InstanceState.MASTER);
        assertThat(r2.log).contains(ICV_FAILED);
        assertThat(r1.log).contains(ICV_FAILED);
        assertThat(r2.status().counters().dropped().get(ElectionEngine.DROP_AUTH)).isGreaterThan(5);
        assertThat(r2.log.stream().filter(l -> l.startsWith("(VI_1) IPSEC-AH : invalid"))).as("rate-limited").hasSize(1);
    }

    @Test
    void aReplayedAdvertIsDropped() {
        Router r1 = new Router("r1", "192.0.2.11");
        Router r2 = new Router("r2", "192.0.2.12");
        r1.engine.addInstance(ah(150, "lab51pw").build());
        r2.engine.addInstance(ah(100, "lab51pw").build());
        loop.advance(5_000_000);
        FakeLan.Frame old = lan.framesFrom("r1").get(0);
        long accepted = r2.status().counters().advertsReceived();

        r2.receive(old.ipHeader(), old.payload());

        assertThat(r2.status().counters().advertsReceived()).isEqualTo(accepted);
        assertThat(r2.status().counters().dropped()).containsEntry(ElectionEngine.DROP_AUTH, 1L);
        assertThat(r2.log).contains("(VI_1) IPSEC-AH : sequence number 1 already processed. Packet dropped. Local("
                + r2.session().sequenceNumber() + ")");
    }

    @Test
    void aTamperedPriorityWithAGoodVrrpChecksumFailsTheIcv() {
        Router r1 = new Router("r1", "192.0.2.11");
        Router r2 = new Router("r2", "192.0.2.12");
        r1.engine.addInstance(ah(150, "lab51pw").build());
        r2.engine.addInstance(ah(100, "lab51pw").build());
        loop.advance(5_000_000);
        FakeLan.Frame f = lan.framesFrom("r1").get(lan.framesFrom("r1").size() - 1);

        byte[] payload = f.payload();
        // priority 200 with a VRRP checksum to match: only the ICV can tell
        payload[24 + 2] = (byte) 200;
        payload[24 + 6] = 0;
        payload[24 + 7] = 0;
        int sum = VrrpCodec.internetChecksum(payload, 24, payload.length - 24);
        payload[24 + 6] = (byte) (sum >>> 8);
        payload[24 + 7] = (byte) sum;
        r2.receive(f.ipHeader(), payload);

        assertThat(r2.log).contains(ICV_FAILED);
        assertThat(r2.state()).isEqualTo(InstanceState.BACKUP);
        assertThat(r2.status().counters().dropped()).containsEntry(ElectionEngine.DROP_AUTH, 1L);
    }

    @Test
    void ahAgainstPassIsAnAuthTypeMismatchOnBothSides() {
        Router r1 = new Router("r1", "192.0.2.11");
        Router r2 = new Router("r2", "192.0.2.12");
        r1.engine.addInstance(ah(150, "lab51pw").build());
        r2.engine.addInstance(TestConfigs.v2(100).pass("lab51pw").build());
        loop.advance(10_000_000);

        assertThat(r1.state()).isEqualTo(InstanceState.MASTER);
        assertThat(r2.state()).isEqualTo(InstanceState.MASTER);
        assertThat(r2.log).contains("(VI_1) Received AH header but auth type not AH");
        assertThat(r1.log).contains("(VI_1) No AH header but auth type is AH");
        assertThat(r1.status().counters().dropped()).containsOnlyKeys(ElectionEngine.DROP_AUTH_TYPE);
        assertThat(r2.status().counters().dropped()).containsOnlyKeys(ElectionEngine.DROP_AUTH_TYPE);
    }

    @Test
    void aMasterHearingALowerPriorityResyncsItsCounter() {
        Router r1 = new Router("r1", "192.0.2.11");
        r1.engine.addInstance(ah(150, "lab51pw").build());
        loop.advance(5_000_000);
        assertThat(r1.state()).isEqualTo(InstanceState.MASTER);
        long before = r1.session().sequenceNumber();

        // a lower-priority router whose counter ran ahead, e.g. a backup that heard an older master
        AhSession other = (AhSession) new AhAuthenticator().newSession(AuthKey.of("lab51pw"));
        for (int i = 0; i < 40; i++) {
            other.nextAdvert();
        }
        byte[] vrrp = new byte[VrrpCodec.MAX_LENGTH];
        int len = VrrpCodec.encode(2, 51, 100, 100, 2, new byte[8], ip("192.0.2.249").getAddress(), false,
                ChecksumForm.V2, null, null, vrrp, 0);
        byte[] d = new byte[AhSession.OVERHEAD + len];
        other.buildDatagram(vrrp, 0, len, (Inet4Address) ip("192.0.2.13"), (Inet4Address) GROUP, false, d, 0);
        r1.receive(Arrays.copyOf(d, 20), Arrays.copyOfRange(d, 20, d.length));

        assertThat(before).isLessThan(40);
        assertThat(r1.log).containsSubsequence(
                "(VI_1) Received advert from 192.0.2.13 with lower priority 100, ours 150, forcing new election",
                "(VI_1) IPSEC-AH : Syncing seq_num - Increment seq");
        List<FakeLan.Frame> sent = lan.framesFrom("r1");
        // resynced to 40 + 1, then the answering advert counts one more
        assertThat(sequence(sent.get(sent.size() - 1))).isEqualTo(42);
        assertThat(r1.state()).isEqualTo(InstanceState.MASTER);
    }

    @Test
    void theSessionAndItsCountersSurviveADriverSwap() {
        Router r1 = new Router("r1", "192.0.2.11");
        r1.engine.addInstance(ah(150, "lab51pw").build());
        loop.advance(5_000_000);
        AhSession session = r1.session();
        long seq = session.sequenceNumber();

        FakeLan.Host other = lan.host("r1b", "192.0.2.11");
        r1.engine.driverBound(other);
        loop.advance(1_000_000);

        assertThat(r1.session()).isSameAs(session);
        List<FakeLan.Frame> sent = lan.framesFrom("r1b");
        assertThat(sent).isNotEmpty();
        assertThat(sequence(sent.get(0))).isEqualTo(seq + 1);
    }
}
