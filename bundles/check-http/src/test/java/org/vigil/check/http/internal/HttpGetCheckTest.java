package org.vigil.check.http.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vigil.api.check.CheckResult;
import org.vigil.api.check.CheckSpec;
import org.vigil.api.check.HealthCheck;

/** HTTP_GET against real servers on loopback: python3's http.server and raw sockets. */
class HttpGetCheckTest {
    static final String PAGE = "<html><body>Vigil health page, version 42</body></html>\n";

    @TempDir
    Path site;

    Checks checks;
    PythonHttpServer python;
    InetSocketAddress web;
    String rs;

    @BeforeEach
    void start() throws Exception {
        Files.writeString(site.resolve("index.html"), PAGE);
        Files.writeString(site.resolve("other.html"), "other page\n");
        checks = new Checks();
        python = new PythonHttpServer(site);
        web = new InetSocketAddress(InetAddress.getLoopbackAddress(), python.port);
        rs = "[127.0.0.1]:tcp:" + python.port;
    }

    @AfterEach
    void stop() throws Exception {
        python.close();
        checks.close();
    }

    static String md5(String s) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(s.getBytes(StandardCharsets.ISO_8859_1)));
    }

    private CheckResult once(CheckSpec spec) throws Exception {
        try (HealthCheck check = checks.prepare(spec)) {
            return checks.attempt(check);
        }
    }

    private CheckSpec get(InetSocketAddress to, String... keys) {
        return Checks.spec("HTTP_GET", to, Duration.ofSeconds(3), Checks.keys(keys));
    }

    @Test
    void theDefaultStatusCodesPassA200AndFailA404() throws Exception {
        assertThat(once(get(web, "url.0.path /index.html")))
                .isEqualTo(CheckResult.success("Remote Web server " + rs + " succeed on service."));
        assertThat(once(get(web, "url.0.path /missing.html")))
                .isEqualTo(CheckResult.failure("HTTP status code error to server " + rs + "."));
    }

    @Test
    void statusCodeListsAndRanges() throws Exception {
        assertThat(once(get(web, "url.0.path /missing.html", "url.0.status.code 200 404")).success()).isTrue();
        assertThat(once(get(web, "url.0.path /missing.html", "url.0.status.code 400-499")).success()).isTrue();
        assertThat(once(get(web, "url.0.path /index.html", "url.0.status.code 300-399 500")).line())
                .isEqualTo("HTTP status code error to server " + rs + ".");
        // a directory without its slash: python answers 301
        Files.createDirectory(site.resolve("dir"));
        assertThat(once(get(web, "url.0.path /dir", "url.0.status.code 301-302")).success()).isTrue();
    }

    @Test
    void theDigestOfTheBodyMustMatch() throws Exception {
        assertThat(once(get(web, "url.0.path /index.html", "url.0.digest " + md5(PAGE))).success()).isTrue();
        assertThat(once(get(web, "url.0.path /index.html", "url.0.digest " + md5(PAGE).toUpperCase())).success()).isTrue();
        assertThat(once(get(web, "url.0.path /index.html", "url.0.digest " + md5("something else"))))
                .isEqualTo(CheckResult.failure("MD5 digest error to server " + rs + "."));
        // the status code comes first
        assertThat(once(get(web, "url.0.path /missing.html", "url.0.digest " + md5(PAGE))).line())
                .startsWith("HTTP status code error");
    }

    @Test
    void theRegexIsSearchedInTheBody() throws Exception {
        assertThat(once(get(web, "url.0.path /index.html", "url.0.regex version [0-9]+")).success()).isTrue();
        assertThat(once(get(web, "url.0.path /index.html", "url.0.regex maintenance")))
                .isEqualTo(CheckResult.failure("Regex match failed server " + rs + "."));
        assertThat(once(get(web, "url.0.path /index.html", "url.0.regex maintenance", "url.0.regex.no.match")).success()).isTrue();
        assertThat(once(get(web, "url.0.path /index.html", "url.0.regex version", "url.0.regex.no.match")).success()).isFalse();
        // the header is not part of what the regex sees
        assertThat(once(get(web, "url.0.path /index.html", "url.0.regex SimpleHTTP")).success()).isFalse();
        assertThat(once(get(web, "url.0.path /index.html", "url.0.regex VIGIL", "url.0.regex.options caseless")).success()).isTrue();
        int at = PAGE.indexOf("version");
        assertThat(once(get(web, "url.0.path /index.html", "url.0.regex version", "url.0.regex.min.offset " + at)).success()).isTrue();
        assertThat(once(get(web, "url.0.path /index.html", "url.0.regex version", "url.0.regex.min.offset " + (at + 1))).success()).isFalse();
        assertThat(once(get(web, "url.0.path /index.html", "url.0.regex version", "url.0.regex.max.offset " + (at - 1))).success()).isFalse();
        // digest and regex together: both must pass
        assertThat(once(get(web, "url.0.path /index.html", "url.0.digest " + md5(PAGE), "url.0.regex nothing-like-it")).success()).isFalse();
    }

    @Test
    void twoUrlsAreAllAskedFirstThenOneARoundAndAFailureIsAskedAgain() throws Exception {
        Files.writeString(site.resolve("b.html"), "bee\n");
        CheckSpec spec = get(web, "url.0.path /index.html", "url.0.digest " + md5(PAGE), "url.1.path /b.html",
                "url.1.digest " + md5("bee\n"));
        try (HealthCheck check = checks.prepare(spec)) {
            assertThat(checks.attempt(check).success()).isTrue();
            assertThat(checks.attempt(check).success()).isTrue();
            // b.html changes: the round that asks it fails, and every next one asks it again first
            Files.writeString(site.resolve("b.html"), "wasp\n");
            List<Boolean> results = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                results.add(checks.attempt(check).success());
            }
            assertThat(results).containsExactly(false, false, false);
            Files.writeString(site.resolve("b.html"), "bee\n");
            assertThat(checks.attempt(check).success()).isTrue();
        }
    }

    @Test
    void afterAFailureEveryUrlMustPassAgainBeforeSuccess() throws Exception {
        try (RawServer a = new RawServer(reply(200, "a")); HealthCheck check = checks.prepare(
                get(a.address(), "url.0.path /first", "url.1.path /second", "url.2.path /third"))) {
            assertThat(checks.attempt(check).success()).isTrue();
            assertThat(paths(a, 3)).containsExactly("/first", "/second", "/third");
            assertThat(checks.attempt(check).success()).isTrue();
            assertThat(checks.attempt(check).success()).isTrue();
            assertThat(paths(a, 2)).containsExactly("/first", "/second");
        }
        try (RawServer fails = new RawServer(reply(500, "down")); HealthCheck check = checks.prepare(
                get(fails.address(), "url.0.path /first", "url.1.path /second"))) {
            assertThat(checks.attempt(check).success()).isFalse();
            assertThat(paths(fails, 1)).containsExactly("/first");
        }
    }

    private static List<String> paths(RawServer server, int n) throws InterruptedException {
        List<String> paths = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String request = server.requests.poll(5, TimeUnit.SECONDS);
            assertThat(request).isNotNull();
            paths.add(request.split(" ")[1]);
        }
        assertThat(server.requests).isEmpty();
        return paths;
    }

    static String reply(int status, String body) {
        return "HTTP/1.0 " + status + " Whatever\r\nContent-Type: text/plain\r\nContent-Length: " + body.length() + "\r\n\r\n" + body;
    }

    @Test
    void theRequestIsKeepalivedsWithTheVirtualhostAsHost() throws Exception {
        try (RawServer raw = new RawServer(reply(200, "ok"))) {
            int port = raw.address().getPort();
            assertThat(once(get(raw.address(), "url.0.path /health?full=1")).success()).isTrue();
            assertThat(raw.requests.take()).isEqualTo("GET /health?full=1 HTTP/1.0\r\nUser-Agent: KeepAliveClient\r\n"
                    + "Host: 127.0.0.1:" + port + "\r\n\r\n");

            assertThat(once(get(raw.address(), "url.0.path /", "virtualhost www.example.org")).success()).isTrue();
            assertThat(raw.requests.take()).isEqualTo("GET / HTTP/1.0\r\nUser-Agent: KeepAliveClient\r\nHost: www.example.org\r\n\r\n");

            // a url's own virtualhost wins over the block's
            assertThat(once(get(raw.address(), "url.0.path /", "url.0.virtualhost api.example.org", "virtualhost www.example.org"))
                    .success()).isTrue();
            assertThat(raw.requests.take()).contains("Host: api.example.org\r\n");

            assertThat(once(get(raw.address(), "url.0.path /", "http.protocol 1.1")).success()).isTrue();
            assertThat(raw.requests.take()).isEqualTo("GET / HTTP/1.1\r\nUser-Agent: KeepAliveClient\r\nConnection: close\r\n"
                    + "Host: 127.0.0.1:" + port + "\r\n\r\n");
            assertThat(once(get(raw.address(), "url.0.path /", "http.protocol 1.0C")).success()).isTrue();
            assertThat(raw.requests.take()).startsWith("GET / HTTP/1.0\r\nUser-Agent: KeepAliveClient\r\nConnection: close\r\n");
        }
    }

    @Test
    void theVirtualhostReachesPythonAsHost() throws Exception {
        // python's access log is not needed: the Host header is checked byte for byte above; here a real server answers it
        assertThat(once(get(web, "url.0.path /index.html", "virtualhost www.example.org", "http.protocol 1.1")).success()).isTrue();
    }

    @Test
    void theDigestStopsAtContentLength() throws Exception {
        String reply = "HTTP/1.0 200 OK\r\nContent-Length: 5\r\n\r\nhelloEXTRA BYTES";
        try (RawServer raw = new RawServer(reply)) {
            assertThat(once(get(raw.address(), "url.0.path /", "url.0.digest " + md5("hello"))).success()).isTrue();
        }
        // no Content-Length: up to the end of the connection
        try (RawServer raw = new RawServer("HTTP/1.0 200 OK\r\n\r\nhello world")) {
            assertThat(once(get(raw.address(), "url.0.path /", "url.0.digest " + md5("hello world"))).success()).isTrue();
        }
    }

    @Test
    void aServerThatClosesWithoutAReplyIsNoData() throws Exception {
        try (RawServer raw = new RawServer("")) {
            assertThat(once(get(raw.address(), "url.0.path /")))
                    .isEqualTo(CheckResult.failure("Read, no data received from  server [127.0.0.1]:tcp:" + raw.address().getPort() + "."));
        }
    }

    @Test
    void aServerThatAcceptsAndNeverAnswersTimesOut() throws Exception {
        try (RawServer hung = new RawServer((byte[]) null)) {
            CheckSpec spec = Checks.spec("HTTP_GET", hung.address(), Duration.ofSeconds(1), Checks.keys("url.0.path /"));
            long start = System.nanoTime();
            assertThat(once(spec)).isEqualTo(CheckResult.failure("Timeout WEB read server [127.0.0.1]:tcp:" + hung.address().getPort() + "."));
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            // own deadline 950 ms; the upper bound leaves room for a loaded CI machine
            assertThat(ms).isBetween(900L, 4000L);
            assertThat(hung.clientClosed.poll(5, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void aRefusedConnectionFails() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        InetSocketAddress closed = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
        assertThat(once(get(closed, "url.0.path /"))).isEqualTo(CheckResult.failure("Connection failed server [127.0.0.1]:tcp:" + port + "."));
    }

    @Test
    void aFullListenQueueIsATimeoutConnecting() throws Exception {
        // a server that never accepts: once its queue is full the kernel drops further SYNs
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            List<Socket> fillers = new ArrayList<>();
            try {
                InetSocketAddress to = new InetSocketAddress(InetAddress.getLoopbackAddress(), s.getLocalPort());
                for (int i = 0; i < 4; i++) {
                    Socket f = new Socket();
                    fillers.add(f);
                    try {
                        f.connect(to, 300);
                    } catch (IOException full) {
                        break; // the queue is full now
                    }
                }
                CheckSpec spec = Checks.spec("HTTP_GET", to, Duration.ofSeconds(1), Checks.keys("url.0.path /"));
                assertThat(once(spec)).isEqualTo(CheckResult.failure("Timeout connecting server [127.0.0.1]:tcp:" + s.getLocalPort() + "."));
            } finally {
                for (Socket f : fillers) {
                    f.close();
                }
            }
        }
    }

    @Test
    void cancellingTheStageClosesTheConnection() throws Exception {
        try (RawServer hung = new RawServer((byte[]) null);
                HealthCheck check = checks.prepare(Checks.spec("HTTP_GET", hung.address(), Duration.ofSeconds(30), Checks.keys("url.0.path /")))) {
            CompletableFuture<CheckResult> stage = check.attempt(checks.context()).toCompletableFuture();
            assertThat(hung.remoteAddresses.poll(5, TimeUnit.SECONDS)).isEqualTo("127.0.0.1");
            stage.cancel(true);
            await().atMost(Duration.ofSeconds(5)).until(() -> hung.clientClosed.peek() != null);
        }
    }

    @Test
    void bindtoIsTheSourceAddress() throws Exception {
        try (RawServer raw = new RawServer(reply(200, "ok"))) {
            CheckSpec spec = new CheckSpec("HTTP_GET", "t", raw.address(), raw.address(), InetAddress.getLoopbackAddress(),
                    Duration.ofSeconds(2), "tcp", "[192.0.2.249]:tcp:80", new org.vigil.api.check.CheckProperties(Checks.keys("url.0.path /")),
                    "x:1");
            assertThat(once(spec).success()).isTrue();
            assertThat(raw.remoteAddresses.take()).isEqualTo("127.0.0.1");
        }
    }

    @Test
    void connectIpAndPortAreWhereTheCheckGoesButTheLineNamesTheRealServer() throws Exception {
        InetSocketAddress configured = new InetSocketAddress(InetAddress.getByName("192.0.2.21"), 80);
        CheckSpec spec = new CheckSpec("HTTP_GET", "t", configured, web, null, Duration.ofSeconds(2), "tcp", "[192.0.2.249]:tcp:80",
                new org.vigil.api.check.CheckProperties(Checks.keys("url.0.path /missing")), "x:1");
        assertThat(once(spec).line()).isEqualTo("HTTP status code error to server [192.0.2.21]:tcp:80.");
    }

    @Test
    void aBlockWithoutUrlsIsRefusedInKeepalivedsWords() {
        assertThatThrownBy(() -> checks.prepare(get(web, "virtualhost x")))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("HTTP/SSL_GET checker has no urls specified - ignoring");
        assertThatThrownBy(() -> checks.prepare(get(web, "url.0.digest " + "0".repeat(32))))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void manyChecksShareTheOneLoop() throws Exception {
        String body = "x".repeat(5000);
        try (RawServer raw = new RawServer(reply(200, body))) {
            List<HealthCheck> all = new ArrayList<>();
            List<CompletableFuture<CheckResult>> results = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                HealthCheck c = checks.prepare(Checks.spec("HTTP_GET", raw.address(), Duration.ofSeconds(15),
                        Checks.keys("url.0.path /" + i, "url.0.digest " + md5(body))));
                all.add(c);
                results.add(c.attempt(checks.context()).toCompletableFuture());
            }
            for (CompletableFuture<CheckResult> r : results) {
                assertThat(r.get(30, TimeUnit.SECONDS).success()).isTrue();
            }
            all.forEach(HealthCheck::close);
        }
    }
}
