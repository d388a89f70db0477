package org.vigil.check.http.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The pure parts: status code sets, the request text, the reply reader, the settings' leniency. */
class UnitsTest {

    @Test
    void statusCodes() {
        List<String> bad = new ArrayList<>();
        StatusCodes c = StatusCodes.parse(new String[] { "200", "301-302", "404", "99", "600", "abc", "500-400" }, bad::add);
        assertThat(c.toString()).isEqualTo("200 301-302 404");
        assertThat(bad).containsExactly("99", "600", "abc", "500-400");
        assertThat(c.accepts(302)).isTrue();
        assertThat(c.accepts(303)).isFalse();
        assertThat(StatusCodes.defaults().toString()).isEqualTo("200-299");
        assertThat(StatusCodes.parse(new String[] { "x" }, s -> { }).toString()).isEqualTo("200-299");
        assertThat(StatusCodes.parse(new String[] { "100-599" }, s -> { }).accepts(599)).isTrue();
    }

    @Test
    void requestText() throws Exception {
        InetSocketAddress v4 = new InetSocketAddress(InetAddress.getByName("192.0.2.21"), 80);
        assertThat(new String(RequestText.get("/", HttpProtocol.V1_0, null, v4), StandardCharsets.ISO_8859_1))
                .isEqualTo("GET / HTTP/1.0\r\nUser-Agent: KeepAliveClient\r\nHost: 192.0.2.21:80\r\n\r\n");
        InetSocketAddress v6 = new InetSocketAddress(InetAddress.getByName("2001:db8:0:0:0:0:0:21"), 8080);
        assertThat(new String(RequestText.get("/x", HttpProtocol.V1_1, null, v6), StandardCharsets.ISO_8859_1))
                .isEqualTo("GET /x HTTP/1.1\r\nUser-Agent: KeepAliveClient\r\nConnection: close\r\nHost: [2001:db8::21]:8080\r\n\r\n");
        assertThat(RequestText.compressed(InetAddress.getByName("2001:db8:0:1:0:0:0:1").getAddress())).isEqualTo("2001:db8:0:1::1");
        assertThat(RequestText.compressed(InetAddress.getByName("2001:db8:0:1:1:1:1:1").getAddress())).isEqualTo("2001:db8:0:1:1:1:1:1");
        assertThat(RequestText.compressed(InetAddress.getByName("::1").getAddress())).isEqualTo("::1");
        assertThat(RequestText.compressed(InetAddress.getByName("::").getAddress())).isEqualTo("::");
        assertThat(HttpProtocol.of("1.0c")).contains(HttpProtocol.V1_0C);
        assertThat(HttpProtocol.of("2")).isEmpty();
    }

    private static ResponseReader read(int keep, String... pieces) {
        ResponseReader r = new ResponseReader(keep);
        for (String p : pieces) {
            r.accept(ByteBuffer.wrap(p.getBytes(StandardCharsets.ISO_8859_1)));
        }
        return r;
    }

    @Test
    void replyReader() throws Exception {
        ResponseReader r = read(100, "HTTP/1.1 2", "04 No Content\r", "\nContent-length:  3\r\n\r", "\nabcdef");
        assertThat(r.headerDone()).isTrue();
        assertThat(r.status()).isEqualTo(204);
        assertThat(r.contentLength()).isEqualTo(3);
        assertThat(r.bodyBytes()).isEqualTo(3);
        assertThat(r.complete()).isTrue();
        assertThat(r.keptBody()).isEqualTo("abc");
        assertThat(java.util.HexFormat.of().formatHex(r.digest())).isEqualTo(HttpGetCheckTest.md5("abc"));

        ResponseReader open = read(2, "HTTP/1.0 200 OK\r\n\r\nhello");
        assertThat(open.complete()).isFalse();
        assertThat(open.contentLength()).isEqualTo(-1);
        assertThat(open.keptBody()).isEqualTo("he");

        assertThat(read(0, "HTTP/1.0 200 OK\r\n").headerDone()).isFalse();
        assertThat(read(0, "garbage\r\n\r\n").status()).isZero();
        assertThat(ResponseReader.statusCode("HTTP/1.0 301\r\n")).isEqualTo(301);
    }

    @Test
    void theBudgetEndsJustBeforeTheCheckersTimeout() {
        assertThat(WebCheck.budgetNanos(Duration.ofSeconds(5))).isEqualTo(Duration.ofMillis(4950).toNanos());
        assertThat(WebCheck.budgetNanos(Duration.ofMillis(500))).isEqualTo(Duration.ofMillis(475).toNanos());
    }

    @Test
    void settingsAreLenientLikeKeepalived() {
        List<String> warnings = new ArrayList<>();
        WebCheckSettings s = WebCheckSettings.parse(Checks.spec("HTTP_GET", new InetSocketAddress(80), Duration.ofSeconds(1),
                Checks.keys("url.0.digest 1234", "url.1.path /ok", "url.1.status.code 200 999", "url.1.regex (unclosed",
                        "http.protocol 2.0", "url.2.path /r", "url.2.regex.no.match")), false, warnings::add);
        assertThat(s.urls()).extracting(UrlTest::path).containsExactly("/ok", "/r");
        assertThat(s.protocol()).isEqualTo(HttpProtocol.V1_0);
        assertThat(s.urls().get(0).regex()).isNull();
        assertThat(warnings).contains("Invalid http_protocol version 2.0", "HTTP/SSL_GET checker url has no path - ignoring",
                "Invalid HTTP_GET status code '999'", "regex parameters specified without regex");
        assertThat(warnings).anyMatch(w -> w.startsWith("Invalid regex: '(unclosed'"));
    }
}
