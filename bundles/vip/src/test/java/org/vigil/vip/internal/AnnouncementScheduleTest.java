package org.vigil.vip.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.vigil.vip.internal.RtnlTest.ip;

import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.vigil.api.driver.ChannelSpec;
import org.vigil.api.driver.InterfaceDriver;
import org.vigil.api.driver.LinkInfo;
import org.vigil.api.driver.LinkListener;
import org.vigil.api.driver.PacketChannel;
import org.vigil.api.driver.PacketListener;
import org.vigil.api.vip.AnnouncePolicy;
import org.vigil.api.vip.VirtualAddress;

/**
 * The GARP/NA schedule with a recording driver, on an interface that does not exist: the
 * netlink part fails quietly (no interface) and changes nothing, so this runs without root.
 */
class AnnouncementScheduleTest {

    private static final String NO_SUCH_DEVICE = "vigil-none9";
    private static final byte[] MAC = HexFormat.of().parseHex("020000000011");
    private static final VirtualAddress V4 = new VirtualAddress(ip("192.0.2.249"), 24, NO_SUCH_DEVICE, null, null,
            null, false);
    private static final VirtualAddress V6 = new VirtualAddress(ip("2001:db8::249"), 64, NO_SUCH_DEVICE, null, null,
            null, true);
    private static final Duration DEADLINE = Duration.ofSeconds(5);

    private final RecordingDriver driver = new RecordingDriver();
    private final NetlinkVipManager manager = new NetlinkVipManager(Thread::new, true);

    {
        manager.macs = device -> MAC;
        manager.bindDriver(driver);
    }

    @AfterEach
    void stop() {
        manager.deactivate();
    }

    @Test
    void repeatFramesNowAndAgainAfterTheDelay() throws Exception {
        AnnouncePolicy policy = new AnnouncePolicy(Duration.ofMillis(300), 2, Duration.ZERO, 1, Duration.ZERO,
                Duration.ZERO);
        manager.acquire("VI_1", List.of(V4, V6), List.of(), policy);
        manager.awaitIdle();

        assertThat(manager.held("VI_1")).containsExactlyInAnyOrder(V4, V6);
        assertThat(driver.frames).hasSize(4);
        byte[] garp = driver.frames.get(0);
        // keepalived's gratuitous ARP (shared/reference/lab.md section 7) with this MAC
        assertThat(HexFormat.of().formatHex(garp))
                .isEqualTo("ffffffffffff020000000011080600010800060400010200000000" + "11c00002f9ffffffffffffc00002f9");
        assertThat(driver.frames.get(1)[12]).as("NA ethertype").isEqualTo((byte) 0x86);
        await().atMost(DEADLINE).until(() -> driver.frames.size() == 8);
    }

    @Test
    void garpExtraIfRefreshesOnlyTheAddressesOnOtherInterfacesUnlessAll() throws Exception {
        VirtualAddress other = new VirtualAddress(ip("198.51.100.9"), 24, "vigil-none8", null, null, null, false);
        AnnouncePolicy policy = new AnnouncePolicy(Duration.ZERO, 1, Duration.ZERO, 1, Duration.ZERO, Duration.ZERO)
                .withExtraInterfaces(Duration.ofMillis(100), false, NO_SUCH_DEVICE);
        manager.acquire("VI_1", List.of(V4, other), List.of(), policy);
        await().atMost(DEADLINE).until(() -> driver.frames.size() >= 5);
        // the first burst has both; every later frame is the other interface's address (c6336409)
        // a copy first: the refresh keeps adding frames, and a sublist of the live list then fails
        assertThat(List.copyOf(driver.frames).subList(2, 5)).allSatisfy(f -> assertThat(HexFormat.of().formatHex(f))
                .endsWith("c6336409ffffffffffffc6336409"));

        manager.release("VI_1", List.of(V4, other), List.of());
        manager.awaitIdle();
        driver.frames.clear();
        manager.acquire("VI_1", List.of(V4), List.of(), policy.withExtraInterfaces(Duration.ofMillis(100), true,
                NO_SUCH_DEVICE));
        await().atMost(DEADLINE).until(() -> driver.frames.size() >= 3);
        assertThat(driver.frames).as("with all, the instance's own interface too")
                .allSatisfy(f -> assertThat(HexFormat.of().formatHex(f)).endsWith("c00002f9ffffffffffffc00002f9"));
    }

    @Test
    void releaseCancelsTheDelayedBurstAndTheRefresh() throws Exception {
        AnnouncePolicy policy = new AnnouncePolicy(Duration.ofMillis(400), 1, Duration.ofMillis(100), 1, Duration.ZERO,
                Duration.ZERO);
        manager.acquire("VI_1", List.of(V4), List.of(), policy);
        // refresh bursts arrive every 100 ms
        await().atMost(DEADLINE).until(() -> driver.frames.size() >= 3);
        manager.release("VI_1", List.of(V4), List.of());
        manager.awaitIdle();
        int afterRelease = driver.frames.size();

        assertThat(manager.held("VI_1")).isEmpty();
        // a refresh period and the delay both pass without another frame
        await().during(Duration.ofMillis(600)).atMost(DEADLINE).until(() -> driver.frames.size() == afterRelease);
    }

    @Test
    void spacedFramesFollowTheInterval() throws Exception {
        AnnouncePolicy policy = new AnnouncePolicy(Duration.ZERO, 3, Duration.ZERO, 1, Duration.ofMillis(100),
                Duration.ZERO);
        long start = System.nanoTime();
        manager.acquire("VI_1", List.of(V4), List.of(), policy);
        await().atMost(DEADLINE).until(() -> driver.frames.size() == 3);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(200));
    }

    @Test
    void announceRepeatsTheHeldAddressesWithoutTouchingThem() throws Exception {
        manager.acquire("VI_1", List.of(V4), List.of(), AnnouncePolicy.NONE);
        manager.awaitIdle();
        assertThat(driver.frames).isEmpty();

        manager.announce("VI_1", new AnnouncePolicy(Duration.ZERO, 2, Duration.ZERO, 0, Duration.ZERO, Duration.ZERO));
        manager.awaitIdle();
        assertThat(driver.frames).hasSize(2);
        manager.announce("VI_2", AnnouncePolicy.DEFAULT);
        manager.awaitIdle();
        assertThat(driver.frames).as("nothing held for VI_2").hasSize(2);
    }

    @Test
    void withoutADriverNothingIsSentAndNothingBreaks() throws Exception {
        manager.unbindDriver(driver);
        manager.acquire("VI_1", List.of(V4), List.of(), AnnouncePolicy.DEFAULT);
        manager.awaitIdle();
        assertThat(driver.frames).isEmpty();
        assertThat(manager.held("VI_1")).containsExactly(V4);
    }

    /** Records the frames; opens nothing. */
    static final class RecordingDriver implements InterfaceDriver {
        final List<byte[]> frames = new CopyOnWriteArrayList<>();

        @Override
        public String name() {
            return "recording";
        }

        @Override
        public PacketChannel open(ChannelSpec spec, PacketListener listener) throws IOException {
            throw new IOException("not here");
        }

        @Override
        public Optional<LinkInfo> link(String interfaceName) {
            return Optional.empty();
        }

        @Override
        public AutoCloseable watchLinks(LinkListener listener) {
            return () -> { };
        }

        @Override
        public void sendFrame(String interfaceName, byte[] frame, int offset, int length) {
            frames.add(Arrays.copyOfRange(frame, offset, offset + length));
        }
    }
}
