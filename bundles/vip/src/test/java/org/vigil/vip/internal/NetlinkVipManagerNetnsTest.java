package org.vigil.vip.internal;

import org.vigil.testing.netns.NamespaceThread;

import org.vigil.testing.netns.NetnsLab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.vigil.vip.internal.RtnlTest.ip;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.vigil.api.driver.ChannelSpec;
import org.vigil.api.driver.InterfaceDriver;
import org.vigil.api.driver.LinkInfo;
import org.vigil.api.driver.LinkListener;
import org.vigil.api.driver.PacketChannel;
import org.vigil.api.driver.PacketListener;
import org.vigil.api.vip.AnnouncePolicy;
import org.vigil.api.vip.VirtualAddress;
import org.vigil.api.vip.VirtualRoute;
import org.vigil.driver.linux.internal.LinuxDriver;

/**
 * The VIP manager against a real kernel: router r1 and client c1 on one bridge, each in its own
 * namespace; the manager's worker thread lives in r1 (setns), frames go through the real Linux
 * driver. Needs root; skipped without it, failed under CI=true.
 */
class NetlinkVipManagerNetnsTest {

    private static final Duration DEADLINE = Duration.ofSeconds(5);
    private static final String R1_MAC = "02:00:5e:00:00:0a";
    private static final AnnouncePolicy ONCE = new AnnouncePolicy(Duration.ZERO, 1, Duration.ZERO, 0, Duration.ZERO,
            Duration.ZERO);

    private static NetnsLab lab;
    private static NamespaceThread inR1;
    private static LinuxDriver linux;

    private NetlinkVipManager manager;
    private final AtomicInteger framesSent = new AtomicInteger();

    @BeforeAll
    static void buildLab() throws Exception {
        NetnsLab.requireRootAndIp("the VIP manager namespace tests");
        lab = new NetnsLab("vip");
        lab.createSwitch();
        lab.addHost("r1", R1_MAC, "192.0.2.1/24", "2001:db8::1/64");
        lab.addHost("c1", "02:00:5e:00:00:64", "192.0.2.100/24");
        // let a gratuitous ARP create the client's neighbour entry, not only update one
        NetnsLab.sh("ip", "netns", "exec", lab.ns("c1"), "sysctl", "-qw", "net.ipv4.conf.lan0.arp_accept=1");
        inR1 = new NamespaceThread(lab.ns("r1"));
        linux = inR1.call(LinuxDriver::new);
    }

    @AfterAll
    static void removeLab() {
        if (inR1 != null) {
            inR1.close();
        }
        if (lab != null) {
            lab.close();
        }
    }

    private void startManager() {
        manager = new NetlinkVipManager(NamespaceThread.factory(lab.ns("r1")), true);
        manager.bindDriver(new CountingDriver());
    }

    @AfterEach
    void stopManager() {
        if (manager != null) {
            manager.deactivate();
        }
    }

    @Test
    void ipv4WithLabelAndBroadcastAndIpv6NodadAreAddedAndRemoved() throws Exception {
        startManager();
        VirtualAddress v4 = new VirtualAddress(ip("192.0.2.249"), 24, "lan0", "lan0:vip", null, "+", false);
        VirtualAddress v6 = new VirtualAddress(ip("2001:db8::249"), 64, "lan0", null, null, null, true);
        VirtualAddress host6 = new VirtualAddress(ip("2001:db8::250"), 128, "lan0", null, null, null, true);

        manager.acquire("VI_1", List.of(v4, v6, host6), List.of(), AnnouncePolicy.NONE);
        manager.awaitIdle();

        String v4Json = addressJson("192.0.2.249");
        assertThat(v4Json).contains("\"prefixlen\":24", "\"broadcast\":\"192.0.2.255\"", "\"label\":\"lan0:vip\"");
        String v6Json = addressJson("2001:db8::249");
        assertThat(v6Json).contains("\"prefixlen\":64", "\"nodad\":true", "\"preferred_life_time\":4294967295");
        assertThat(addressJson("2001:db8::250")).as("a /128 is added deprecated, as keepalived does")
                .contains("\"prefixlen\":128", "\"preferred_life_time\":0");

        // adding again is quiet (EEXIST) and changes nothing
        manager.acquire("VI_1", List.of(v4), List.of(), AnnouncePolicy.NONE);
        manager.release("VI_1", List.of(v4, v6, host6), List.of());
        manager.awaitIdle();
        assertThat(addresses()).doesNotContain("192.0.2.249", "2001:db8::249", "2001:db8::250").contains("192.0.2.1");
        assertThat(manager.held("VI_1")).isEmpty();
    }

    @Test
    void aVirtualRouteComesAndGoesWithTheInstance() throws Exception {
        startManager();
        VirtualAddress v4 = new VirtualAddress(ip("192.0.2.249"), 24, "lan0", null, null, null, false);
        VirtualRoute route = VirtualRoute.parse("198.51.100.0/24 via 192.0.2.254 src 192.0.2.249", "lan0");
        VirtualRoute hole = VirtualRoute.parse("blackhole 203.0.113.0/24", "lan0");

        manager.acquire("VI_1", List.of(v4), List.of(route, hole), AnnouncePolicy.NONE);
        manager.awaitIdle();
        String routes = NetnsLab.ip("-n", lab.ns("r1"), "route");
        assertThat(routes).contains("198.51.100.0/24 via 192.0.2.254 dev lan0 proto keepalived src 192.0.2.249")
                .contains("blackhole 203.0.113.0/24 proto keepalived");

        manager.release("VI_1", List.of(v4), List.of(route, hole));
        manager.awaitIdle();
        assertThat(NetnsLab.ip("-n", lab.ns("r1"), "route")).doesNotContain("198.51.100.0", "203.0.113.0",
                "192.0.2.249");
    }

    @Test
    void aGratuitousArpOnAcquireReachesTheClientsNeighbourTable() throws Exception {
        startManager();
        VirtualAddress v4 = new VirtualAddress(ip("192.0.2.248"), 24, "lan0", null, null, null, false);

        manager.acquire("VI_1", List.of(v4), List.of(), ONCE);

        await().atMost(DEADLINE).untilAsserted(() -> assertThat(NetnsLab.ip("-n", lab.ns("c1"), "neigh", "show",
                "192.0.2.248")).contains("lladdr " + R1_MAC));
        assertThat(framesSent).hasValue(1);
        manager.release("VI_1", List.of(v4), List.of());
        manager.awaitIdle();
    }

    @Test
    void releaseRemovesAStaleAddressThatThisManagerNeverAdded() throws Exception {
        // what a crashed predecessor leaves behind
        NetnsLab.ip("-n", lab.ns("r1"), "addr", "add", "192.0.2.247/24", "dev", "lan0", "label", "lan0:old");
        assertThat(addresses()).contains("192.0.2.247");
        startManager();

        manager.release("VI_1", List.of(new VirtualAddress(ip("192.0.2.247"), 24, "lan0", null, null, null, false)),
                List.of());
        manager.awaitIdle();

        assertThat(addresses()).doesNotContain("192.0.2.247").contains("192.0.2.1");
    }

    private static String addresses() throws IOException {
        return NetnsLab.ip("-n", lab.ns("r1"), "-j", "addr", "show", "dev", "lan0");
    }

    /** The addr_info object of one address in ip's JSON; fails when there is none. */
    private static String addressJson(String address) throws IOException {
        Matcher m = Pattern.compile("\\{[^{}]*\"local\":\"" + Pattern.quote(address) + "\"[^{}]*\\}").matcher(addresses());
        assertThat(m.find()).as(address + " on r1's lan0").isTrue();
        return m.group();
    }

    /** The real driver, counting frames. */
    private final class CountingDriver implements InterfaceDriver {
        @Override
        public String name() {
            return linux.name();
        }

        @Override
        public PacketChannel open(ChannelSpec spec, PacketListener listener) throws IOException {
            return linux.open(spec, listener);
        }

        @Override
        public Optional<LinkInfo> link(String interfaceName) {
            return linux.link(interfaceName);
        }

        @Override
        public AutoCloseable watchLinks(LinkListener listener) {
            return linux.watchLinks(listener);
        }

        @Override
        public void sendFrame(String interfaceName, byte[] frame, int offset, int length) throws IOException {
            linux.sendFrame(interfaceName, frame, offset, length);
            framesSent.incrementAndGet();
        }
    }
}
