package org.vigil.check.smtp.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
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
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.vigil.api.check.CheckContext;
import org.vigil.api.check.CheckProperties;
import org.vigil.api.check.CheckResult;
import org.vigil.api.check.CheckSpec;
import org.vigil.api.check.HealthCheck;
import org.vigil.testing.netns.HostRequirement;

/** SMTP_CHECK against a real python3 smtpd process and hand-written servers on 127.0.0.1. */
class SmtpCheckTest {
    static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    final SmtpCheckType type;
    final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    final List<AutoCloseable> cleanup = new ArrayList<>();

    SmtpCheckTest() throws IOException {
        type = new SmtpCheckType();
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

    static CheckSpec spec(int port, String... keyThenTokens) {
        Map<String, List<String>> keys = new LinkedHashMap<>();
        for (String s : keyThenTokens) {
            int space = s.indexOf(' ');
            keys.put(space < 0 ? s : s.substring(0, space), space < 0 ? List.of() : List.of(s.substring(space + 1).split(" ")));
        }
        InetSocketAddress a = new InetSocketAddress(LOOPBACK, port);
        return new CheckSpec("SMTP_CHECK", "test", a, a, null, Duration.ofSeconds(2), "tcp", "[192.0.2.249]:tcp:25",
                new CheckProperties(keys), "keepalived.conf:7");
    }

    CheckResult attempt(HealthCheck check) throws Exception {
        return check.attempt(context()).toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void aRealSmtpServerPassesAndAStoppedOneFails() throws Exception {
        HostRequirement.require(onPath("python3"), "python3 is not installed");
        int port = freePort();
        Process smtpd = new ProcessBuilder("python3", "-W", "ignore", "-m", "smtpd", "-n", "-c", "DebuggingServer",
                "127.0.0.1:" + port).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        cleanup.add(() -> stop(smtpd));
        await().atMost(Duration.ofSeconds(20)).until(() -> listening(port));
        assertThat(smtpd.isAlive()).as("python3 -m smtpd is running").isTrue();

        HealthCheck check = type.prepare(spec(port));
        assertThat(attempt(check)).isEqualTo(CheckResult.success("Remote SMTP server [127.0.0.1]:tcp:" + port + " succeed on service."));

        stop(smtpd);
        assertThat(attempt(check)).isEqualTo(CheckResult.failure("SMTP_CHECK Error connecting to server [127.0.0.1]:" + port));
    }

    @Test
    void theDialogueSendsHeloWithKeepalivedsDefaultOrTheConfiguredName() throws Exception {
        ScriptedServer server = new ScriptedServer("220-mail.example.test ESMTP\r\n220 second banner line\r\n", "250 hello\r\n",
                "221 bye\r\n");
        HealthCheck byDefault = type.prepare(spec(server.port()));
        assertThat(attempt(byDefault).success()).isTrue();
        HealthCheck named = type.prepare(spec(server.port(), "helo.name lb1.example.test"));
        assertThat(attempt(named).success()).isTrue();
        await().atMost(Duration.ofSeconds(5)).until(() -> server.received.size() >= 4);
        assertThat(server.received).containsExactly("HELO smtpchecker.keepalived.org", "QUIT", "HELO lb1.example.test", "QUIT");
    }

    @Test
    void a554BannerAndARefusedHeloFailInKeepalivedsWords() throws Exception {
        ScriptedServer refusing = new ScriptedServer("554 no service here\r\n");
        assertThat(attempt(type.prepare(spec(refusing.port()))))
                .isEqualTo(CheckResult.failure("SMTP_CHECK Bad greeting banner from server [127.0.0.1]:" + refusing.port()));
        ScriptedServer badHelo = new ScriptedServer("220 ok\r\n", "501 syntax\r\n");
        assertThat(attempt(type.prepare(spec(badHelo.port()))))
                .isEqualTo(CheckResult.failure("SMTP_CHECK Bad HELO response from server [127.0.0.1]:" + badHelo.port()));
        ScriptedServer hangsUp = new ScriptedServer();
        assertThat(attempt(type.prepare(spec(hangsUp.port()))))
                .isEqualTo(CheckResult.failure("SMTP_CHECK Read failure from server [127.0.0.1]:" + hangsUp.port()));
    }

    @Test
    void aSilentServerStaysOpenUntilTheCheckerCancelsAndThenItsSocketIsClosed() throws Exception {
        ServerSocket silent = new ServerSocket(0, 5, LOOPBACK);
        cleanup.add(silent);
        CompletableFuture<Socket> accepted = CompletableFuture.supplyAsync(() -> {
            try {
                return silent.accept();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        CompletableFuture<CheckResult> f = type.prepare(spec(silent.getLocalPort())).attempt(context()).toCompletableFuture();
        Socket peer = accepted.get(5, TimeUnit.SECONDS);
        cleanup.add(peer);
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(1)).until(() -> !f.isDone());
        f.cancel(true);
        // the check closed its end: the server reads end of stream
        peer.setSoTimeout(5000);
        assertThat(peer.getInputStream().read()).isEqualTo(-1);
    }

    @Test
    void aSilentServerTimesOutWithKeepalivedsLineJustBeforeTheCheckersTimeout() throws Exception {
        ServerSocket silent = new ServerSocket(0, 5, LOOPBACK);
        cleanup.add(silent);
        CompletableFuture.runAsync(() -> {
            try {
                cleanup.add(silent.accept());
            } catch (IOException e) {
                // closed by the test
            }
        });
        long start = System.nanoTime();
        CheckResult r = attempt(type.prepare(spec(silent.getLocalPort())));
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(r).isEqualTo(CheckResult.failure("SMTP_CHECK Read timeout from server [127.0.0.1]:" + silent.getLocalPort()));
        // the spec's connect_timeout is 2 s: the dialogue gives up 250 ms before it
        assertThat(took).isBetween(Duration.ofMillis(1700), Duration.ofMillis(1990));
        assertThat(SmtpCheck.deadline(Duration.ofSeconds(5))).isEqualTo(Duration.ofMillis(4750));
        assertThat(SmtpCheck.deadline(Duration.ofMillis(500))).isEqualTo(Duration.ofMillis(400));
    }

    @Test
    void deprecatedHostBlocksAreCheckedBesideTheBlocksOwnServerAndEachMustPass() throws Exception {
        ScriptedServer good = new ScriptedServer("220 ok\r\n", "250 ok\r\n", "221 bye\r\n");
        ScriptedServer alsoGood = new ScriptedServer("220 ok\r\n", "250 ok\r\n", "221 bye\r\n");
        int closed = freePort();
        HealthCheck check = type.prepare(spec(good.port(), "host.0.connect.ip 127.0.0.1", "host.0.connect.port " + alsoGood.port(),
                "host.1.connect.port " + closed));
        SmtpSettings s = ((SmtpCheck) check).settings();
        assertThat(s.targets()).extracting(t -> t.connectTo().getPort()).containsExactly(good.port(), alsoGood.port(), closed);
        assertThat(attempt(check)).isEqualTo(CheckResult.failure("SMTP_CHECK Error connecting to server [127.0.0.1]:" + closed));

        HealthCheck twoGood = type.prepare(spec(good.port(), "host.0.connect.port " + alsoGood.port()));
        assertThat(attempt(twoGood).success()).isTrue();
        assertThat(alsoGood.received).contains("HELO smtpchecker.keepalived.org");
    }

    @Test
    void aHostBlocksOwnConnectTimeoutEndsItsDialogue() throws Exception {
        ServerSocket silent = new ServerSocket(0, 5, LOOPBACK);
        cleanup.add(silent);
        AtomicBoolean stop = new AtomicBoolean();
        cleanup.add(() -> stop.set(true));
        Thread acceptor = new Thread(() -> {
            List<Socket> held = new ArrayList<>();
            while (!stop.get()) {
                try {
                    held.add(silent.accept());
                } catch (IOException e) {
                    return;
                }
            }
        });
        acceptor.setDaemon(true);
        acceptor.start();
        ScriptedServer good = new ScriptedServer("220 ok\r\n", "250 ok\r\n", "221 bye\r\n");
        HealthCheck check = type.prepare(spec(good.port(), "host.0.connect.port " + silent.getLocalPort(),
                "host.0.connect.timeout 0.3"));
        assertThat(attempt(check)).isEqualTo(CheckResult.failure("SMTP_CHECK Read timeout from server [127.0.0.1]:" + silent.getLocalPort()));
    }

    @Test
    void fiveHundredConcurrentDialoguesShareOneThread() throws Exception {
        ServerSocket server = new ServerSocket(0, 2000, LOOPBACK);
        cleanup.add(server);
        java.util.concurrent.ExecutorService sessions = Executors.newCachedThreadPool();
        cleanup.add(sessions::shutdownNow);
        Thread acceptor = new Thread(() -> {
            while (!server.isClosed()) {
                try {
                    Socket s = server.accept();
                    sessions.execute(() -> {
                        try (s) {
                            OutputStream out = s.getOutputStream();
                            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
                            out.write("220 ok\r\n".getBytes(StandardCharsets.US_ASCII));
                            out.flush();
                            if (in.readLine() != null) {
                                out.write("250 ok\r\n".getBytes(StandardCharsets.US_ASCII));
                                out.flush();
                            }
                            if (in.readLine() != null) {
                                out.write("221 bye\r\n".getBytes(StandardCharsets.US_ASCII));
                                out.flush();
                            }
                        } catch (IOException e) {
                            // the check hung up
                        }
                    });
                } catch (IOException e) {
                    return;
                }
            }
        }, "smtp-acceptor");
        acceptor.setDaemon(true);
        acceptor.start();
        HealthCheck check = type.prepare(spec(server.getLocalPort()));
        long start = System.nanoTime();
        List<CompletableFuture<CheckResult>> all = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            all.add(check.attempt(context()).toCompletableFuture());
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(20, TimeUnit.SECONDS);
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertThat(all).allMatch(f -> f.join().success());
        assertThat(Thread.getAllStackTraces().keySet()).filteredOn(t -> t.getName().startsWith("vigil-check-smtp")).hasSize(1);
        System.out.println("SMTP_CHECK: 500 concurrent dialogues in " + millis + " ms");
    }

    @Test
    void anEmptyHeloNameIsRefusedAsKeepalivedDoes() {
        assertThatThrownBy(() -> type.prepare(spec(25, "helo.name"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("SMTP_CHECK helo name missing");
    }

    @Test
    void replyCodes() {
        assertThat(SmtpDialogue.code("220 mail")).isEqualTo(220);
        assertThat(SmtpDialogue.code("250-PIPELINING")).isEqualTo(250);
        assertThat(SmtpDialogue.code("2x0")).isEqualTo(-1);
        assertThat(SmtpDialogue.code("")).isEqualTo(-1);
    }

    /** A server on 127.0.0.1 that answers each connection with the given replies, one per line it reads after the first, then closes. */
    final class ScriptedServer {
        final ServerSocket socket = new ServerSocket(0, 50, LOOPBACK);
        final List<String> received = new CopyOnWriteArrayList<>();

        ScriptedServer(String... replies) throws IOException {
            cleanup.add(socket);
            Thread t = new Thread(() -> {
                while (!socket.isClosed()) {
                    try (Socket s = socket.accept()) {
                        OutputStream out = s.getOutputStream();
                        BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
                        for (int i = 0; i < replies.length; i++) {
                            if (i > 0) {
                                String l = in.readLine();
                                if (l == null) {
                                    break;
                                }
                                received.add(l);
                            }
                            out.write(replies[i].getBytes(StandardCharsets.US_ASCII));
                            out.flush();
                        }
                    } catch (IOException e) {
                        // closed by the test, or the check hung up
                    }
                }
            }, "scripted-smtp");
            t.setDaemon(true);
            t.start();
        }

        int port() {
            return socket.getLocalPort();
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, LOOPBACK)) {
            return s.getLocalPort();
        }
    }

    static boolean listening(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(LOOPBACK, port), 200);
            return true;
        } catch (IOException e) {
            return false;
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
