package org.vigil.check.http.internal;

import java.util.Optional;

/** {@code http_protocol}: the request line's version, and whether the request asks the server to close. */
enum HttpProtocol {
    V1_0("1.0", "HTTP/1.0", false),
    /** 1.0 with "Connection: close", for servers that keep 1.0 connections open. */
    V1_0C("1.0C", "HTTP/1.0", true),
    /** keepalived sends "Connection: close" with 1.1 too: one request per connection. */
    V1_1("1.1", "HTTP/1.1", true);

    final String keyword;
    final String version;
    final boolean connectionClose;

    HttpProtocol(String keyword, String version, boolean connectionClose) {
        this.keyword = keyword;
        this.version = version;
        this.connectionClose = connectionClose;
    }

    /** keepalived's spellings: 1.0, 1.1, 1.0C and 1.0c. */
    static Optional<HttpProtocol> of(String text) {
        return switch (text) {
            case "1.0" -> Optional.of(V1_0);
            case "1.1" -> Optional.of(V1_1);
            case "1.0C", "1.0c" -> Optional.of(V1_0C);
            default -> Optional.empty();
        };
    }
}
