package org.vigil.check.ping.internal;

import org.vigil.testing.netns.NamespaceThread;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.vigil.api.check.CheckContext;
import org.vigil.api.check.CheckProperties;
import org.vigil.api.check.CheckResult;
import org.vigil.api.check.CheckSpec;
import org.vigil.api.check.HealthCheck;
import org.vigil.testing.netns.HostRequirement;
import org.vigil.testing.netns.NetnsLab;

/**
 * PING_CHECK inside a lab the test creates: host a (the checker) and host b (the real server,
 * 192.0.2.2 and 2001:db8::2) on one bridge; 192.0.2.3 and 2001:db8::3 have no host. Both ways of
 * opening the socket are run: the unprivileged ICMP datagram socket (ping_group_range covering
 * root) and the raw socket (ping_group_range "1 0", the kernel's default in a new namespace).
 */
class PingCheckTest {
    static final CheckContext CONTEXT = new CheckContext() {
        @Override
        public Executor executor() {
            return Runnable::run;
        }

        @Override
        public ScheduledExecutorService scheduler() {
            throw new UnsupportedOperationException();
        }

        @Override
        public int attemptNumber() {
            return 1;
        }
    };

    static NetnsLab lab;
    static NamespaceThread inA;

    final List<AutoCloseable> cleanup = new ArrayList<>();

    @BeforeAll
    static void createLab() throws Exception {
        NetnsLab.requireRootAndIp("PingCheckTest");
        lab = new NetnsLab("ping");
        try {
            lab.createSwitch();
            lab.addHost("a", "02:00:5e:00:0a:01", "192.0.2.1/24", "2001:db8::1/64");
            lab.addHost("b", "02:00:5e:00:0a:02", "192.0.2.2/24", "2001:db8::2/64");
            inA = new NamespaceThread(lab.ns("a"));
        } catch (Exception e) {
            lab.close();
            throw e;
        }
    }

    @AfterAll
    static void deleteLab() {
        if (inA != null) {
            inA.close();
        }
        if (lab != null) {
            lab.close();
        }
    }

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable c : cleanup) {
            c.close();
        }
    }

    /** A PING_CHECK type whose sockets live in host a, opened with this ping_group_range there. */
    PingCheckType typeInA(String pingGroupRange) throws Exception {
        NetnsLab.sh("ip", "netns", "exec", lab.ns("a"), "sysctl", "-qw", "net.ipv4.ping_group_range=" + pingGroupRange);
        Pinger pinger = inA.call(() -> new Pinger("test-ping"));
        PingCheckType type = new PingCheckType(pinger);
        cleanup.add(type::deactivate);
        return type;
    }

    static CheckSpec spec(String address) throws Exception {
        InetSocketAddress rs = new InetSocketAddress(InetAddress.getByName(address), 80);
        return new CheckSpec("PING_CHECK", "test", rs, rs, null, Duration.ofSeconds(2), "tcp", "[192.0.2.249]:tcp:80",
                CheckProperties.empty(), "test:1");
    }

    static CheckResult attempt(HealthCheck check) throws Exception {
        return check.attempt(CONTEXT).toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    /** An attempt that must stay unanswered: the checker would cancel it at connect_timeout. */
    static void unanswered(PingCheckType type, HealthCheck check, Pinger pinger) throws Exception {
        CompletableFuture<CheckResult> a = check.attempt(CONTEXT).toCompletableFuture();
        assertThatThrownBy(() -> a.get(1500, TimeUnit.MILLISECONDS)).isInstanceOf(TimeoutException.class);
        a.cancel(true);
        await().atMost(Duration.ofSeconds(2)).until(() -> pinger.inFlight() == 0);
    }

    void answersAndSilence(String range, Pinger.Mode expected) throws Exception {
        PingCheckType type = typeInA(range);
        Pinger pinger = pinger(type);
        assertThat(pinger.mode(InetAddress.getByName("192.0.2.2"))).isEqualTo(expected);
        assertThat(pinger.mode(InetAddress.getByName("2001:db8::2"))).isEqualTo(expected);

        CheckResult v4 = attempt(type.prepare(spec("192.0.2.2")));
        CheckResult v6 = attempt(type.prepare(spec("2001:db8::2")));

        assertThat(v4.success()).isTrue();
        assertThat(v4.line()).isEqualTo("ICMP connection to [192.0.2.2]:tcp:80 success.");
        assertThat(v6.success()).isTrue();
        assertThat(v6.line()).isEqualTo("ICMP connection to [2001:db8:0:0:0:0:0:2]:tcp:80 success.");
        unanswered(type, type.prepare(spec("192.0.2.3")), pinger);
        unanswered(type, type.prepare(spec("2001:db8::3")), pinger);
        assertThat(type.logName(spec("192.0.2.2"))).isEqualTo("ICMP CHECK");
    }

    Pinger pinger(PingCheckType type) throws Exception {
        var f = PingCheckType.class.getDeclaredField("pinger");
        f.setAccessible(true);
        return (Pinger) f.get(type);
    }

    @Test
    void anUnprivilegedIcmpDatagramSocketGetsRepliesAndSilenceStaysOpenUntilCancelled() throws Exception {
        answersAndSilence("0 2147483647", Pinger.Mode.DGRAM);
    }

    @Test
    void aRawSocketDoesTheSameWhenPingGroupRangeExcludesUs() throws Exception {
        answersAndSilence("1 0", Pinger.Mode.RAW);
    }

    @Test
    void echoDroppedByNftablesFailsAndPassesAgainOnceTheRuleIsGone() throws Exception {
        HostRequirement.require(Files.isExecutable(Path.of("/usr/sbin/nft")),
                "nftables' nft is needed (apt-get install -y nftables)");
        PingCheckType type = typeInA("1 0");
        Pinger pinger = pinger(type);
        HealthCheck check = type.prepare(spec("192.0.2.2"));
        assertThat(attempt(check).success()).isTrue();

        String ns = lab.ns("b");
        NetnsLab.sh("ip", "netns", "exec", ns, "nft", "add table inet vigil; add chain inet vigil in"
                + " { type filter hook input priority 0; }; add rule inet vigil in icmp type echo-request drop");
        try {
            unanswered(type, check, pinger);
        } finally {
            NetnsLab.sh("ip", "netns", "exec", ns, "nft", "delete table inet vigil");
        }
        assertThat(attempt(check).success()).isTrue();
    }

    @Test
    void fiveHundredEchoesInFlightShareTheOneReceiveThread() throws Exception {
        PingCheckType type = typeInA("0 2147483647");
        HealthCheck v4 = type.prepare(spec("192.0.2.2"));
        HealthCheck v6 = type.prepare(spec("2001:db8::2"));
        List<CompletableFuture<CheckResult>> all = new ArrayList<>();

        long start = System.nanoTime();
        for (int i = 0; i < 250; i++) {
            all.add(v4.attempt(CONTEXT).toCompletableFuture());
            all.add(v6.attempt(CONTEXT).toCompletableFuture());
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
        long millis = (System.nanoTime() - start) / 1_000_000;

        assertThat(all).allSatisfy(a -> assertThat(a.join().success()).isTrue());
        assertThat(pinger(type).inFlight()).isZero();
        System.out.println("500 echoes (250 IPv4, 250 IPv6) answered in " + millis + " ms");
    }

    @Test
    void theChecksumIsRfc1071s() {
        byte[] echo = Pinger.echo(Pinger.ECHO_REQUEST_V4, 0x1234, 7, 42L, true);
        // a packet carrying its own checksum sums to zero
        assertThat(Pinger.checksum(echo, 0, echo.length)).isZero();
    }
}
