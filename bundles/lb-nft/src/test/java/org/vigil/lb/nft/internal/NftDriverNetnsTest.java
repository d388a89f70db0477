package org.vigil.lb.nft.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.vigil.lb.nft.internal.Services.key;
import static org.vigil.lb.nft.internal.Services.persistent;
import static org.vigil.lb.nft.internal.Services.rs;
import static org.vigil.lb.nft.internal.Services.sorry;
import static org.vigil.lb.nft.internal.Services.vs;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.vigil.api.lb.ServiceKey;
import org.vigil.api.lb.VirtualService;
import org.vigil.testing.netns.HostRequirement;
import org.vigil.testing.netns.NetnsLab;

/**
 * The driver against a real kernel, with real traffic: a client namespace, a director namespace
 * (the VIPs, forwarding on, Vigil's nft and conntrack run there) and real servers rs1..rs3 plus a
 * sorry server, each a python3 HTTP (and UDP) server answering its own name, on one bridge. The
 * real servers route the client's address back through the director (single-segment LVS-NAT).
 * Needs root, nft, conntrack and python3: skipped without them, failed under CI=true.
 */
class NftDriverNetnsTest {
    private static final Duration DEADLINE = Duration.ofSeconds(10);
    private static final String VIP = "192.0.2.249";
    private static final String VIP6 = "2001:db8::249";
    /** The address a fwmark service is reached at: a rule of the user's marks its packets. */
    private static final String MARKED = "192.0.2.248";
    private static final ServiceKey WEB = key(VIP, "tcp", 80);

    private static NetnsLab lab;
    private static Path realServer;
    private static Path client;

    private NftDriver driver;

    @BeforeAll
    static void buildLab() throws Exception {
        NetnsLab.requireRootAndIp("the nftables driver's namespace tests");
        for (String tool : List.of("/usr/sbin/nft", "/usr/sbin/conntrack", "/usr/bin/python3")) {
            HostRequirement.require(Files.isExecutable(Path.of(tool)),
                    tool + " is missing (bash distribution/lab/install-packages.sh installs nftables, conntrack, python3)");
        }
        realServer = resource("/realserver.py");
        client = resource("/client.py");
        lab = new NetnsLab("lbnft");
        lab.createSwitch();
        lab.addHost("d", "02:00:5e:00:01:0a", "192.0.2.10/24", "2001:db8::10/64", VIP + "/24", MARKED + "/24",
                VIP6 + "/64");
        // .101: a second client address the real servers answer directly (the baseline without the director)
        lab.addHost("c", "02:00:5e:00:01:64", "192.0.2.100/24", "2001:db8::100/64", "192.0.2.101/24");
        // the director routes: forwarding on, and no redirects that would send the servers' replies past it
        sysctl("d", "net.ipv4.ip_forward=1", "net.ipv6.conf.all.forwarding=1", "net.ipv4.conf.all.send_redirects=0",
                "net.ipv4.conf.lan0.send_redirects=0");
        // a user's rule marks what reaches MARKED:80 with 10, before Vigil's dstnat (mangle runs first)
        nftIn("d", "add table ip usermarks\n"
                + "add chain ip usermarks pre { type filter hook prerouting priority mangle; policy accept; }\n"
                + "add rule ip usermarks pre ip daddr " + MARKED + " tcp dport 80 meta mark set 10\n");
        List<String> servers = List.of("rs1", "rs2", "rs3", "sorry");
        for (int i = 0; i < servers.size(); i++) {
            String h = servers.get(i);
            int n = i < 3 ? 21 + i : 30;
            lab.addHost(h, String.format("02:00:5e:00:01:%02x", n), "192.0.2." + n + "/24", "2001:db8::" + n + "/64");
            NetnsLab.ip("-n", lab.ns(h), "route", "add", "192.0.2.100/32", "via", "192.0.2.10");
            NetnsLab.ip("-n", lab.ns(h), "-6", "route", "add", "2001:db8::100/128", "via", "2001:db8::10");
            sysctl(h, "net.ipv4.conf.all.accept_redirects=0", "net.ipv4.conf.lan0.accept_redirects=0",
                    "net.ipv6.conf.all.accept_redirects=0", "net.ipv6.conf.lan0.accept_redirects=0");
            new ProcessBuilder("ip", "netns", "exec", lab.ns(h), "python3", realServer.toString(), h)
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        }
        for (String h : servers) {
            String addr = "192.0.2." + (h.equals("sorry") ? 30 : 20 + Integer.parseInt(h.substring(2)));
            await().atMost(DEADLINE).until(() -> requests(addr, 80, 1, "http").equals(List.of(h)));
        }
    }

    @AfterAll
    static void tearDown() {
        if (lab != null) {
            lab.close(); // kills the servers by PID; the director's tables go with its namespace
        }
    }

    @BeforeEach
    void newDriver() {
        List<String> in = List.of("ip", "netns", "exec", lab.ns("d"));
        driver = new NftDriver(Commands.processes(10_000), concat(in, "nft"), concat(in, "conntrack"), "vigil");
    }

    @AfterEach
    void stopDriver() throws IOException {
        driver.close();
        assertThat(nft("list", "tables")).doesNotContain("inet vigil");
    }

    @Test
    void requestsReachOnlyLiveServersByWeight() throws IOException {
        driver.apply(List.of(vs(WEB, "wrr", rs("192.0.2.21", 80, 3), rs("192.0.2.22", 80, 1), rs("192.0.2.23", 80, 0))),
                List.of());
        Map<String, Long> counts = count(requests(VIP, 80, 40, "http"));
        System.out.println("wrr 3:1:0, 40 requests: " + counts);
        // numgen inc is a counter: the split is exact, not only within a tolerance
        assertThat(counts).containsExactlyInAnyOrderEntriesOf(Map.of("rs1", 30L, "rs2", 10L));
        String table = nft("list", "table", "inet", "vigil");
        assertThat(table).contains("192.0.2.249 . tcp . 80 : jump vs_192_0_2_249_tcp_80")
                .contains("dnat ip to 192.0.2.21:80").doesNotContain("192.0.2.23");
    }

    @Test
    void aServerRemovedFromThePoolGetsNoNewConnections() throws IOException {
        driver.apply(List.of(vs(WEB, "rr", rs("192.0.2.21", 80, 1), rs("192.0.2.22", 80, 1), rs("192.0.2.23", 80, 1))),
                List.of());
        assertThat(count(requests(VIP, 80, 30, "http"))).containsOnlyKeys("rs1", "rs2", "rs3");
        driver.apply(List.of(vs(WEB, "rr", rs("192.0.2.21", 80, 1), rs("192.0.2.23", 80, 1))), List.of());
        Map<String, Long> after = count(requests(VIP, 80, 30, "http"));
        System.out.println("rr after rs2 left, 30 requests: " + after);
        assertThat(after).containsExactlyInAnyOrderEntriesOf(Map.of("rs1", 15L, "rs3", 15L));
        // and back
        driver.apply(List.of(vs(WEB, "rr", rs("192.0.2.21", 80, 1), rs("192.0.2.22", 80, 1), rs("192.0.2.23", 80, 1))),
                List.of());
        assertThat(count(requests(VIP, 80, 30, "http"))).containsEntry("rs2", 10L);
    }

    @Test
    void anEstablishedConnectionSurvivesAChangeElsewhereAndADeadServersClientReconnects() throws Exception {
        driver.apply(List.of(vs(WEB, "rr", rs("192.0.2.21", 80, 1), rs("192.0.2.22", 80, 1))), List.of());
        try (KeepAlive first = new KeepAlive(VIP); KeepAlive second = new KeepAlive(VIP)) {
            String a = first.ask();
            String b = second.ask();
            assertThat(List.of(a, b)).containsExactlyInAnyOrder("rs1", "rs2");
            KeepAlive onRs1 = a.equals("rs1") ? first : second;
            KeepAlive onRs2 = a.equals("rs1") ? second : first;
            // rs2 dies (leaves the pool), rs3 joins: rs1's connection is not touched
            driver.apply(List.of(vs(WEB, "rr", rs("192.0.2.21", 80, 1), rs("192.0.2.23", 80, 1))), List.of());
            assertThat(onRs1.ask()).isEqualTo("rs1");
            assertThat(onRs1.ask()).isEqualTo("rs1");
            // rs2's client: its translation was deleted, so its next packet meets a live server's reset
            long t0 = System.nanoTime();
            String cut = onRs2.ask();
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            System.out.println("the dead server's client on its old connection: " + cut + " after " + ms + " ms");
            assertThat(cut).startsWith("ERR");
            assertThat(ms).isLessThan(2000);
            assertThat(onRs2.ask()).isIn("rs1", "rs3");
        }
        assertThat(conntrack("-L", "--reply-src", "192.0.2.22")).doesNotContain("dport=80");
    }

    @Test
    void theSorryServerAnswersWhenAllAreDown() throws IOException {
        driver.apply(List.of(vs(WEB, "rr", rs("192.0.2.21", 80, 1))), List.of());
        driver.apply(List.of(sorry(WEB, rs("192.0.2.30", 80, 1))), List.of());
        assertThat(count(requests(VIP, 80, 5, "http"))).containsExactlyEntriesOf(Map.of("sorry", 5L));
        driver.apply(List.of(vs(WEB, "rr", rs("192.0.2.22", 80, 1))), List.of());
        assertThat(count(requests(VIP, 80, 5, "http"))).containsExactlyEntriesOf(Map.of("rs2", 5L));
        // none alive and no sorry server: refused at once by the director (nothing listens), no hang
        driver.apply(List.of(vs(WEB, "rr")), List.of());
        assertThat(requests(VIP, 80, 1, "http")).containsExactly("ERR ConnectionRefusedError");
    }

    @Test
    void ipv6() throws IOException {
        ServiceKey web6 = key(VIP6, "tcp", 80);
        driver.apply(List.of(vs(web6, "wrr", rs("2001:db8::21", 80, 1), rs("2001:db8::22", 80, 1))), List.of());
        Map<String, Long> counts = count(requests(VIP6, 80, 20, "http"));
        System.out.println("IPv6 wrr 1:1, 20 requests: " + counts);
        assertThat(counts).containsExactlyInAnyOrderEntriesOf(Map.of("rs1", 10L, "rs2", 10L));
        driver.apply(List.of(vs(web6, "wrr", rs("2001:db8::22", 80, 1))), List.of());
        assertThat(count(requests(VIP6, 80, 10, "http"))).containsExactlyEntriesOf(Map.of("rs2", 10L));
        driver.apply(List.of(sorry(web6, rs("2001:db8::30", 80, 1))), List.of());
        assertThat(count(requests(VIP6, 80, 3, "http"))).containsExactlyEntriesOf(Map.of("sorry", 3L));
    }

    @Test
    void clientsOnTheDirectorItselfAreBalancedToo() throws IOException {
        // the output hook: a local process (a monitoring script, say) connecting to the VIP
        driver.apply(List.of(vs(WEB, "rr", rs("192.0.2.21", 80, 1), rs("192.0.2.22", 80, 1))), List.of());
        assertThat(count(requestsFrom("d", VIP, 80, 6, "http", ""))).containsExactlyInAnyOrderEntriesOf(
                Map.of("rs1", 3L, "rs2", 3L));
    }

    @Test
    void udpIsBalancedPerFlow() throws IOException {
        ServiceKey dns = key(VIP, "udp", 53);
        driver.apply(List.of(vs(dns, "rr", rs("192.0.2.21", 5353, 1), rs("192.0.2.22", 5353, 1))), List.of());
        Map<String, Long> counts = count(requests(VIP, 53, 10, "udp"));
        System.out.println("UDP rr, 10 datagrams from new sockets: " + counts);
        assertThat(counts).containsExactlyInAnyOrderEntriesOf(Map.of("rs1", 5L, "rs2", 5L));
    }

    @Test
    void aUdpFlowToADeadServerMovesToALiveOne() throws Exception {
        // without the conntrack deletion, a client that keeps its source port would talk to the dead server forever
        ServiceKey dns = key(VIP, "udp", 53);
        driver.apply(List.of(vs(dns, "rr", rs("192.0.2.21", 5353, 1), rs("192.0.2.22", 5353, 1))), List.of());
        try (KeepAlive flow = new KeepAlive("udpsocket", VIP, 53)) {
            String first = flow.ask();
            assertThat(flow.ask()).isEqualTo(first);
            String other = first.equals("rs1") ? "192.0.2.22" : "192.0.2.21";
            String dead = first.equals("rs1") ? "192.0.2.21" : "192.0.2.22";
            driver.apply(List.of(vs(dns, "rr", rs(other, 5353, 1))), List.of());
            assertThat(flow.ask()).isNotEqualTo(first).startsWith("rs");
            assertThat(conntrack("-L", "-p", "udp", "--reply-src", dead)).doesNotContain("sport=5353");
        }
    }

    @Test
    void persistenceAndSourceHashingKeepAClientOnOneServer() throws IOException {
        // first without persistence: turning it on changes the service's shape, rebuilt in one transaction
        driver.apply(List.of(vs(WEB, "rr", rs("192.0.2.21", 80, 1), rs("192.0.2.22", 80, 1))), List.of());
        assertThat(count(requests(VIP, 80, 4, "http"))).hasSize(2);
        driver.apply(List.of(persistent(WEB, "rr", 60, "", rs("192.0.2.21", 80, 1), rs("192.0.2.22", 80, 1),
                rs("192.0.2.23", 80, 1))), List.of());
        Map<String, Long> counts = count(requests(VIP, 80, 12, "http"));
        assertThat(counts).hasSize(1);
        String home = counts.keySet().iterator().next();
        // another server joining does not move the client: its entry is in its server's set
        driver.apply(List.of(persistent(WEB, "rr", 60, "", rs("192.0.2.21", 80, 1), rs("192.0.2.22", 80, 1),
                rs("192.0.2.23", 80, 1), rs("192.0.2.30", 80, 1))), List.of());
        assertThat(count(requests(VIP, 80, 12, "http"))).containsOnlyKeys(home);
        assertThat(nft("list", "table", "inet", "vigil")).contains("192.0.2.100 expires");

        ServiceKey hashed = key(VIP, "tcp", 8080);
        driver.apply(List.of(vs(hashed, "sh", rs("192.0.2.21", 80, 1), rs("192.0.2.22", 80, 1))), List.of());
        assertThat(count(requests(VIP, 8080, 10, "http"))).hasSize(1);
    }

    @Test
    void fwmarkServices() throws IOException {
        ServiceKey marked = ServiceKey.fwmark(10, false, "tcp");
        driver.apply(List.of(vs(marked, "rr", rs("192.0.2.21", 80, 1), rs("192.0.2.23", 80, 1))), List.of());
        assertThat(count(requests(MARKED, 80, 10, "http"))).containsExactlyInAnyOrderEntriesOf(
                Map.of("rs1", 5L, "rs3", 5L));
    }

    @Test
    void aNewRunReplacesWhatACrashedOneLeftAndStopRemovesTheTable() throws IOException {
        driver.apply(List.of(vs(WEB, "rr", rs("192.0.2.21", 80, 1))), List.of());
        // a crash: the old run's table stays (and keeps serving); someone also added a chain by hand
        nftIn("d", "add chain inet vigil leftover\n");
        assertThat(requests(VIP, 80, 1, "http")).containsExactly("rs1");
        List<String> in = List.of("ip", "netns", "exec", lab.ns("d"));
        NftDriver restarted = new NftDriver(Commands.processes(10_000), concat(in, "nft"), concat(in, "conntrack"),
                "vigil");
        restarted.apply(List.of(vs(WEB, "rr", rs("192.0.2.22", 80, 1))), List.of());
        assertThat(nft("list", "table", "inet", "vigil")).doesNotContain("leftover").doesNotContain("192.0.2.21");
        assertThat(requests(VIP, 80, 2, "http")).containsExactly("rs2", "rs2");
        restarted.close();
        assertThat(nft("list", "tables")).doesNotContain("inet vigil");
    }

    @Test
    void lbShowReadsTheKernelBackBesideTheCheckersPoolAndRepairsADifference() throws IOException {
        driver.apply(List.of(vs(WEB, "wrr", rs("192.0.2.21", 80, 3), rs("192.0.2.22", 80, 1), rs("192.0.2.23", 80, 0)),
                persistent(key(VIP6, "tcp", 80), "rr", 60, "64", rs("2001:db8::21", 80, 1), rs("2001:db8::22", 80, 1)),
                vs(ServiceKey.fwmark(10, false, "tcp"), "sh", rs("192.0.2.21", 80, 1))), List.of());
        requests(VIP, 80, 8, "http");
        NftDriver.Report clean = driver.verify(true);
        String text = LbText.show(clean, "vigil");
        System.out.println(text);
        assertThat(clean.differences()).isEmpty();
        assertThat(clean.repaired()).isFalse();
        assertThat(text).contains("kernel matches the checker's pools")
                .containsPattern("\\[192.0.2.21\\]:tcp:80 +3  0-2 -> 192.0.2.21:80 +6")
                .containsPattern("\\[192.0.2.22\\]:tcp:80 +1  3 -> 192.0.2.22:80 +2")
                .containsPattern("\\[192.0.2.23\\]:tcp:80 +0  not chosen \\(weight 0\\)");

        // an administrator flushes a service chain and deletes a real server's chain by hand
        nftIn("d", "flush chain inet vigil vs_192_0_2_249_tcp_80\n"
                + "delete chain inet vigil rs_192_0_2_249_tcp_80__192_0_2_22_80\n");
        assertThat(requests(VIP, 80, 1, "http")).containsExactly("ERR ConnectionRefusedError");
        NftDriver.Report broken = driver.verify(true);
        System.out.println(LbText.show(broken, "vigil"));
        assertThat(broken.differences()).anySatisfy(d -> assertThat(d).contains("slots"))
                .anySatisfy(d -> assertThat(d).contains("192.0.2.22:80 not translated"));
        assertThat(broken.repaired()).isTrue();
        assertThat(driver.verify(false).differences()).isEmpty();
        assertThat(count(requests(VIP, 80, 4, "http"))).containsExactlyInAnyOrderEntriesOf(Map.of("rs1", 3L, "rs2", 1L));
    }

    @Test
    void throughputThroughTheVipBesideADirectConnection() throws IOException {
        driver.apply(List.of(vs(WEB, "wrr", rs("192.0.2.21", 80, 1))), List.of());
        int n = 400;
        requests(VIP, 80, 20, "http"); // warm-up
        // direct: from .101, which rs1 answers itself; through the VIP: from .100, both ways through the director
        double direct = rate("192.0.2.21", n, "192.0.2.101");
        double vip = rate(VIP, n, "192.0.2.100");
        double direct2 = rate("192.0.2.21", n, "192.0.2.101");
        double vip2 = rate(VIP, n, "192.0.2.100");
        System.out.printf("new HTTP connections per second, one python3 client, %d each, two rounds:"
                + " direct to rs1 %.0f / %.0f, through the VIP (director, nftables DNAT) %.0f / %.0f%n", n, direct,
                direct2, vip, vip2);
        assertThat(vip).isPositive();
    }

    private static double rate(String host, int n, String source) throws IOException {
        long t0 = System.nanoTime();
        List<String> answers = requests(host, 80, n, "http", source);
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertThat(answers).hasSize(n).containsOnly("rs1");
        return n / seconds;
    }

    @Test
    void poolChangeLatency() throws IOException {
        System.out.print(changeLatency(200));
        assertThat(requests(VIP, 80, 3, "http")).containsExactly("rs1", "rs2", "rs2");
    }

    /**
     * {@code rounds} weight changes, then {@code rounds} leave/return changes, each timed until
     * apply() returns (the nft transaction committed); leaves the pool at rs1 1, rs2 2.
     */
    private String changeLatency(int rounds) throws IOException {
        driver.apply(List.of(vs(WEB, "wrr", rs("192.0.2.21", 80, 1), rs("192.0.2.22", 80, 1))), List.of());
        long[] weight = new long[rounds];
        long[] member = new long[rounds];
        for (int i = 0; i < rounds; i++) {
            weight[i] = timed(vs(WEB, "wrr", rs("192.0.2.21", 80, 1), rs("192.0.2.22", 80, i % 2 == 0 ? 2 : 1)));
        }
        for (int i = 0; i < rounds; i++) {
            member[i] = timed(i % 2 == 0 ? vs(WEB, "wrr", rs("192.0.2.21", 80, 1))
                    : vs(WEB, "wrr", rs("192.0.2.21", 80, 1), rs("192.0.2.22", 80, 2)));
        }
        return "pool change -> the kernel holds it (apply() returns after nft commits), " + rounds
                + " changes each; every nft/conntrack call here also pays `ip netns exec`:\n"
                + "  weight change (one nft -f - transaction):       " + percentiles(weight) + "\n"
                + "  server leaves / returns (nft + conntrack -D):   " + percentiles(member) + "\n";
    }

    /**
     * Issue 10's benchmark, behind -Dvigil.bench=true (not in CI): 1,000 pool changes timed to the
     * committed nft transaction, and requests per second with wrk against a HAProxy real server
     * (fast enough that the data plane, not the server, shows), direct and through the VIP, in one
     * run; written to target/lb-nft-benchmark.txt (recorded in distribution/lab/results/).
     */
    @Test
    @org.junit.jupiter.api.condition.EnabledIfSystemProperty(named = "vigil.bench", matches = "true")
    void dataPlaneBenchmark() throws Exception {
        StringBuilder out = new StringBuilder("lb-nft data plane benchmark, " + java.time.Instant.now() + ", "
                + Runtime.getRuntime().availableProcessors() + " cores, load "
                + Files.readString(Path.of("/proc/loadavg")).trim() + "\n");
        out.append(changeLatency(1000));

        Path cfg = Files.createTempFile("rs1-haproxy", ".cfg");
        Files.writeString(cfg, "global\n  maxconn 4000\ndefaults\n  mode http\n  timeout client 10s\n"
                + "  timeout server 10s\n  timeout connect 5s\nfrontend fe\n  bind :8080\n"
                + "  http-request return status 200 content-type text/plain string rs1\n");
        new ProcessBuilder("ip", "netns", "exec", lab.ns("rs1"), "haproxy", "-f", cfg.toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        await().atMost(DEADLINE).ignoreExceptions()
                .until(() -> requests("192.0.2.21", 8080, 1, "http").equals(List.of("rs1")));
        driver.apply(List.of(vs(key(VIP, "tcp", 8080), "wrr", rs("192.0.2.21", 8080, 1))), List.of());
        out.append("requests per second, wrk -t1 -c16 -d10s from the client, HAProxy answering in rs1 (same run):\n");
        for (String mode : List.of("keep-alive", "close")) {
            // direct: rs1 answers the client itself (its route back through the director removed meanwhile)
            NetnsLab.ip("-n", lab.ns("rs1"), "route", "del", "192.0.2.100/32", "via", "192.0.2.10");
            String direct = wrk("http://192.0.2.21:8080/", mode);
            NetnsLab.ip("-n", lab.ns("rs1"), "route", "add", "192.0.2.100/32", "via", "192.0.2.10");
            String vip = wrk("http://" + VIP + ":8080/", mode);
            out.append(String.format("  %-10s direct to rs1 %s, through the VIP (nftables DNAT on the director) %s%n",
                    mode, direct, vip));
        }
        Files.writeString(Path.of("target", "lb-nft-benchmark.txt"), out);
        System.out.print(out);
    }

    /** wrk's "Requests/sec" for 10 s; "close" sends Connection: close, a new connection (and conntrack entry) each. */
    private static String wrk(String url, String mode) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of("ip", "netns", "exec", lab.ns("c"), "wrk", "-t1", "-c16",
                "-d10s"));
        if (mode.equals("close")) {
            cmd.addAll(List.of("-H", "Connection: close"));
        }
        cmd.add(url);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("Requests/sec:\\s+([0-9.]+)").matcher(text);
        String errors = text.contains("Non-2xx") || text.contains("Socket errors") ? " (" + text.lines()
                .filter(l -> l.contains("Non-2xx") || l.contains("Socket errors")).findFirst().orElse("").trim() + ")"
                : "";
        return (m.find() ? m.group(1) + " req/s" : "no result: " + text.trim()) + errors;
    }

    private long timed(VirtualService next) throws IOException {
        long t0 = System.nanoTime();
        driver.apply(List.of(next), List.of());
        return (System.nanoTime() - t0) / 1000;
    }

    private static String percentiles(long[] micros) {
        long[] m = micros.clone();
        Arrays.sort(m);
        return String.format("p50 %.1f ms, p99 %.1f ms, max %.1f ms", m[m.length / 2] / 1000.0,
                m[m.length * 99 / 100] / 1000.0, m[m.length - 1] / 1000.0);
    }

    // ---- helpers ----

    /** One HTTP/1.1 connection from the client, held open. */
    private static final class KeepAlive implements AutoCloseable {
        private final Process p;
        private final Writer in;
        private final BufferedReader out;

        KeepAlive(String host) throws IOException {
            this("keepalive", host, 80);
        }

        KeepAlive(String mode, String host, int port) throws IOException {
            p = new ProcessBuilder("ip", "netns", "exec", lab.ns("c"), "python3", client.toString(), mode, host,
                    Integer.toString(port)).redirectErrorStream(true).start();
            in = new java.io.OutputStreamWriter(p.getOutputStream(), StandardCharsets.UTF_8);
            out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        }

        String ask() throws Exception {
            in.write("\n");
            in.flush();
            return CompletableFuture.supplyAsync(() -> {
                try {
                    return out.readLine();
                } catch (IOException e) {
                    return "ERR " + e;
                }
            }).get(10, TimeUnit.SECONDS);
        }

        @Override
        public void close() {
            p.destroyForcibly();
        }
    }

    private static List<String> requests(String host, int port, int n, String kind) throws IOException {
        return requests(host, port, n, kind, "");
    }

    private static List<String> requests(String host, int port, int n, String kind, String source) throws IOException {
        return requestsFrom("c", host, port, n, kind, source);
    }

    private static List<String> requestsFrom(String ns, String host, int port, int n, String kind, String source)
            throws IOException {
        ProcessBuilder pb = new ProcessBuilder("ip", "netns", "exec", lab.ns(ns), "python3", client.toString(), "requests", host,
                Integer.toString(port), Integer.toString(n), kind).redirectErrorStream(true);
        pb.environment().put("SOURCE", source);
        Process p = pb.start();
        try {
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("the client did not finish in 30 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        return text.isEmpty() ? List.of() : List.of(text.split("\n"));
    }

    private static Map<String, Long> count(List<String> answers) {
        return answers.stream().collect(Collectors.groupingBy(Function.identity(), TreeMap::new, Collectors.counting()));
    }

    private static String nft(String... args) throws IOException {
        List<String> argv = new ArrayList<>(List.of("ip", "netns", "exec", lab.ns("d"), "nft"));
        argv.addAll(List.of(args));
        return NetnsLab.sh(argv.toArray(String[]::new));
    }

    private static String conntrack(String... args) throws IOException {
        List<String> argv = new ArrayList<>(List.of("ip", "netns", "exec", lab.ns("d"), "conntrack"));
        argv.addAll(List.of(args));
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }

    private static void nftIn(String host, String script) throws IOException {
        Commands.Result r = Commands.processes(10_000).run(List.of("ip", "netns", "exec", lab.ns(host), "nft", "-f", "-"),
                script);
        if (!r.ok()) {
            throw new IOException("nft: " + r.output());
        }
    }

    private static void sysctl(String host, String... settings) throws IOException {
        List<String> argv = new ArrayList<>(List.of("ip", "netns", "exec", lab.ns(host), "sysctl", "-qw"));
        argv.addAll(List.of(settings));
        NetnsLab.sh(argv.toArray(String[]::new));
    }

    private static List<String> concat(List<String> prefix, String program) {
        List<String> out = new ArrayList<>(prefix);
        out.add(program);
        return out;
    }

    private static Path resource(String name) throws URISyntaxException {
        return Path.of(NftDriverNetnsTest.class.getResource(name).toURI());
    }
}
