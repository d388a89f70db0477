package org.vigil.check.udp.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.vigil.api.check.CheckContext;
import org.vigil.api.check.CheckProperties;
import org.vigil.api.check.CheckResult;
import org.vigil.api.check.CheckSpec;
import org.vigil.api.check.HealthCheck;
import org.vigil.testing.netns.HostRequirement;

/** UDP_CHECK against a real python3 UDP echo process, a closed port and a silent socket on 127.0.0.1. */
class UdpCheckTest {
    static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    static final String ECHO = String.join("\n",
            "import socket",
            "s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)",
            "s.bind(('127.0.0.1', 0))",
            "print(s.getsockname()[1], flush=True)",
            "while True:",
            "    d, a = s.recvfrom(65535)",
            "    s.sendto(d, a)");

    final UdpCheckType type;
    final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    final List<AutoCloseable> cleanup = new ArrayList<>();

    UdpCheckTest() throws IOException {
        type = new UdpCheckType();
    }

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable c : cleanup) {
            c.close();
        }
        type.deactivate();
        scheduler.shutdownNow();
    }

    CheckContext context() {
        return new CheckContext() {
            @Override
            public Executor executor() {
                return scheduler;
            }

            @Override
            public ScheduledExecutorService scheduler() {
                return scheduler;
            }

            @Override
            public int attemptNumber() {
                return 1;
            }
        };
    }

    static CheckSpec spec(int port, Duration timeout, String... keyThenTokens) {
        Map<String, List<String>> keys = new LinkedHashMap<>();
        for (String s : keyThenTokens) {
            int space = s.indexOf(' ');
            keys.put(space < 0 ? s : s.substring(0, space), space < 0 ? List.of() : List.of(s.substring(space + 1).split(" ")));
        }
        InetSocketAddress a = new InetSocketAddress(LOOPBACK, port);
        return new CheckSpec("UDP_CHECK", "test", a, a, null, timeout, "udp", "[192.0.2.249]:udp:53",
                new CheckProperties(keys), "keepalived.conf:11");
    }

    CheckResult attempt(HealthCheck check) throws Exception {
        return check.attempt(context()).toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /** python3 echoing every datagram back, on a port of the kernel's choosing. */
    int echo() throws Exception {
        HostRequirement.require(onPath("python3"), "python3 is not installed");
        Process p = new ProcessBuilder("python3", "-c", ECHO).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        cleanup.add(() -> stop(p));
        CompletableFuture<Integer> port = CompletableFuture.supplyAsync(() -> {
            try {
                return Integer.parseInt(new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.US_ASCII)).readLine().trim());
            } catch (IOException | RuntimeException e) {
                throw new IllegalStateException("the echo server printed no port", e);
            }
        });
        return port.get(20, TimeUnit.SECONDS);
    }

    @Test
    void anEchoPassesWithAndWithoutRequireReplyAndAWrongReplyFails() throws Exception {
        int port = echo();
        String rs = "[127.0.0.1]:udp:" + port;
        Duration timeout = Duration.ofSeconds(3);
        long start = System.nanoTime();
        assertThat(attempt(type.prepare(spec(port, timeout)))).isEqualTo(CheckResult.success("UDP connection to " + rs + " success."));
        // the echo answered: no wait for the timeout
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
        assertThat(attempt(type.prepare(spec(port, timeout, "require.reply")))).isEqualTo(CheckResult.success("UDP connection to " + rs + " success."));
        assertThat(attempt(type.prepare(spec(port, timeout, "payload 0102 03", "require.reply 01x2")))).isEqualTo(
                CheckResult.success("UDP connection to " + rs + " success."));
        assertThat(attempt(type.prepare(spec(port, timeout, "payload 0102 03", "require.reply ff")))).isEqualTo(
                CheckResult.failure("UDP check to " + rs + " reply data mismatch."));
        // the echo is 3 bytes: outside 4..255, or over a maximum of 2, it fails
        assertThat(attempt(type.prepare(spec(port, timeout, "payload 010203", "require.reply 01", "min.reply.length 4"))).success()).isFalse();
        assertThat(attempt(type.prepare(spec(port, timeout, "payload 010203", "require.reply 01", "max.reply.length 2"))).success()).isFalse();
        assertThat(attempt(type.prepare(spec(port, timeout, "payload 010203", "require.reply 01", "max.reply.length 3"))).success()).isTrue();
        await().atMost(Duration.ofSeconds(2)).until(() -> type.datagrams().open() == 0);
    }

    @Test
    void aThousandConcurrentChecksShareOneThread() throws Exception {
        int port = echo();
        HealthCheck check = type.prepare(spec(port, Duration.ofSeconds(5), "payload 70696e67", "require.reply 7069"));
        // one attempt first: the test's timer thread starts with its first timer
        assertThat(attempt(check).success()).isTrue();
        long start = System.nanoTime();
        List<CompletableFuture<CheckResult>> all = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            all.add(check.attempt(context()).toCompletableFuture());
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertThat(all).allMatch(f -> f.join().success());
        // the check's own threads, not the whole JVM's (the JDK may start one of its own meanwhile)
        assertThat(Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("vigil-check-udp")))
                .as("one selector thread serves every attempt").hasSize(1);
        System.out.println("UDP_CHECK: 1000 concurrent attempts against a python3 echo in " + millis + " ms");
        await().atMost(Duration.ofSeconds(2)).until(() -> type.datagrams().open() == 0);
    }

    @Test
    void aClosedPortFailsOnTheIcmpPortUnreachableBeforeTheTimeout() throws Exception {
        int port = freeUdpPort();
        long start = System.nanoTime();
        CheckResult failed = CheckResult.failure("UDP connection to [127.0.0.1]:udp:" + port + " failed.");
        assertThat(attempt(type.prepare(spec(port, Duration.ofSeconds(5))))).isEqualTo(failed);
        assertThat(attempt(type.prepare(spec(port, Duration.ofSeconds(5), "require.reply")))).isEqualTo(failed);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
    }

    @Test
    void aSilentServerPassesJustBeforeTheTimeoutOrFailsWhenAReplyIsRequired() throws Exception {
        DatagramSocket silent = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0));
        cleanup.add(silent);
        int port = silent.getLocalPort();
        long start = System.nanoTime();
        CheckResult r = attempt(type.prepare(spec(port, Duration.ofSeconds(1))));
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(r).isEqualTo(CheckResult.success("UDP connection to [127.0.0.1]:udp:" + port + " success."));
        assertThat(took).isBetween(Duration.ofMillis(750), Duration.ofMillis(990));
        DatagramPacket got = new DatagramPacket(new byte[100], 100);
        silent.setSoTimeout(1000);
        silent.receive(got);
        assertThat(got.getLength()).as("keepalived's own datagram without payload").isEqualTo(UdpSettings.RANDOM_PAYLOAD);

        // with require_reply, silence fails with keepalived's line just before the checker's timeout
        start = System.nanoTime();
        CheckResult required = attempt(type.prepare(spec(port, Duration.ofSeconds(1), "require.reply")));
        took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(required).isEqualTo(CheckResult.failure("UDP connection to [127.0.0.1]:udp:" + port + " failed."));
        assertThat(took).isBetween(Duration.ofMillis(750), Duration.ofMillis(990));

        // cancelled by the checker before that: the channel is closed
        CompletableFuture<CheckResult> cancelled = type.prepare(spec(port, Duration.ofSeconds(5), "require.reply"))
                .attempt(context()).toCompletableFuture();
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(1)).until(() -> !cancelled.isDone());
        assertThat(type.datagrams().open()).isEqualTo(1);
        cancelled.cancel(true);
        await().atMost(Duration.ofSeconds(2)).until(() -> type.datagrams().open() == 0);
    }

    @Test
    void badValuesAreIgnoredWithKeepalivedsLines() {
        List<String> warnings = new ArrayList<>();
        UdpSettings s = UdpSettings.parse(new CheckProperties(Map.of("payload", List.of("xyz"), "require.reply", List.of("qq"),
                "min.reply.length", List.of("9"), "max.reply.length", List.of("70000"))), warnings::add);
        assertThat(s.randomPayload()).isTrue();
        assertThat(s.requireReply()).isTrue();
        assertThat(s.reply()).isNull();
        assertThat(warnings).containsExactly("Invalid hex string for UDP_CHECK payload", "Invalid hex string for UDP_CHECK reply",
                "UDP_CHECK max length 70000 not valid - must be between 0 & 65535");
        warnings.clear();
        UdpSettings.parse(new CheckProperties(Map.of("min.reply.length", List.of("300"))), warnings::add);
        assertThat(warnings).containsExactly("UDP_CHECK min_reply length 300 > max_reply_length 255 - will always fail");
        assertThat(UdpCheck.silentWait(Duration.ofSeconds(5))).isEqualTo(Duration.ofMillis(4750));
        assertThat(UdpCheck.silentWait(Duration.ofMillis(500))).isEqualTo(Duration.ofMillis(400));
    }

    static int freeUdpPort() throws IOException {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
            return s.getLocalPort();
        }
    }

    static void stop(Process p) throws InterruptedException {
        // by its own handle (its PID), never by name
        p.destroy();
        if (!p.waitFor(5, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }

    static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty() && Path.of(dir, tool).toFile().canExecute()) {
                return true;
            }
        }
        return false;
    }
}
