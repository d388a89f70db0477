package org.vigil.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.vigil.api.auth.HmacMode;
import org.vigil.api.auth.HmacSettings;
import org.vigil.api.vrrp.InstanceState;
import org.vigil.auth.internal.HmacTrailerAuthenticator;
import org.vigil.codec.VrrpCodec;

/** auth_hmac end to end: engines with the real codec and the real trailer on the in-memory LAN. */
class HmacElectionTest {
    private static final byte[] KEY = HexFormat.of().parseHex(
            "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
    private static final byte[] OTHER_KEY = HexFormat.of().parseHex(
            "ff0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
    /** One VIP, v3 over IPv4: 8 + 4 bytes of message, then the trailer. */
    private static final int SIGNED_V3 = 12 + 28;

    private final ManualLoop loop = new ManualLoop();
    private final FakeLan lan = new FakeLan(loop::nowMicros);
    private final List<Router> routers = new ArrayList<>();

    final class Router extends LanRouter {
        final HmacTrailerAuthenticator hmacAuthenticator = new HmacTrailerAuthenticator();

        Router(String name, String address) {
            super(loop, lan, name, address);
            engine.hmacAuthenticatorAdded(hmacAuthenticator);
            loop.runPending();
            routers.add(this);
        }
    }

    @AfterEach
    void closeNotifiers() {
        routers.forEach(r -> r.notifier.close(1_000));
    }

    private static TestConfigs hmac(int priority, byte[] key, HmacMode mode) {
        TestConfigs c = TestConfigs.v3(priority, 100);
        c.hmac = new HmacSettings(Map.of(1, key), 1, true, 5, mode);
        return c;
    }

    /** An unsigned v3 advert for VRID 51 at {@code priority}, as a node without auth_hmac sends it. */
    private static byte[] unsigned(int priority) {
        byte[] out = new byte[12];
        VrrpCodec.encode(3, 51, priority, 100, 0, null, TestConfigs.ip("192.0.2.249").getAddress(), false,
                org.vigil.codec.ChecksumForm.V3_PSEUDO_HEADER, TestConfigs.ip("192.0.2.66").getAddress(),
                VrrpCodec.IPV4_MULTICAST_GROUP.getAddress(), out, 0);
        return out;
    }

    @Test
    void twoSigningRoutersElectAndEveryAdvertCarriesTheTrailer() {
        Router r1 = new Router("r1", "192.0.2.11");
        Router r2 = new Router("r2", "192.0.2.12");
        r1.engine.addInstance(hmac(150, KEY, HmacMode.ENFORCE).build());
        r2.engine.addInstance(hmac(100, KEY, HmacMode.ENFORCE).build());
        loop.advance(10_000_000);

        assertThat(r1.state()).isEqualTo(InstanceState.MASTER);
        assertThat(r2.state()).isEqualTo(InstanceState.BACKUP);
        List<FakeLan.Frame> sent = lan.framesFrom("r1");
        assertThat(sent).isNotEmpty().allSatisfy(f -> {
            assertThat(f.payload()).hasSize(SIGNED_V3);
            assertThat(f.payload()[12]).as("scheme HMAC-SHA256/128").isEqualTo((byte) 1);
            assertThat(f.payload()[13]).as("key id").isEqualTo((byte) 1);
        });
        assertThat(r2.status().counters().advertsReceived()).isEqualTo(sent.size());
        assertThat(r2.status().counters().dropped()).isEmpty();
    }

    @Test
    void enforceDropsAnUnsignedAdvertPermissiveHearsIt() {
        Router r1 = new Router("r1", "192.0.2.11");
        r1.engine.addInstance(hmac(150, KEY, HmacMode.ENFORCE).build());
        loop.advance(5_000_000);
        assertThat(r1.state()).isEqualTo(InstanceState.MASTER);

        // an off-segment attacker's advert at priority 254 would demote the master
        lan.inject(TestConfigs.ip("192.0.2.66"), VrrpCodec.IPV4_MULTICAST_GROUP, unsigned(254), 255);
        loop.runPending();
        assertThat(r1.state()).isEqualTo(InstanceState.MASTER);
        assertThat(r1.status().counters().dropped()).containsEntry(ReceiveDrop.HMAC_MISSING.name(), 1L);
        assertThat(r1.log).anyMatch(l -> l.contains("auth_hmac: advert without a trailer from 192.0.2.66"));
    }

    @Test
    void permissiveHearsAnUnsignedAdvert() {
        Router r2 = new Router("r2", "192.0.2.12");
        r2.engine.addInstance(hmac(150, KEY, HmacMode.PERMISSIVE).build());
        loop.advance(5_000_000);
        assertThat(r2.state()).isEqualTo(InstanceState.MASTER);
        lan.inject(TestConfigs.ip("192.0.2.66"), VrrpCodec.IPV4_MULTICAST_GROUP, unsigned(254), 255);
        loop.runPending();
        assertThat(r2.state()).as("permissive accepts the unsigned advert").isEqualTo(InstanceState.BACKUP);
        assertThat(r2.status().counters().dropped()).isEmpty();
    }

    @Test
    void aReplayedAdvertIsDroppedAndAWrongKeySplitsTheRouters() {
        Router r1 = new Router("r1", "192.0.2.11");
        Router r2 = new Router("r2", "192.0.2.12");
        r1.engine.addInstance(hmac(150, KEY, HmacMode.ENFORCE).build());
        r2.engine.addInstance(hmac(100, KEY, HmacMode.ENFORCE).build());
        loop.advance(5_000_000);
        byte[] captured = lan.framesFrom("r1").get(0).payload();
        lan.inject(TestConfigs.ip("192.0.2.11"), VrrpCodec.IPV4_MULTICAST_GROUP, captured, 255);
        loop.runPending();
        assertThat(r2.status().counters().dropped()).containsEntry(ReceiveDrop.HMAC_REPLAY.name(), 1L);
        assertThat(r2.state()).isEqualTo(InstanceState.BACKUP);

        // a captured advert spliced onto another source fails the HMAC: the source is bound into it
        byte[] spliced = withChecksumFrom(captured, "192.0.2.13");
        lan.inject(TestConfigs.ip("192.0.2.13"), VrrpCodec.IPV4_MULTICAST_GROUP, spliced, 255);
        loop.runPending();
        assertThat(r2.status().counters().dropped()).containsEntry(ReceiveDrop.HMAC_BAD_HMAC.name(), 1L);

        Router r3 = new Router("r3", "192.0.2.13");
        r3.engine.addInstance(hmac(120, OTHER_KEY, HmacMode.ENFORCE).build());
        loop.advance(5_000_000);
        assertThat(r3.state()).as("it hears nobody it can verify").isEqualTo(InstanceState.MASTER);
        assertThat(r3.status().counters().dropped().get(ReceiveDrop.HMAC_BAD_HMAC.name())).isGreaterThan(3);
    }

    /** The advert with the v3 checksum a sender at {@code source} would have written, so only the HMAC can tell. */
    private static byte[] withChecksumFrom(byte[] advert, String source) {
        byte[] out = advert.clone();
        byte[] sum = new byte[12 + 12];
        System.arraycopy(TestConfigs.ip(source).getAddress(), 0, sum, 0, 4);
        System.arraycopy(VrrpCodec.IPV4_MULTICAST_GROUP.getAddress(), 0, sum, 4, 4);
        sum[9] = (byte) VrrpCodec.IP_PROTOCOL;
        sum[11] = 12;
        out[6] = 0;
        out[7] = 0;
        System.arraycopy(out, 0, sum, 12, 12);
        int c = VrrpCodec.internetChecksum(sum, 0, sum.length);
        out[6] = (byte) (c >>> 8);
        out[7] = (byte) c;
        return out;
    }

    @Test
    void receiveOnlySendsNoTrailerButVerifiesTheOnesItHears() {
        Router r1 = new Router("r1", "192.0.2.11");
        Router r2 = new Router("r2", "192.0.2.12");
        r1.engine.addInstance(hmac(150, KEY, HmacMode.PERMISSIVE).build());
        r2.engine.addInstance(hmac(100, KEY, HmacMode.RECEIVE_ONLY).build());
        loop.advance(10_000_000);
        assertThat(r1.state()).isEqualTo(InstanceState.MASTER);
        assertThat(r2.state()).isEqualTo(InstanceState.BACKUP);
        assertThat(r2.status().counters().dropped()).isEmpty();

        r1.engine.removeInstance("VI_1");
        loop.advance(5_000_000);
        assertThat(r2.state()).isEqualTo(InstanceState.MASTER);
        List<FakeLan.Frame> fromR2 = lan.framesFrom("r2");
        assertThat(fromR2.get(fromR2.size() - 1).payload()).as("no trailer").hasSize(12);
    }

    @Test
    void aNodeWithoutAuthHmacDropsASignedAdvertAsKeepalived227Does() {
        Router r1 = new Router("r1", "192.0.2.11");
        Router old = new Router("r2", "192.0.2.12");
        r1.engine.addInstance(hmac(150, KEY, HmacMode.ENFORCE).build());
        old.engine.addInstance(TestConfigs.v3(100, 100).build());
        loop.advance(5_000_000);
        assertThat(old.status().counters().dropped().get(ReceiveDrop.BAD_LENGTH.name())).isGreaterThan(1);
    }

    @Test
    void withoutTheAuthenticatorAnAuthHmacInstanceWaitsInFault() {
        Router r1 = new Router("r1", "192.0.2.11");
        r1.engine.hmacAuthenticatorRemoved(r1.hmacAuthenticator);
        loop.runPending();
        r1.engine.addInstance(hmac(150, KEY, HmacMode.ENFORCE).build());
        loop.advance(5_000_000);
        assertThat(r1.state()).isEqualTo(InstanceState.FAULT);
        assertThat(lan.framesFrom("r1")).isEmpty();
        r1.engine.hmacAuthenticatorAdded(new HmacTrailerAuthenticator());
        loop.advance(5_000_000);
        assertThat(r1.state()).isEqualTo(InstanceState.MASTER);
    }
}
