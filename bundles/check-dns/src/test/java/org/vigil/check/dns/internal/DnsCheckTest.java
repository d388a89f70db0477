package org.vigil.check.dns.internal;

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
import java.util.concurrent.CopyOnWriteArrayList;
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

/** DNS_CHECK against a real dnsmasq on 127.0.0.1, a closed port and a silent socket. */
class DnsCheckTest {
    static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    static final ScheduledExecutorService TIMERS = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "dns-test-timer");
        t.setDaemon(true);
        return t;
    });
    static final CheckContext CONTEXT = new CheckContext() {
        @Override
        public Executor executor() {
            return TIMERS;
        }

        @Override
        public ScheduledExecutorService scheduler() {
            return TIMERS;
        }

        @Override
        public int attemptNumber() {
            return 1;
        }
    };

    final DnsCheckType type;
    final List<AutoCloseable> cleanup = new ArrayList<>();
    final List<String> dnsmasqOutput = new CopyOnWriteArrayList<>();

    DnsCheckTest() throws IOException {
        type = new DnsCheckType();
    }

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable c : cleanup) {
            c.close();
        }
        type.deactivate();
    }

    static CheckSpec spec(int port, String... keyThenTokens) {
        Map<String, List<String>> keys = new LinkedHashMap<>();
        for (String s : keyThenTokens) {
            int space = s.indexOf(' ');
            keys.put(space < 0 ? s : s.substring(0, space), space < 0 ? List.of() : List.of(s.substring(space + 1).split(" ")));
        }
        InetSocketAddress a = new InetSocketAddress(LOOPBACK, port);
        return new CheckSpec("DNS_CHECK", "test", a, a, null, Duration.ofSeconds(2), "udp", "[192.0.2.249]:udp:53",
                new CheckProperties(keys), "keepalived.conf:9");
    }

    static CheckResult attempt(HealthCheck check) throws Exception {
        return check.attempt(CONTEXT).toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /** dnsmasq in the foreground on 127.0.0.1:port, authoritative for nothing, with one local address record. */
    int dnsmasq() throws Exception {
        HostRequirement.require(Path.of("/usr/sbin/dnsmasq").toFile().canExecute(),
                "dnsmasq is not installed (distribution/lab/install-packages.sh installs it)");
        // dnsmasq listens on TCP too: a port free for both
        int port = freeUdpAndTcpPort();
        Process p = new ProcessBuilder("/usr/sbin/dnsmasq", "--no-daemon", "--conf-file=/dev/null", "--pid-file",
                "--port=" + port, "--listen-address=127.0.0.1", "--bind-interfaces", "--no-resolv", "--no-hosts",
                "--address=/example.test/192.0.2.80", "--local=/example.test/", "--log-queries").redirectErrorStream(true).start();
        cleanup.add(() -> stop(p));
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String l = r.readLine(); l != null; l = r.readLine()) {
                    dnsmasqOutput.add(l);
                }
            } catch (IOException e) {
                // the process ended
            }
        }, "dnsmasq-output");
        reader.setDaemon(true);
        reader.start();
        await().atMost(Duration.ofSeconds(20)).until(() -> !p.isAlive() || dnsmasqOutput.stream().anyMatch(l -> l.contains("started")));
        assertThat(p.isAlive()).as("dnsmasq runs: %s", dnsmasqOutput).isTrue();
        return port;
    }

    @Test
    void aRealDnsmasqAnswersAndItsRefusalFails() throws Exception {
        int port = dnsmasq();
        HealthCheck a = type.prepare(spec(port, "type A", "name example.test"));
        assertThat(attempt(a)).isEqualTo(CheckResult.success("DNS_CHECK ([127.0.0.1]:udp:" + port + ") A example.test answered."));
        HealthCheck aaaa = type.prepare(spec(port, "type aaaa", "name www.example.test."));
        // dnsmasq answers NOERROR with no AAAA record (NODATA) for a name it has only an A for: keepalived passes that too
        assertThat(attempt(aaaa).success()).isTrue();
        // the default, SOA for ".", has nowhere to go with --no-resolv: dnsmasq refuses it
        HealthCheck soa = type.prepare(spec(port));
        assertThat(((DnsCheck) soa).settings().typeName()).isEqualTo("SOA");
        assertThat(attempt(soa)).isEqualTo(CheckResult.failure("DNS_CHECK ([127.0.0.1]:udp:" + port + ") read error occurred. (rcode = 5)"));
        assertThat(dnsmasqOutput).anyMatch(l -> l.contains("query[A] example.test from 127.0.0.1"));
        // every channel is closed once its attempt ends (on the selector thread)
        await().atMost(Duration.ofSeconds(2)).until(() -> type.datagrams().open() == 0);
    }

    @Test
    void aThousandConcurrentQueriesShareOneThread() throws Exception {
        int port = dnsmasq();
        HealthCheck check = type.prepare(spec(port, "type A", "name example.test"));
        // one attempt first: the test's timer thread starts with its first timer
        assertThat(attempt(check).success()).isTrue();
        long start = System.nanoTime();
        List<CompletableFuture<CheckResult>> all = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            all.add(check.attempt(CONTEXT).toCompletableFuture());
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertThat(all).allMatch(f -> f.join().success());
        // the check's own threads, not the whole JVM's (the JDK may start one of its own meanwhile)
        assertThat(Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("vigil-check-dns")))
                .as("one selector thread serves every attempt").hasSize(1);
        System.out.println("DNS_CHECK: 1000 concurrent queries against dnsmasq in " + millis + " ms");
    }

    @Test
    void aClosedPortFailsOnThePortUnreachable() throws Exception {
        int port = freeUdpPort();
        assertThat(attempt(type.prepare(spec(port))))
                .isEqualTo(CheckResult.failure("DNS_CHECK ([127.0.0.1]:udp:" + port + ") failed to read socket; errno 111 (Connection refused)"));
    }

    @Test
    void strayDatagramsAreIgnoredAndASilentServerWaitsUntilCancelled() throws Exception {
        DatagramSocket server = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0));
        cleanup.add(server);
        CompletableFuture<CheckResult> f = type.prepare(spec(server.getLocalPort())).attempt(CONTEXT).toCompletableFuture();
        DatagramPacket query = new DatagramPacket(new byte[512], 512);
        server.setSoTimeout(5000);
        server.receive(query);
        byte[] q = java.util.Arrays.copyOf(query.getData(), query.getLength());
        // the query echoed (not a response), a reply with another id, a runt: none decides the check
        server.send(new DatagramPacket(q, q.length, query.getSocketAddress()));
        byte[] wrongId = q.clone();
        wrongId[0] ^= 0x55;
        wrongId[2] |= (byte) 0x80;
        server.send(new DatagramPacket(wrongId, wrongId.length, query.getSocketAddress()));
        server.send(new DatagramPacket(new byte[] { 1, 2, 3 }, 3, query.getSocketAddress()));
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(1)).until(() -> !f.isDone());
        assertThat(type.datagrams().open()).isEqualTo(1);
        f.cancel(true);
        await().atMost(Duration.ofSeconds(2)).until(() -> type.datagrams().open() == 0);
    }

    @Test
    void noReplyFailsWithKeepalivedsLineJustBeforeTheCheckersTimeout() throws Exception {
        DatagramSocket server = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0));
        cleanup.add(server);
        long start = System.nanoTime();
        CheckResult r = attempt(type.prepare(spec(server.getLocalPort())));
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(r).isEqualTo(CheckResult.failure("DNS_CHECK ([127.0.0.1]:udp:" + server.getLocalPort() + ") read timeout from socket"));
        // connect_timeout 2 s in the spec: 250 ms before it
        assertThat(took).isBetween(Duration.ofMillis(1700), Duration.ofMillis(1990));
        await().atMost(Duration.ofSeconds(2)).until(() -> type.datagrams().open() == 0);
    }

    @Test
    void anUnknownTypeOrABadNameIsIgnoredAsKeepalivedDoes() {
        List<String> warnings = new ArrayList<>();
        DnsSettings s = DnsSettings.parse(spec(53, "type PTR", "name a..test"), warnings::add);
        assertThat(s.typeName()).isEqualTo("SOA");
        assertThat(s.name()).isEqualTo(".");
        assertThat(warnings).containsExactly("Unknown DNS check type PTR - ignoring",
                "DNS_CHECK name 'a..test' has empty label - ignoring");
    }

    static int freeUdpAndTcpPort() throws IOException {
        for (int i = 0; i < 100; i++) {
            try (java.net.ServerSocket tcp = new java.net.ServerSocket(0, 1, LOOPBACK);
                    DatagramSocket udp = new DatagramSocket(new InetSocketAddress(LOOPBACK, tcp.getLocalPort()))) {
                return udp.getLocalPort();
            } catch (java.net.BindException taken) {
                // that port is taken for UDP: another one
            }
        }
        throw new IOException("no port free for both TCP and UDP on 127.0.0.1");
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
}
