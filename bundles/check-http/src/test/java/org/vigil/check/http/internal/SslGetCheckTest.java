package org.vigil.check.http.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLSession;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vigil.api.check.CheckResult;
import org.vigil.api.check.CheckSpec;
import org.vigil.api.check.HealthCheck;
import org.vigil.testing.netns.HostRequirement;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsServer;

/** SSL_GET against real TLS servers with a self-signed certificate made here: the JDK's HttpsServer and openssl s_server. */
class SslGetCheckTest {
    static final String PAGE = "secure health page\n";

    @TempDir
    Path dir;
    @TempDir
    static Path keys;
    static Path store;

    Checks checks;
    HttpsServer server;
    InetSocketAddress address;
    String rs;
    /** The server names each handshake asked for ("" for none), and the Host headers. */
    final LinkedBlockingQueue<String> sni = new LinkedBlockingQueue<>();
    final LinkedBlockingQueue<String> hosts = new LinkedBlockingQueue<>();

    @BeforeAll
    static void certificate() throws Exception {
        store = SelfSignedTls.keyStore(keys);
    }

    @BeforeEach
    void start() throws Exception {
        checks = new Checks();
        server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        server.setHttpsConfigurator(new HttpsConfigurator(SelfSignedTls.serverContext(store)));
        server.createContext("/", exchange -> {
            SSLSession session = ((HttpsExchange) exchange).getSSLSession();
            List<SNIServerName> names = session instanceof ExtendedSSLSession e ? e.getRequestedServerNames() : List.of();
            sni.add(names.isEmpty() ? "" : ((SNIHostName) names.get(0)).getAsciiName());
            hosts.add(String.valueOf(exchange.getRequestHeaders().getFirst("Host")));
            byte[] body = PAGE.getBytes(StandardCharsets.UTF_8);
            int status = exchange.getRequestURI().getPath().equals("/health") ? 200 : 404;
            exchange.sendResponseHeaders(status, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        address = new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getAddress().getPort());
        rs = "[127.0.0.1]:tcp:" + address.getPort();
    }

    @AfterEach
    void stop() throws Exception {
        server.stop(0);
        checks.close();
    }

    private CheckResult once(CheckSpec spec) throws Exception {
        try (HealthCheck check = checks.prepare(spec)) {
            return checks.attempt(check);
        }
    }

    private CheckSpec ssl(String... keys) {
        return Checks.spec("SSL_GET", address, Duration.ofSeconds(5), Checks.keys(keys));
    }

    @Test
    void aSelfSignedCertificateIsAcceptedAndTheTestsRun() throws Exception {
        assertThat(once(ssl("url.0.path /health", "url.0.digest " + HttpGetCheckTest.md5(PAGE))))
                .isEqualTo(CheckResult.success("Remote Web server " + rs + " succeed on service."));
        assertThat(once(ssl("url.0.path /health", "url.0.digest " + HttpGetCheckTest.md5("other"))).line())
                .isEqualTo("MD5 digest error to server " + rs + ".");
        assertThat(once(ssl("url.0.path /nothing")).line()).isEqualTo("HTTP status code error to server " + rs + ".");
        assertThat(once(ssl("url.0.path /health", "url.0.regex secure")).success()).isTrue();
    }

    @Test
    void withoutEnableSniNoServerNameIsSentEvenWithAVirtualhost() throws Exception {
        assertThat(once(ssl("url.0.path /health", "virtualhost rs.example.org")).success()).isTrue();
        assertThat(sni.poll(5, TimeUnit.SECONDS)).isEmpty();
        assertThat(hosts.poll(5, TimeUnit.SECONDS)).isEqualTo("rs.example.org");
    }

    @Test
    void enableSniSendsTheVirtualhost() throws Exception {
        assertThat(once(ssl("url.0.path /health", "virtualhost rs.example.org", "enable.sni")).success()).isTrue();
        assertThat(sni.poll(5, TimeUnit.SECONDS)).isEqualTo("rs.example.org");
        // the url's virtualhost wins, for the name and the Host header alike
        assertThat(once(ssl("url.0.path /health", "url.0.virtualhost api.example.org", "virtualhost rs.example.org",
                "enable.sni yes")).success()).isTrue();
        assertThat(sni.poll(5, TimeUnit.SECONDS)).isEqualTo("api.example.org");
        assertThat(hosts.poll(5, TimeUnit.SECONDS)).isEqualTo("rs.example.org");
        assertThat(hosts.poll(5, TimeUnit.SECONDS)).isEqualTo("api.example.org");
        // enable_sni without any virtualhost: no name to send
        assertThat(once(ssl("url.0.path /health", "enable.sni")).success()).isTrue();
        assertThat(sni.poll(5, TimeUnit.SECONDS)).isEmpty();
    }

    @Test
    void aPlainHttpServerIsAnSslHandshakeError() throws Exception {
        try (RawServer plain = RawServer.speaksFirst(HttpGetCheckTest.reply(200, "not tls"))) {
            CheckSpec spec = Checks.spec("SSL_GET", plain.address(), Duration.ofSeconds(3), Checks.keys("url.0.path /"));
            assertThat(once(spec).line()).isEqualTo("SSL handshake/communication error connecting to server [127.0.0.1]:tcp:"
                    + plain.address().getPort() + ".");
        }
    }

    @Test
    void aServerThatNeverAnswersTheHandshakeIsATimeoutConnecting() throws Exception {
        try (RawServer hung = new RawServer((byte[]) null)) {
            CheckSpec spec = Checks.spec("SSL_GET", hung.address(), Duration.ofSeconds(1), Checks.keys("url.0.path /"));
            assertThat(once(spec).line()).isEqualTo("Timeout connecting server [127.0.0.1]:tcp:" + hung.address().getPort() + ".");
        }
    }

    @Test
    void opensslSServerWithItsOwnCertificate() throws Exception {
        HostRequirement.require(PythonHttpServer.onPath("openssl"), "openssl is not installed");
        Path www = Files.createDirectories(dir.resolve("www"));
        Files.writeString(www.resolve("page.html"), PAGE);
        run(www, "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout",
                "key.pem", "-out", "cert.pem", "-subj", "/CN=rs.example.org", "-days", "1");
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Process openssl = new ProcessBuilder("openssl", "s_server", "-accept", "127.0.0.1:" + port, "-cert", "cert.pem", "-key",
                "key.pem", "-WWW", "-quiet").directory(www.toFile()).redirectErrorStream(true).start();
        try {
            awaitListening(port);
            InetSocketAddress to = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
            CheckSpec spec = Checks.spec("SSL_GET", to, Duration.ofSeconds(5),
                    Checks.keys("url.0.path /page.html", "url.0.digest " + HttpGetCheckTest.md5(PAGE)));
            assertThat(once(spec).success()).isTrue();
        } finally {
            openssl.destroy();
            openssl.waitFor(5, TimeUnit.SECONDS);
        }
    }

    static void run(Path dir, String... command) throws Exception {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
        }
    }

    static void awaitListening(int port) {
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).until(() -> {
            try (java.net.Socket s = new java.net.Socket(InetAddress.getLoopbackAddress(), port)) {
                return true;
            } catch (java.io.IOException e) {
                return false;
            }
        });
    }
}
