package org.vigil.metrics.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.annotation.Annotation;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.vigil.api.metrics.MetricWriter;
import org.vigil.api.vrrp.InstanceCounters;
import org.vigil.api.vrrp.InstanceState;
import org.vigil.api.vrrp.InstanceStatus;
import org.vigil.api.vrrp.IpFamily;
import org.vigil.api.vrrp.VrrpService;

/** The endpoint on loopback, scraped with the JDK's HTTP client as Prometheus would. */
class MetricsEndpointTest {
    private final MetricsEndpoint endpoint = new MetricsEndpoint();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    static InstanceStatus instance(String name, InstanceState state, int vrid, Map<String, Long> dropped) {
        return new InstanceStatus(name, state, vrid, IpFamily.IPV4, 3, "lan0", 150, 140, "192.0.2.1", 100, 100, 0,
                3_400_000, true, 0, List.of("192.0.2.100/32", "192.0.2.101/32"),
                state == InstanceState.MASTER ? List.of("192.0.2.100/32", "192.0.2.101/32") : List.of(),
                new InstanceCounters(12, 34, 1, 0, 0, 1, dropped, 2, 0, Map.of()), Instant.EPOCH);
    }

    static VrrpService core(List<InstanceStatus> instances) {
        return core(instances, List.of());
    }

    static VrrpService core(List<InstanceStatus> instances, List<org.vigil.api.vrrp.SyncGroupStatus> groups) {
        return new VrrpService() {
            @Override
            public List<org.vigil.api.vrrp.SyncGroupStatus> syncGroups() {
                return groups;
            }

            @Override
            public List<InstanceStatus> instances() {
                return instances;
            }

            @Override
            public Optional<InstanceStatus> instance(String name) {
                return instances.stream().filter(i -> i.name().equals(name)).findFirst();
            }

            @Override
            public Optional<String> activeDriver() {
                return Optional.of("linux");
            }
        };
    }

    static MetricsEndpoint.Config config(String address, int port) {
        return new MetricsEndpoint.Config() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return MetricsEndpoint.Config.class;
            }

            @Override
            public String address() {
                return address;
            }

            @Override
            public int port() {
                return port;
            }

            @Override
            public boolean status_page() {
                return true;
            }

            @Override
            public String[] allowed_hosts() {
                return new String[] { "metrics.example.net" };
            }
        };
    }

    /**
     * A scrape and a status page at 510 instances (the scale benchmark's case), on this thread:
     * the formatting's CPU time and allocation, printed. The election thread's part, building the
     * 510 statuses, is core's StatusCostTest.
     */
    @Test
    void aScrapeAndAPageAt510Instances() {
        List<InstanceStatus> all = new java.util.ArrayList<>();
        for (int n = 0; n < 510; n++) {
            all.add(instance("VI_" + n, n % 2 == 0 ? InstanceState.MASTER : InstanceState.BACKUP, n % 255 + 1, Map.of()));
        }
        endpoint.bindVrrp(core(all));
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory
                .getThreadMXBean();
        long tid = Thread.currentThread().getId();
        for (int i = 0; i < 50; i++) {
            endpoint.scrape();
            endpoint.statusPage();
        }
        int rounds = 100;
        long b0 = mx.getThreadAllocatedBytes(tid);
        long c0 = mx.getCurrentThreadCpuTime();
        int length = 0;
        for (int i = 0; i < rounds; i++) {
            length = endpoint.scrape().length();
        }
        long scrapeBytes = (mx.getThreadAllocatedBytes(tid) - b0) / rounds;
        long scrapeNanos = (mx.getCurrentThreadCpuTime() - c0) / rounds;
        b0 = mx.getThreadAllocatedBytes(tid);
        c0 = mx.getCurrentThreadCpuTime();
        int page = 0;
        for (int i = 0; i < rounds; i++) {
            page = endpoint.statusPage().length();
        }
        long pageBytes = (mx.getThreadAllocatedBytes(tid) - b0) / rounds;
        long pageNanos = (mx.getCurrentThreadCpuTime() - c0) / rounds;
        System.out.printf("510 instances: scrape %d chars, %d bytes allocated, %.2f ms CPU; status page %d chars, "
                + "%d bytes, %.2f ms CPU%n", length, scrapeBytes, scrapeNanos / 1e6, page, pageBytes, pageNanos / 1e6);
        assertThat(length).isGreaterThan(510 * 100);
        // 9.4 MB per scrape before label names were checked once and the buffer sized from the last scrape, 1.6 MB after
        assertThat(scrapeBytes).as("bytes per scrape at 510 instances").isLessThan(4_000_000);
    }

    @AfterEach
    void stop() {
        endpoint.deactivate();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + endpoint.port() + path))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aScrapeHasKeepalivedExportersFamiliesThenEverySourcesOwn() throws Exception {
        endpoint.bindVrrp(core(List.of(instance("VI_1", InstanceState.MASTER, 51, Map.of("AUTH_FAILED", 3L)),
                instance("VI \"2\"", InstanceState.BACKUP, 52, Map.of()))));
        endpoint.addSource(out -> {
            out.family("vigil_test_source", MetricWriter.Type.GAUGE, "a source's family");
            out.sample(7, "name", "x");
        });
        endpoint.activate(config("127.0.0.1", 0));
        HttpResponse<String> r = get("/metrics");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).contains("text/plain; version=0.0.4; charset=utf-8");
        assertThat(r.body().lines()).contains(
                "# TYPE keepalived_up gauge",
                "keepalived_up 1",
                "keepalived_vrrp_state{iname=\"VI_1\",intf=\"lan0\",vrid=\"51\",ip_address=\"192.0.2.100/32\"} 2",
                "keepalived_vrrp_state{iname=\"VI_1\",intf=\"lan0\",vrid=\"51\",ip_address=\"192.0.2.101/32\"} 2",
                "keepalived_vrrp_state{iname=\"VI \\\"2\\\"\",intf=\"lan0\",vrid=\"52\",ip_address=\"192.0.2.100/32\"} 1",
                "# TYPE keepalived_advertisements_sent_total counter",
                "keepalived_advertisements_sent_total{iname=\"VI_1\",intf=\"lan0\",vrid=\"51\"} 34",
                "keepalived_authentication_failure_total{iname=\"VI_1\",intf=\"lan0\",vrid=\"51\"} 3",
                "keepalived_priority_zero_sent_total{iname=\"VI_1\",intf=\"lan0\",vrid=\"51\"} 1",
                "vigil_vrrp_priority{iname=\"VI_1\",intf=\"lan0\",vrid=\"51\"} 140",
                "vigil_vrrp_addresses_held{iname=\"VI_1\",intf=\"lan0\",vrid=\"51\"} 2",
                "vigil_vrrp_dropped_total{iname=\"VI_1\",intf=\"lan0\",vrid=\"51\",reason=\"AUTH_FAILED\"} 3",
                "vigil_test_source{name=\"x\"} 7");
    }

    @Test
    void withoutTheCoreKeepalivedUpIsZeroAndABrokenSourceCostsOnlyItsOwnFamilies() throws Exception {
        endpoint.addSource(out -> {
            throw new IllegalStateException("broken");
        });
        endpoint.addSource(out -> {
            out.family("vigil_fine", MetricWriter.Type.COUNTER, "still here");
            out.sample(1);
        });
        endpoint.activate(config("127.0.0.1", 0));
        assertThat(get("/metrics").body().lines()).contains("keepalived_up 0", "vigil_fine 1");
        assertThat(get("/").statusCode()).isEqualTo(404);
    }

    @Test
    void anOversizedOrCutRequestIsRefusedAndTheNextScrapeIsServed() throws Exception {
        endpoint.activate(config("127.0.0.1", 0));
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), endpoint.port())) {
            OutputStream out = s.getOutputStream();
            out.write(("GET /metrics HTTP/1.1\r\nX: " + "a".repeat(10_000) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            assertThat(answer).startsWith("HTTP/1.1 400 ");
        }
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), endpoint.port())) {
            s.getOutputStream().write("POST /metrics HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII)).startsWith(
                    "HTTP/1.1 405 ");
        }
        assertThat(get("/metrics").statusCode()).isEqualTo(200);
    }

    /** One raw request with the given Host line (the JDK's client sets Host itself); the answer's status line. */
    private String statusWithHost(String hostLine) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), endpoint.port())) {
            s.getOutputStream().write(("GET /status HTTP/1.1\r\n" + hostLine + "User-Agent: test\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).lines().findFirst()
                    .orElse("");
        }
    }

    @Test
    void aForeignHostHeaderIsRefusedSoADnsRebindingPageCannotReadTheEndpoint() throws Exception {
        endpoint.activate(config("127.0.0.1", 0));
        int port = endpoint.port();
        assertThat(statusWithHost("Host: evil.example:" + port + "\r\n")).isEqualTo("HTTP/1.1 421 Misdirected Request");
        assertThat(statusWithHost("Host: evil.example\r\n")).isEqualTo("HTTP/1.1 421 Misdirected Request");
        assertThat(statusWithHost("host: 192.0.2.1:" + port + "\r\n")).as("another address's literal")
                .isEqualTo("HTTP/1.1 421 Misdirected Request");
        assertThat(statusWithHost("Host: 1270.0.0.1\r\n")).isEqualTo("HTTP/1.1 421 Misdirected Request");
        assertThat(statusWithHost("Host: localhost:" + port + "\r\n")).isEqualTo("HTTP/1.1 200 OK");
        assertThat(statusWithHost("Host: LocalHost.\r\n")).isEqualTo("HTTP/1.1 200 OK");
        assertThat(statusWithHost("Host: 127.0.0.1:" + port + "\r\n")).isEqualTo("HTTP/1.1 200 OK");
        assertThat(statusWithHost("Host: [::1]:" + port + "\r\n")).isEqualTo("HTTP/1.1 200 OK");
        assertThat(statusWithHost("Host: localhost:8080\r\n")).as("through a tunnel").isEqualTo("HTTP/1.1 200 OK");
        assertThat(statusWithHost("Host: metrics.example.net\r\n")).as("allowed.hosts").isEqualTo("HTTP/1.1 200 OK");
        assertThat(statusWithHost("")).as("no Host: no browser").isEqualTo("HTTP/1.1 200 OK");
        assertThat(get("/metrics").statusCode()).isEqualTo(200);
    }

    @Test
    void offLoopbackTheMachinesNameAndTheBoundAddressAreAnswered() throws Exception {
        HostCheck bound = new HostCheck(InetAddress.getByName("192.0.2.1"), "router1", List.of());
        assertThat(bound.allows("192.0.2.1:9165")).isTrue();
        assertThat(bound.allows("Router1:9165")).isTrue();
        assertThat(bound.allows("127.0.0.1:9165")).isFalse();
        assertThat(bound.allows("evil.example")).isFalse();
        HostCheck wildcard = new HostCheck(InetAddress.getByName("::"), "router1", List.of("lb.example.net"));
        assertThat(wildcard.allows("[2001:db8::1]:9165")).isTrue();
        assertThat(wildcard.allows("lb.example.net")).isTrue();
        assertThat(wildcard.allows("[2001:db8::1")).isFalse();
        assertThat(wildcard.allows("evil.example")).isFalse();
        HostCheck loopback = new HostCheck(InetAddress.getLoopbackAddress(), "router1", List.of());
        assertThat(loopback.allows("router1")).as("a name resolving elsewhere: not on loopback").isFalse();
    }

    @Test
    void loopbackIsTheDefaultAndAPortInUseIsOneErrorNotAFailure() throws Exception {
        assertThat(MetricsEndpoint.Config.class.getMethod("address").getDefaultValue()).isEqualTo("127.0.0.1");
        endpoint.activate(config("127.0.0.1", 0));
        MetricsEndpoint second = new MetricsEndpoint();
        second.activate(config("127.0.0.1", endpoint.port()));
        assertThat(second.port()).isEqualTo(-1);
        second.deactivate();
    }

    @Test
    void theTextFormatEscapesAndRefusesBadNames() {
        PrometheusText t = new PrometheusText();
        t.family("vigil_x", MetricWriter.Type.GAUGE, "help with \\ and\nnewline");
        t.sample(0.25, "path", "a\\b\nc\"d");
        t.sample(Double.NaN);
        assertThat(t.text()).isEqualTo("# HELP vigil_x help with \\\\ and\\nnewline\n# TYPE vigil_x gauge\n"
                + "vigil_x{path=\"a\\\\b\\nc\\\"d\"} 0.25\nvigil_x NaN\n");
        assertThatThrownBy(() -> t.family("1bad", MetricWriter.Type.GAUGE, "")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> t.family("vigil_x", MetricWriter.Type.GAUGE, "")).hasMessageContaining("twice");
        assertThatThrownBy(() -> t.sample(1, "bad-label", "v")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aHistogramIsWrittenAsBucketsSumAndCount() {
        org.vigil.api.metrics.Histogram h = new org.vigil.api.metrics.Histogram(0.001, 0.01);
        h.record(400);
        h.record(5_000);
        h.record(20_000);
        PrometheusText t = new PrometheusText();
        t.family("vigil_vrrp_timer_lateness_seconds", MetricWriter.Type.HISTOGRAM, "lateness");
        t.histogram(h.snapshot(), "timer", "advert");
        assertThat(t.text()).isEqualTo("# HELP vigil_vrrp_timer_lateness_seconds lateness\n"
                + "# TYPE vigil_vrrp_timer_lateness_seconds histogram\n"
                + "vigil_vrrp_timer_lateness_seconds_bucket{timer=\"advert\",le=\"0.001\"} 1\n"
                + "vigil_vrrp_timer_lateness_seconds_bucket{timer=\"advert\",le=\"0.01\"} 2\n"
                + "vigil_vrrp_timer_lateness_seconds_bucket{timer=\"advert\",le=\"+Inf\"} 3\n"
                + "vigil_vrrp_timer_lateness_seconds_sum{timer=\"advert\"} 0.0254\n"
                + "vigil_vrrp_timer_lateness_seconds_count{timer=\"advert\"} 3\n");
    }

    @Test
    void theStatusPageShowsInstancesGroupsPoolsAndRecentEventsEscapedAndReadOnly() throws Exception {
        endpoint.bindVrrp(core(List.of(instance("VI_1", InstanceState.MASTER, 51, Map.of()),
                instance("VI_<2>", InstanceState.BACKUP, 52, Map.of())),
                List.of(new org.vigil.api.vrrp.SyncGroupStatus("G1", InstanceState.MASTER, List.of("VI_1")))));
        endpoint.bindPools(new org.vigil.api.check.PoolStatus() {
            @Override
            public List<VirtualServer> virtualServers() {
                return List.of(new VirtualServer("[192.0.2.249]:tcp:80", "rr", "NAT", 1, true, 1, false,
                        List.of(new RealServer("[192.0.2.21]:tcp:80", false, true, 1,
                                List.of(new Check("TCP_CHECK", "active", true, 0, "", 300))),
                                new RealServer("[192.0.2.22]:tcp:80", false, false, 1,
                                        List.of(new Check("TCP_CHECK", "active", false, 1, "TCP connection failed", 2)))),
                        null));
            }

            @Override
            public List<String> checkTypes() {
                return List.of("TCP_CHECK");
            }

            @Override
            public Optional<String> loadBalancerDriver() {
                return Optional.empty();
            }
        });
        endpoint.events.transition(new org.vigil.api.vrrp.TransitionEvent(
                org.vigil.api.vrrp.TransitionEvent.Kind.INSTANCE, "VI_1", InstanceState.BACKUP, InstanceState.MASTER,
                150, false, Instant.EPOCH));
        endpoint.activate(config("127.0.0.1", 0));
        HttpResponse<String> r = get("/status");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).contains("text/html; charset=utf-8");
        assertThat(r.headers().firstValue("Content-Security-Policy")).contains("default-src 'none'; style-src 'unsafe-inline'");
        assertThat(r.body()).contains("<td>VI_1</td><td class=\"MASTER\">MASTER</td><td>140 (150)</td>",
                "<td>VI_&lt;2&gt;</td><td class=\"BACKUP\">BACKUP</td>",
                "<td>G1</td><td class=\"MASTER\">MASTER</td><td>VI_1</td>",
                "[192.0.2.249]:tcp:80", "<td>[192.0.2.22]:tcp:80</td><td class=\"DOWN\">DOWN</td>",
                "TCP_CHECK (failing)", "TCP connection failed", "VI_1: BACKUP -&gt; MASTER")
                .doesNotContain("<script", "<form");
        HttpResponse<String> post = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + endpoint.port()
                + "/status")).POST(HttpRequest.BodyPublishers.ofString("x")).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(405);
    }

    @Test
    void theRecentEventsRingKeepsTheNewestFifty() {
        RecentEvents ring = new RecentEvents();
        for (int i = 0; i < 60; i++) {
            ring.changed(new org.vigil.api.check.CheckEvent(org.vigil.api.check.CheckEvent.Kind.REAL_SERVER_UP, "vs",
                    "rs", 1, "line " + i));
        }
        assertThat(ring.newestFirst()).hasSize(RecentEvents.CAPACITY);
        assertThat(ring.newestFirst().get(0).text()).isEqualTo("line 59");
    }
}
