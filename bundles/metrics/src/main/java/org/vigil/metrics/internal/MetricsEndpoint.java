package org.vigil.metrics.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vigil.api.check.PoolStatus;
import org.vigil.api.metrics.MetricSource;
import org.vigil.api.vrrp.VrrpService;

/**
 * The opt-in Prometheus endpoint: {@code GET /metrics} (and the read-only status page,
 * {@code GET /status}) on one thread, one connection at a time.
 * A scrape is a few kilobytes every 15 s or so; an HTTP library would cost more memory than it
 * saves code. Requests are bounded (8 KB of head, 2 s to send it), so a client that stalls
 * delays only the next scrape, never the election or the checker.
 */
@Component(configurationPid = MetricsEndpoint.PID, configurationPolicy = ConfigurationPolicy.REQUIRE, service = {})
@Designate(ocd = MetricsEndpoint.Config.class)
public final class MetricsEndpoint {
    static final String PID = "org.vigil.metrics";
    private static final Logger LOG = LoggerFactory.getLogger(MetricsEndpoint.class);
    private static final int MAX_HEAD = 8192;
    private static final int READ_TIMEOUT_MS = 2000;

    @ObjectClassDefinition(name = "Vigil metrics endpoint",
            description = "Prometheus text format at http://ADDRESS:PORT/metrics; off unless configured")
    public @interface Config {
        @AttributeDefinition(description = "address to listen on; loopback unless you mean otherwise")
        String address() default "127.0.0.1";

        @AttributeDefinition(description = "TCP port (9165: keepalived-exporter's)")
        int port() default 9165;

        @AttributeDefinition(description = "serve the read-only status page at /status too")
        boolean status_page() default true;

        @AttributeDefinition(description = "host names a request's Host header may carry besides localhost, the"
                + " endpoint's address and (off loopback) this machine's name: the names scrapers use for it")
        String[] allowed_hosts() default {};
    }

    private final List<MetricSource> sources = new CopyOnWriteArrayList<>();
    private volatile VrrpService vrrp;
    private volatile PoolStatus pools;
    /** Static, injected before activation; a component apart from this one (see its comment). */
    @Reference
    RecentEvents events = new RecentEvents();
    private boolean statusPage;
    private String host = "localhost";
    private HostCheck hostCheck;
    private ServerSocket server;
    private Thread thread;
    /** Sources whose failure was logged, so a broken one is one line, not one per scrape. */
    private final java.util.Set<Class<?>> failedLogged = java.util.concurrent.ConcurrentHashMap.newKeySet();

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, unbind = "unbindVrrp")
    void bindVrrp(VrrpService service) {
        vrrp = service;
    }

    void unbindVrrp(VrrpService service) {
        if (vrrp == service) {
            vrrp = null;
        }
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, unbind = "unbindPools")
    void bindPools(PoolStatus service) {
        pools = service;
    }

    void unbindPools(PoolStatus service) {
        if (pools == service) {
            pools = null;
        }
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC, unbind = "removeSource")
    void addSource(MetricSource source) {
        sources.add(source);
    }

    void removeSource(MetricSource source) {
        sources.remove(source);
    }

    @Activate
    void activate(Config config) {
        statusPage = config.status_page();
        host = hostname();
        InetSocketAddress where;
        try {
            where = new InetSocketAddress(InetAddress.getByName(config.address().trim()), config.port());
            hostCheck = new HostCheck(where.getAddress(), host, List.of(config.allowed_hosts()));
            server = new ServerSocket();
            server.setReuseAddress(true);
            server.bind(where, 16);
        } catch (IOException | IllegalArgumentException e) {
            LOG.error("Metrics endpoint: cannot listen on {}:{}: {}", config.address(), config.port(), e.getMessage());
            server = null;
            return;
        }
        int port = server.getLocalPort();
        thread = new Thread(this::serve, "vigil-metrics");
        thread.setDaemon(true);
        thread.start();
        String address = where.getAddress() instanceof java.net.Inet6Address ? "[" + where.getAddress().getHostAddress()
                + "]" : where.getAddress().getHostAddress();
        LOG.info("Metrics endpoint listening on http://{}:{}/metrics", address, port);
        if (statusPage) {
            LOG.info("Status page on http://{}:{}/status", address, port);
        }
    }

    @Deactivate
    void deactivate() {
        if (server != null) {
            try {
                server.close();
            } catch (IOException e) {
                // closing
            }
        }
        if (thread != null) {
            try {
                thread.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The port listened on (tests bind port 0). */
    int port() {
        return server == null ? -1 : server.getLocalPort();
    }

    private void serve() {
        while (!server.isClosed()) {
            try (Socket client = server.accept()) {
                client.setSoTimeout(READ_TIMEOUT_MS);
                answer(client);
            } catch (SocketException e) {
                if (!server.isClosed()) {
                    LOG.debug("metrics client: {}", e.toString());
                }
            } catch (IOException | RuntimeException e) {
                LOG.debug("metrics client: {}", e.toString());
            }
        }
    }

    private void answer(Socket client) throws IOException {
        String head = readHead(new java.io.BufferedInputStream(client.getInputStream()));
        OutputStream out = client.getOutputStream();
        if (head == null) {
            respond(out, "400 Bad Request", "request too long or incomplete\n", true);
            return;
        }
        String[] requestLine = head.lines().findFirst().orElse("").split(" ");
        if (requestLine.length != 3 || !requestLine[2].startsWith("HTTP/1.")) {
            respond(out, "400 Bad Request", "not an HTTP/1 request\n", true);
            return;
        }
        String method = requestLine[0];
        String path = requestLine[1];
        int query = path.indexOf('?');
        if (query >= 0) {
            path = path.substring(0, query);
        }
        if (!method.equals("GET") && !method.equals("HEAD")) {
            respond(out, "405 Method Not Allowed", "GET only\n", true);
        } else if (!hostCheck.allows(HostCheck.header(head))) {
            // RFC 9110 15.5.20: not this server's name (a DNS-rebinding page sends its own site's)
            respond(out, "421 Misdirected Request", "this endpoint answers to localhost and its address\n",
                    !method.equals("HEAD"));
        } else if (path.equals("/metrics")) {
            respond(out, "200 OK", TEXT, scrape(), !method.equals("HEAD"));
        } else if (statusPage && path.equals("/status")) {
            respond(out, "200 OK", HTML, statusPage(), !method.equals("HEAD"));
        } else {
            respond(out, "404 Not Found", "the metrics are at /metrics" + (statusPage ? ", the status page at /status" : "")
                    + "\n", !method.equals("HEAD"));
        }
    }

    /** The status page now; the parts whose service is missing say so. */
    String statusPage() {
        VrrpService v = vrrp;
        PoolStatus p = pools;
        return StatusPage.render(new StatusPage.Inputs(host, java.time.Instant.now(), java.time.ZoneId.systemDefault(),
                v == null ? null : v.instances(), v == null ? null : v.syncGroups(),
                p == null ? null : p.virtualServers(), events.newestFirst()));
    }

    /** The kernel's host name, without a resolver (a lookup could hang in a namespace without DNS). */
    private static String hostname() {
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/sys/kernel/hostname")).strip();
        } catch (IOException | RuntimeException e) {
            return "localhost";
        }
    }

    /** Everything every source has now, VRRP first. */
    String scrape() {
        PrometheusText text = new PrometheusText(lastScrapeLength);
        VrrpService v = vrrp;
        if (v == null) {
            text.family("keepalived_up", org.vigil.api.metrics.MetricWriter.Type.GAUGE,
                    "Status of the VRRP service: 1 running");
            text.sample(0);
        } else {
            VrrpMetrics.collect(v.instances(), text);
        }
        text.endSource();
        for (MetricSource s : sources) {
            try {
                s.collect(text);
            } catch (RuntimeException e) {
                if (failedLogged.add(s.getClass())) {
                    LOG.warn("Metrics source {} failed, its families are incomplete: {}", s.getClass().getName(),
                            e.toString());
                }
            }
            text.endSource();
        }
        String out = text.text();
        lastScrapeLength = out.length();
        return out;
    }

    /** The last scrape's length: the next one's buffer is made that large at once (510 instances: 0.6 MB). */
    private volatile int lastScrapeLength;

    /** The request head up to its blank line, or null when longer than MAX_HEAD or cut short. */
    private static String readHead(InputStream in) throws IOException {
        byte[] buf = new byte[MAX_HEAD];
        int n = 0;
        while (n < buf.length) {
            int b = in.read();
            if (b < 0) {
                return null;
            }
            buf[n++] = (byte) b;
            if (n >= 4 && buf[n - 4] == '\r' && buf[n - 3] == '\n' && buf[n - 2] == '\r' && buf[n - 1] == '\n') {
                return new String(buf, 0, n, StandardCharsets.ISO_8859_1);
            }
            if (n >= 2 && buf[n - 2] == '\n' && buf[n - 1] == '\n') {
                return new String(buf, 0, n, StandardCharsets.ISO_8859_1);
            }
        }
        return null;
    }

    private static final String TEXT = "text/plain; version=0.0.4; charset=utf-8";
    /** The page runs nothing and loads nothing: inline style only. */
    private static final String HTML = "text/html; charset=utf-8\r\nContent-Security-Policy: default-src 'none'; "
            + "style-src 'unsafe-inline'\r\nX-Content-Type-Options: nosniff\r\nCache-Control: no-store";

    private static void respond(OutputStream out, String status, String body, boolean withBody) throws IOException {
        respond(out, status, TEXT, body, withBody);
    }

    private static void respond(OutputStream out, String status, String contentType, String body, boolean withBody)
            throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        String head = "HTTP/1.1 " + status + "\r\nContent-Type: " + contentType + "\r\n"
                + "Content-Length: " + bytes.length + "\r\nConnection: close\r\n\r\n";
        out.write(head.getBytes(StandardCharsets.ISO_8859_1));
        if (withBody) {
            out.write(bytes);
        }
        out.flush();
    }
}
