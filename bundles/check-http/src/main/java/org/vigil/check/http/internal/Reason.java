package org.vigil.check.http.internal;

/**
 * Why one url failed, in keepalived's words: the checker's per-attempt line is
 * {@code "<text> server [rs]."}, so the texts keep keepalived's odd grammar ("error to",
 * "no data received from " with its trailing space, hence two spaces before "server").
 */
enum Reason {
    TIMEOUT_CONNECTING("Timeout connecting"),
    CONNECTION_FAILED("Connection failed"),
    ERROR_CONNECTING("Error connecting"),
    NETWORK_UNREACHABLE("HTTP_CHECK - network unreachable"),
    SSL_HANDSHAKE("SSL handshake/communication error connecting to"),
    TIMEOUT_WRITE("Timeout WEB write"),
    CANNOT_SEND("Cannot send get request to"),
    /** Connected and asked, nothing came back in time. */
    TIMEOUT_WEB_READ("Timeout WEB read"),
    /** Part of the reply came, the rest did not (plain HTTP). */
    TIMEOUT_HTTP_READ("Timeout HTTP read"),
    /** Part of the reply came, the rest did not (TLS). */
    TIMEOUT_SSL_READ("Timeout SSL read"),
    READ_ERROR("Read error with"),
    SSL_READ_ERROR("SSL read error from"),
    /** The connection ended before a complete header (keepalived's literal ends with a space). */
    NO_DATA("Read, no data received from "),
    STATUS_CODE("HTTP status code error to"),
    DIGEST("MD5 digest error to"),
    REGEX("Regex match failed");

    private final String text;

    Reason(String text) {
        this.text = text;
    }

    /** keepalived's reason text alone, as genhash prints it. */
    String text() {
        return text;
    }

    /** The checker's line: "Timeout connecting server [192.0.2.21]:tcp:80." */
    String line(String realServer) {
        return text + " server " + realServer + ".";
    }
}
