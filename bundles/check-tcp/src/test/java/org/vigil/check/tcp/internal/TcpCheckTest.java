package org.vigil.check.tcp.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.vigil.api.check.CheckContext;
import org.vigil.api.check.CheckProperties;
import org.vigil.api.check.CheckResult;
import org.vigil.api.check.CheckSpec;
import org.vigil.api.check.HealthCheck;

/** TCP_CHECK alone against listeners on 127.0.0.1. */
class TcpCheckTest {
    static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
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

    final TcpCheckType type;
    final List<AutoCloseable> cleanup = new ArrayList<>();

    TcpCheckTest() throws IOException {
        type = new TcpCheckType();
    }

    @AfterEach
    void tearDown() throws Exception {
        type.deactivate();
        for (AutoCloseable c : cleanup) {
            c.close();
        }
    }

    static CheckSpec spec(int port) {
        InetSocketAddress a = new InetSocketAddress(LOOPBACK, port);
        return new CheckSpec("TCP_CHECK", "test", a, a, null, Duration.ofSeconds(1), "tcp", "[192.0.2.249]:tcp:80",
                CheckProperties.empty(), "test:1");
    }

    @Test
    void anOpenPortPassesAndAClosedOneFails() throws Exception {
        ServerSocket server = new ServerSocket(0, 50, LOOPBACK);
        cleanup.add(server);
        int port = server.getLocalPort();
        HealthCheck check = type.prepare(spec(port));
        CheckResult up = check.attempt(CONTEXT).toCompletableFuture().get(2, TimeUnit.SECONDS);
        assertThat(up).isEqualTo(CheckResult.success("TCP connection to [127.0.0.1]:tcp:" + port + " success."));

        server.close();
        CheckResult down = check.attempt(CONTEXT).toCompletableFuture().get(2, TimeUnit.SECONDS);
        assertThat(down).isEqualTo(CheckResult.failure("TCP connection to [127.0.0.1]:tcp:" + port + " failed."));
    }

    @Test
    void cancellingAHungAttemptClosesItsSocket() throws Exception {
        ServerSocket hung = new ServerSocket();
        hung.bind(new InetSocketAddress(LOOPBACK, 0), 1);
        cleanup.add(hung);
        boolean full = false;
        for (int i = 0; i < 64 && !full; i++) {
            Socket s = new Socket();
            cleanup.add(s);
            try {
                s.connect(hung.getLocalSocketAddress(), 300);
            } catch (SocketTimeoutException e) {
                full = true;
            }
        }
        assertThat(full).as("the backlog filled").isTrue();
        Connector connector = new Connector("test-connector");
        cleanup.add(connector);
        CompletableFuture<Void> f = connector.connect((InetSocketAddress) hung.getLocalSocketAddress(), null);
        // a hung connect stays open until cancelled
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(1)).until(() -> !f.isDone());
        assertThat(connector.inFlight()).isEqualTo(1);
        f.cancel(true);
        await().atMost(Duration.ofSeconds(2)).until(() -> connector.inFlight() == 0);
    }

    @Test
    void aThousandConcurrentConnectsShareOneThread() throws Exception {
        ServerSocket server = new ServerSocket(0, 2000, LOOPBACK);
        cleanup.add(server);
        Thread acceptor = new Thread(() -> {
            while (!server.isClosed()) {
                try (Socket s = server.accept()) {
                    // accepted and closed
                } catch (IOException e) {
                    return;
                }
            }
        });
        acceptor.setDaemon(true);
        acceptor.start();
        HealthCheck check = type.prepare(spec(server.getLocalPort()));
        List<CompletableFuture<CheckResult>> all = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            all.add(check.attempt(CONTEXT).toCompletableFuture());
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
        assertThat(all).allMatch(f -> f.join().success());
        // the check's own threads, not the whole JVM's (the JDK may start one of its own meanwhile)
        assertThat(Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("vigil-check-tcp")))
                .as("one selector thread serves every attempt").hasSize(1);
    }
}
