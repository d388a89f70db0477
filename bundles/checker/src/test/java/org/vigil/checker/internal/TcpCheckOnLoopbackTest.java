package org.vigil.checker.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.vigil.api.check.CheckProperties;
import org.vigil.api.check.CheckType;
import org.vigil.check.tcp.internal.TcpCheckType;

/**
 * The checker with its real threads and the real TCP_CHECK against listeners on 127.0.0.1 that
 * the test opens and closes: kill and restore with keepalived's lines, a hung server, and 2,000
 * real servers on a bounded number of threads.
 */
class TcpCheckOnLoopbackTest {
    static final String VS = "192.0.2.249:tcp:80";
    static final String VS_TEXT = "[192.0.2.249]:tcp:80";
    static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    Checker checker;
    TcpCheckType tcp;
    LogLines log;
    final List<AutoCloseable> cleanup = new ArrayList<>();

    /** Threads alive before this test's checker: another test's checker may still be winding down. */
    java.util.Set<Thread> before;

    @BeforeEach
    void setUp() throws IOException {
        before = new java.util.HashSet<>(Thread.getAllStackTraces().keySet());
        log = new LogLines();
        checker = new Checker();
        tcp = new TcpCheckType();
        checker.addType(tcp, Map.of(CheckType.TYPE_PROPERTY, "TCP_CHECK", "service.id", 1L));
    }

    @AfterEach
    void tearDown() throws Exception {
        checker.deactivate();
        tcp.deactivate();
        for (AutoCloseable c : cleanup) {
            try {
                c.close();
            } catch (Exception e) {
                // best effort
            }
        }
        log.close();
    }

    static RsSettings.Block tcpBlock(Map<String, List<String>> keys) {
        return new RsSettings.Block("TCP_CHECK", new CheckProperties(keys));
    }

    /** A listener that accepts and closes every connection, on its own thread. */
    ServerSocket listen(int port) throws IOException {
        ServerSocket server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(LOOPBACK, port), 50);
        cleanup.add(server);
        Thread t = new Thread(() -> {
            while (!server.isClosed()) {
                try (Socket s = server.accept()) {
                    // the check only opens the connection
                } catch (IOException e) {
                    return;
                }
            }
        }, "test-listener-" + server.getLocalPort());
        t.setDaemon(true);
        t.start();
        return server;
    }

    @Test
    void upThenKilledGoesDownAfterRetryPlusOneFailuresThenRestoredComesBack() throws Exception {
        ServerSocket server = listen(0);
        int port = server.getLocalPort();
        String rs = "[127.0.0.1]:tcp:" + port;
        checker.putVirtualServer("vs", TestVirtualServers.defaults(VS).withDelayLoop(0.5).withTimers(1, 0.2, 0, 1),
                List.of(RsSettings.of(VS, new InetSocketAddress(LOOPBACK, port), 1,
                List.of(tcpBlock(Map.of("log.all.failures", List.of()))))));

        await().atMost(Duration.ofSeconds(5)).until(() -> lastLine(rs).equals("TCP connection to " + rs + " success."));
        assertThat(log.with(rs)).containsExactly("Activating healthchecker for service " + rs + " for VS " + VS_TEXT);

        server.close();
        // quorum is taken after the batch of pool changes (CheckEngine.POOL_BATCH_NANOS)
        await().atMost(Duration.ofSeconds(5)).until(() -> !log.with("Lost quorum").isEmpty());
        assertThat(log.all()).containsSubsequence(
                "TCP connection to " + rs + " failed.",
                "TCP connection to " + rs + " failed.",
                "TCP_CHECK on service " + rs + " failed after 1 retries.",
                "Removing service " + rs + " from VS " + VS_TEXT,
                "Lost quorum 1-0=1 > 0 for VS " + VS_TEXT);
        // exactly retry + 1 = 2 failed attempts took it down
        List<String> upToDown = log.all().subList(0, log.all().indexOf("TCP_CHECK on service " + rs + " failed after 1 retries."));
        assertThat(upToDown).filteredOn(l -> l.endsWith("failed.")).hasSize(2);

        log.clear();
        listen(port);
        await().atMost(Duration.ofSeconds(5)).until(() -> !log.with("Gained quorum").isEmpty());
        assertThat(log.all()).containsSubsequence(
                "TCP connection to " + rs + " success.",
                "Adding service " + rs + " to VS " + VS_TEXT,
                "Gained quorum 1+0=1 <= 1 for VS " + VS_TEXT);
    }

    @Test
    void aHungServerTimesOutAtConnectTimeout() throws Exception {
        // a listener that never accepts, its backlog filled: the kernel drops further SYNs
        ServerSocket hung = new ServerSocket();
        hung.bind(new InetSocketAddress(LOOPBACK, 0), 1);
        cleanup.add(hung);
        int port = hung.getLocalPort();
        boolean full = false;
        for (int i = 0; i < 64 && !full; i++) {
            Socket s = new Socket();
            cleanup.add(s);
            try {
                s.connect(new InetSocketAddress(LOOPBACK, port), 300);
            } catch (SocketTimeoutException e) {
                full = true;
            }
        }
        assertThat(full).as("the backlog filled").isTrue();
        String rs = "[127.0.0.1]:tcp:" + port;
        checker.putVirtualServer("vs", TestVirtualServers.defaults(VS).withDelayLoop(5).withTimers(1, 0.2, 0, 0.5),
                List.of(RsSettings.of(VS, new InetSocketAddress(LOOPBACK, port), 1,
                List.of(tcpBlock(Map.of("log.all.failures", List.of()))))));
        long start = System.nanoTime();
        await().atMost(Duration.ofSeconds(6)).until(() -> !log.with("Removing service").isEmpty());
        double seconds = (System.nanoTime() - start) / 1e9;
        assertThat(log.all()).containsSubsequence(
                "TCP connection to " + rs + " timeout.",
                "TCP connection to " + rs + " timeout.",
                "TCP_CHECK on service " + rs + " failed after 1 retries.",
                "Removing service " + rs + " from VS " + VS_TEXT);
        // first check at 1 s, two 0.5 s timeouts and a 0.2 s retry delay: about 2.2 s
        assertThat(seconds).isBetween(2.0, 4.0);
        System.out.printf("hung real server removed %.2f s after configuration%n", seconds);
    }

    @Test
    void twoThousandRealServersOnABoundedNumberOfThreads() throws Exception {
        // -Dvigil.checker.servers=10000 for a bigger run (one listener each: mind the open-file limit)
        int n = Integer.getInteger("vigil.checker.servers", 2000);
        List<ServerSocketChannel> servers = new ArrayList<>();
        Selector acceptor = Selector.open();
        cleanup.add(acceptor);
        for (int i = 0; i < n; i++) {
            ServerSocketChannel s = ServerSocketChannel.open();
            s.bind(new InetSocketAddress(LOOPBACK, 0), 64);
            s.configureBlocking(false);
            s.register(acceptor, SelectionKey.OP_ACCEPT);
            servers.add(s);
            cleanup.add(s);
        }
        AtomicBoolean running = new AtomicBoolean(true);
        cleanup.add(() -> running.set(false));
        Thread accepting = new Thread(() -> {
            while (running.get()) {
                try {
                    acceptor.select(100);
                    for (SelectionKey k : acceptor.selectedKeys()) {
                        SocketChannel c = ((ServerSocketChannel) k.channel()).accept();
                        if (c != null) {
                            c.close();
                        }
                    }
                    acceptor.selectedKeys().clear();
                } catch (IOException | RuntimeException e) {
                    return;
                }
            }
        }, "test-acceptor");
        accepting.setDaemon(true);
        accepting.start();

        int threadsBefore = Thread.activeCount();
        // n / 100 virtual servers of 100 real servers, delay_loop 1, the first checks spread over 1 s
        for (int v = 0; v < n / 100; v++) {
            String key = "192.0.2." + (100 + v) + ":tcp:80";
            List<RsSettings> reals = new java.util.ArrayList<>();
            for (int r = 0; r < 100; r++) {
                int port = servers.get(v * 100 + r).socket().getLocalPort();
                reals.add(RsSettings.of(key, new InetSocketAddress(LOOPBACK, port), 1, List.of(tcpBlock(Map.of()))));
            }
            checker.putVirtualServer("vs" + v, TestVirtualServers.defaults(key).withDelayLoop(1).withTimers(1, 0.5, 1, 1), reals);
        }
        await().atMost(Duration.ofSeconds(20 + n / 500)).until(() -> checked() == n);
        int checkerThreads = (int) Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith(Checker.THREAD_PREFIX) && !before.contains(t)).count();
        int growth = Thread.activeCount() - threadsBefore;
        System.out.printf("%d real servers checked: %d checker threads (vigil-check*), JVM threads +%d%n", n,
                checkerThreads, growth);
        // loop + 2 workers + timer + notify + lb + the TCP selector
        assertThat(checkerThreads).isLessThanOrEqualTo(7);
        assertThat(growth).isLessThan(10);
        assertThat(log.with("Activating healthchecker")).hasSize(n);

        // checks per second and CPU are measured by distribution/lab's CheckerBenchmark, not asserted here

        // kill 50: each is removed, and only those
        long killed = System.nanoTime();
        for (int i = 0; i < 50; i++) {
            servers.get(i * (n / 50)).close();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> log.with("Removing service").size() == 50);
        System.out.printf("50 killed real servers removed within %.2f s (delay_loop 1, retry 1, delay_before_retry 0.5)%n",
                (System.nanoTime() - killed) / 1e9);
        assertThat(checker.snapshot().stream().mapToLong(v -> v.reals().stream().filter(Status.Real::inPool).count()).sum())
                .isEqualTo(n - 50);
    }

    private long checked() {
        return checker.snapshot().stream().flatMap(v -> v.reals().stream())
                .filter(r -> r.checks().get(0).lastLine().endsWith("success.")).count();
    }

    private String lastLine(String rs) {
        return checker.snapshot().stream().flatMap(v -> v.reals().stream()).filter(r -> r.text().equals(rs))
                .map(r -> r.checks().get(0).lastLine()).findFirst().orElse("");
    }
}
