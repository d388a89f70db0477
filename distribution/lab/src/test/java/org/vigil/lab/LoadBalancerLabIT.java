package org.vigil.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;
import org.vigil.testing.netns.HostRequirement;

/**
 * The appliance as a load balancer (issue 10, item 1): bin/vigil on r1 holds the VIP and a
 * virtual_server with two real servers (python3 HTTP servers in namespaces rs1, rs2 that answer
 * their name, TCP_CHECK each); the nftables driver programs table inet vigil in r1's namespace.
 * The client c1 reaches both through the VIP; a real server whose process dies leaves the kernel's
 * pool after its check fails, with both dead the sorry server answers, and a real server that
 * comes back gets traffic again; stopping Vigil removes the table. A second test kills the master
 * of two directors and counts the client's failures. lb_kind NAT on one segment: the
 * real servers route the client back through r1, which forwards.
 */
class LoadBalancerLabIT extends LabTest {
    private static final String SERVER = String.join("\n",
            "import socket, sys",
            "from http.server import BaseHTTPRequestHandler, HTTPServer",
            "class H(BaseHTTPRequestHandler):",
            "    def do_GET(self):",
            "        body = (sys.argv[1] + '\\n').encode()",
            "        self.send_response(200)",
            "        self.send_header('Content-Length', str(len(body)))",
            "        self.end_headers()",
            "        self.wfile.write(body)",
            "    def log_message(self, *a):",
            "        pass",
            "class S(HTTPServer):",
            "    address_family = socket.AF_INET6", // dual-stack: IPv4 and IPv6 on one socket
            "S(('::', 80), H).serve_forever()", "");

    private boolean realServersAdded;

    @Override
    protected int routers() {
        return 2;
    }

    private void realServers() {
        if (realServersAdded) {
            return;
        }
        realServersAdded = true;
        for (String tool : List.of("/usr/sbin/nft", "/usr/sbin/conntrack", "/usr/bin/curl", "/usr/bin/python3")) {
            HostRequirement.require(java.nio.file.Files.isExecutable(java.nio.file.Path.of(tool)),
                    tool + " is missing; install the lab packages: bash distribution/lab/install-packages.sh");
        }
        // the director forwards, and sends no redirects that would route replies past it
        for (String r : List.of("r1", "r2")) {
            Sh.ok("ip", "netns", "exec", lab.ns(r), "sysctl", "-qw", "net.ipv4.ip_forward=1",
                    "net.ipv6.conf.all.forwarding=1",
                    "net.ipv4.conf.all.send_redirects=0", "net.ipv4.conf.lan0.send_redirects=0");
        }
        for (String rs : List.of("rs1", "rs2", "sorry")) {
            lab.addHost(rs, address(rs), address(rs).replace("192.0.2.", "2001:db8::"));
            // through the VIP: the replies follow whichever director is master
            Sh.ok("ip", "-n", lab.ns(rs), "route", "add", "192.0.2.100/32", "via", Lab.VIP4);
            Sh.ok("ip", "-n", lab.ns(rs), "-6", "route", "add", "2001:db8::100/128", "via", Lab.VIP6);
            Sh.ok("ip", "netns", "exec", lab.ns(rs), "sysctl", "-qw", "net.ipv4.conf.all.accept_redirects=0",
                    "net.ipv4.conf.lan0.accept_redirects=0", "net.ipv6.conf.all.accept_redirects=0",
                    "net.ipv6.conf.lan0.accept_redirects=0");
        }
    }

    /** A real server process, stopped by its PID. */
    private final class RealServer implements AutoCloseable {
        private final Process process;

        RealServer(String host) {
            try {
                process = new ProcessBuilder("ip", "netns", "exec", lab.ns(host), "python3", "-c", SERVER, host)
                        .redirectErrorStream(true).redirectOutput(dir("server-" + host).resolve("log").toFile()).start();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            // asked from r2: the client's own replies go through the VIP, which nobody may hold yet
            await(host + " answers").atMost(SHORT).pollInterval(Duration.ofMillis(100))
                    .until(() -> get("r2", address(host)).equals(host));
        }

        @Override
        public void close() {
            process.destroyForcibly();
            try {
                process.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** rs1 .21, rs2 .22, the sorry server .30. */
    private static String address(String host) {
        return host.equals("sorry") ? "192.0.2.30" : "192.0.2.2" + host.substring(2);
    }

    private String get(String address) {
        return get("c1", address);
    }

    private String get(String from, String address) {
        // an IPv6 address alone is bracketed; "[address]:port" is taken as it is
        String url = address.contains(":") && !address.startsWith("[") ? "http://[" + address + "]/"
                : "http://" + address + "/";
        Sh.Result r = Sh.quiet("ip", "netns", "exec", lab.ns(from), "curl", "-g", "-s", "-m", "2", url);
        return r.exit() == 0 ? r.out().strip() : "ERR curl " + r.exit();
    }

    private Map<String, Integer> spread(int n) {
        Map<String, Integer> counts = new TreeMap<>();
        for (int i = 0; i < n; i++) {
            counts.merge(get(Lab.VIP4), 1, Integer::sum);
        }
        return counts;
    }

    private String table() {
        return Sh.quiet("ip", "netns", "exec", lab.ns("r1"), "nft", "list", "table", "inet", "vigil").out();
    }

    private static String config() {
        return config(Vrrp.v2Pass(), "r1", 150);
    }

    private static String config(Vrrp vrrp, String router, int priority) {
        return vrrp.config(router, priority) + String.join("\n",
                "virtual_server " + Lab.VIP4 + " 80 {",
                "    delay_loop 1",
                "    lb_algo wrr",
                "    lb_kind NAT",
                "    protocol TCP",
                "    sorry_server 192.0.2.30 80",
                "    real_server 192.0.2.21 80 {",
                "        weight 3",
                "        TCP_CHECK {",
                "            connect_timeout 1",
                "            retry 0",
                "        }",
                "    }",
                "    real_server 192.0.2.22 80 {",
                "        weight 1",
                "        TCP_CHECK {",
                "            connect_timeout 1",
                "            retry 0",
                "        }",
                "    }",
                "}",
                // direct routing: nftables cannot forward to a MAC address, so the driver refuses it
                "virtual_server " + Lab.VIP4 + " 8080 {",
                "    delay_loop 1",
                "    lb_algo rr",
                "    lb_kind DR",
                "    protocol TCP",
                "    real_server 192.0.2.21 80 {",
                "        TCP_CHECK {",
                "            connect_timeout 1",
                "        }",
                "    }",
                "}", "");
    }

    @Test
    void theClientReachesOnlyLiveRealServersThroughTheVipAndStopRemovesTheTable() throws IOException {
        realServers();
        RealServer rs1 = track(new RealServer("rs1"));
        RealServer rs2 = track(new RealServer("rs2"));
        Daemon.Vigil r1 = vigil("r1", config());
        r1.awaitLog("(VI_1) Entering MASTER STATE", START);
        r1.awaitLog("Load-balancer driver nft programs the pools", SHORT);
        await("the pool in r1's table inet vigil").atMost(SHORT).pollInterval(Duration.ofMillis(200))
                .until(() -> table().contains("dnat ip to 192.0.2.21:80") && table().contains("dnat ip to 192.0.2.22:80"));
        // (keepalived's DR forwards to the virtual port whatever the real server's: the checker hands 8080)
        r1.awaitLog("Load balancer nft cannot program VS [192.0.2.249]:tcp:8080: lb_kind DR for real server"
                + " [192.0.2.21]:tcp:8080: nftables only rewrites addresses (NAT)", SHORT);
        String listing = table();
        System.out.println("nft list table inet vigil in r1:\n" + listing);
        assertThat(listing).contains("192.0.2.249 . tcp . 80 : jump vs_192_0_2_249_tcp_80")
                .contains("numgen inc mod 4 vmap { 0-2 : jump rs_192_0_2_249_tcp_80__192_0_2_21_80, 3 : jump rs_192_0_2_249_tcp_80__192_0_2_22_80 }");

        // the DR service never reaches the kernel, also after its real server fails (an empty pool shows no lb_kind)
        r1.awaitLog("Removing service [192.0.2.21]:tcp:8080 from VS [192.0.2.249]:tcp:8080", SHORT);
        assertThat(table()).doesNotContain("8080");
        Map<String, Integer> before = spread(40);
        System.out.println("40 requests through the VIP, weights 3:1: " + before);
        // the checker's own TCP_CHECKs go to the real servers directly, not through the VIP: the split is exact
        assertThat(before).isEqualTo(Map.of("rs1", 30, "rs2", 10));
        // lb:show through the control socket: the checker's pool beside the kernel's, read back
        Sh.Result show = Sh.run(List.of(LabEnv.dist().resolve("bin/vigil").toString(), "ctl", "-p",
                r1.dir.resolve("vigil.pid").toString(), "lb:show"));
        System.out.println("bin/vigil ctl lb:show:\n" + show.out() + show.err());
        assertThat(show.out()).contains("kernel matches the checker's pools")
                .containsPattern("\\[192.0.2.21\\]:tcp:80 +3  0-2 -> 192.0.2.21:80 +30")
                .containsPattern("\\[192.0.2.22\\]:tcp:80 +1  3 -> 192.0.2.22:80 +10");

        // from here a client opens a new connection every 20 ms; its failures are counted per event
        java.nio.file.Path out = dir("client-loop").resolve("requests");
        Process loop = new ProcessBuilder("ip", "netns", "exec", lab.ns("c1"), "python3", "-c", LOOP, Lab.VIP4)
                .redirectErrorStream(true).redirectOutput(out.toFile()).start();
        track(loop::destroyForcibly);
        await("the client loop runs").atMost(SHORT).until(() -> lines(out).size() >= 10);
        List<long[]> events = new ArrayList<>();
        List<String> names = new ArrayList<>();
        int mark = r1.mark();
        long t = System.currentTimeMillis();
        rs2.close();
        r1.awaitLog("Removing service [192.0.2.22]:tcp:80 from VS [192.0.2.249]:tcp:80", mark, SHORT);
        events.add(new long[] { t, System.currentTimeMillis() });
        names.add("rs2 killed");
        await("rs2 gone from the table").atMost(SHORT).pollInterval(Duration.ofMillis(100))
                .until(() -> !table().contains("192.0.2.22"));
        List<String> after = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            after.add(get(Lab.VIP4));
        }
        System.out.println("20 requests after rs2 died: " + after.stream().distinct().toList());
        assertThat(after).containsOnly("rs1");

        // all down: the sorry server answers; rs2 back: the pool again, and it gets traffic
        track(new RealServer("sorry"));
        mark = r1.mark();
        t = System.currentTimeMillis();
        rs1.close();
        r1.awaitLog("Adding sorry server [192.0.2.30]:tcp:80 to VS [192.0.2.249]:tcp:80", mark, SHORT);
        events.add(new long[] { t, System.currentTimeMillis() });
        names.add("rs1 killed (sorry server)");
        await("the sorry server in the table").atMost(SHORT).pollInterval(Duration.ofMillis(100))
                .until(() -> table().contains("dnat ip to 192.0.2.30:80") && !table().contains("192.0.2.21"));
        Map<String, Integer> sorry = spread(10);
        System.out.println("10 requests with both real servers dead: " + sorry);
        assertThat(sorry).isEqualTo(Map.of("sorry", 10));
        mark = r1.mark();
        t = System.currentTimeMillis();
        track(new RealServer("rs2"));
        r1.awaitLog("Removing sorry server [192.0.2.30]:tcp:80 from VS [192.0.2.249]:tcp:80", mark, SHORT);
        events.add(new long[] { t, System.currentTimeMillis() });
        names.add("rs2 restored");
        await("rs2 back in the table").atMost(SHORT).pollInterval(Duration.ofMillis(100))
                .until(() -> table().contains("dnat ip to 192.0.2.22:80") && !table().contains("192.0.2.30"));
        Map<String, Integer> back = spread(10);
        System.out.println("10 requests after rs2 came back: " + back);
        assertThat(back).isEqualTo(Map.of("rs2", 10));
        loop.destroyForcibly();
        // once the checker has said so (and nft holds it), nothing fails until the next event
        printFailuresPerEvent(lines(out), events, names, 200);

        r1.term();
        assertThat(Sh.quiet("ip", "netns", "exec", lab.ns("r1"), "nft", "list", "tables").out()).doesNotContain("vigil");
    }

    /**
     * The same with IPv6, through two directors (VRRPv3 for the IPv6 VIP at 0.1 s): rr spreads
     * evenly, a persistent service keeps the client on one server, a killed real server leaves,
     * with both dead the sorry server answers, a restored one gets traffic again, and when the
     * master director dies the backup carries the service. The client's failures are printed per
     * event.
     */
    @Test
    void ipv6() throws Exception {
        realServers();
        RealServer rs1 = track(new RealServer("rs1"));
        RealServer rs2 = track(new RealServer("rs2"));
        track(new RealServer("sorry"));
        Vrrp fast = Vrrp.v3Ipv6("0.1");
        Daemon r2 = vigil("r2", ipv6Config(fast, "r2", 100));
        Daemon.Vigil r1 = vigil("r1", ipv6Config(fast, "r1", 150));
        r1.awaitLog("(VI_1) Entering MASTER STATE", START);
        for (String r : List.of("r1", "r2")) {
            await("the IPv6 pools in " + r + "'s table").atMost(SHORT).pollInterval(Duration.ofMillis(200))
                    .until(() -> tableOf(r).contains("dnat ip6 to [2001:db8::21]:80")
                            && tableOf(r).contains("dnat ip6 to [2001:db8::22]:80"));
        }
        Map<String, Integer> counts = new TreeMap<>();
        for (int i = 0; i < 20; i++) {
            counts.merge(get(Lab.VIP6), 1, Integer::sum);
        }
        System.out.println("IPv6: 20 requests through [" + Lab.VIP6 + "]:80, rr: " + counts);
        assertThat(counts).isEqualTo(Map.of("rs1", 10, "rs2", 10));
        // persistence_timeout: every new connection of this client goes to the server it first got
        List<String> persistent = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            persistent.add(get("c1", "[" + Lab.VIP6 + "]:8080"));
        }
        System.out.println("IPv6: 10 requests to the persistent service [" + Lab.VIP6 + "]:8080: " + persistent);
        assertThat(persistent.stream().distinct().toList()).hasSize(1).first().isIn("rs1", "rs2");

        java.nio.file.Path out = dir("client-loop6").resolve("requests");
        Process loop = new ProcessBuilder("ip", "netns", "exec", lab.ns("c1"), "python3", "-c", LOOP, Lab.VIP6)
                .redirectErrorStream(true).redirectOutput(out.toFile()).start();
        track(loop::destroyForcibly);
        await("the client loop runs").atMost(SHORT).until(() -> lines(out).size() >= 10);
        List<long[]> events = new ArrayList<>();
        List<String> names = new ArrayList<>();

        int mark = r1.mark();
        long t = System.currentTimeMillis();
        rs2.close();
        // (the checker writes a real server's IPv6 address uncompressed, its virtual server's compressed)
        r1.awaitLog("Removing service [2001:db8:0:0:0:0:0:22]:tcp:80 from VS [2001:db8::249]:tcp:80", mark, SHORT);
        events.add(new long[] { t, System.currentTimeMillis() });
        names.add("IPv6 rs2 killed");
        await("rs2 gone from the table").atMost(SHORT).pollInterval(Duration.ofMillis(100))
                .until(() -> !tableOf("r1").contains("[2001:db8::22]:80"));
        List<String> after = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            after.add(get(Lab.VIP6));
        }
        assertThat(after).containsOnly("rs1");

        mark = r1.mark();
        t = System.currentTimeMillis();
        rs1.close();
        r1.awaitLog("Adding sorry server [2001:db8:0:0:0:0:0:30]:tcp:80 to VS [2001:db8::249]:tcp:80", mark, SHORT);
        events.add(new long[] { t, System.currentTimeMillis() });
        names.add("IPv6 rs1 killed (sorry server)");
        await("the sorry server in the table").atMost(SHORT).pollInterval(Duration.ofMillis(100))
                .until(() -> tableOf("r1").contains("dnat ip6 to [2001:db8::30]:80"));
        List<String> sorry = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            sorry.add(get(Lab.VIP6));
        }
        assertThat(sorry).containsOnly("sorry");

        mark = r1.mark();
        t = System.currentTimeMillis();
        track(new RealServer("rs2"));
        r1.awaitLog("Removing sorry server [2001:db8:0:0:0:0:0:30]:tcp:80 from VS [2001:db8::249]:tcp:80", mark, SHORT);
        events.add(new long[] { t, System.currentTimeMillis() });
        names.add("IPv6 rs2 restored");
        await("rs2 back in r1's and r2's tables").atMost(SHORT).pollInterval(Duration.ofMillis(100))
                .until(() -> tableOf("r1").contains("dnat ip6 to [2001:db8::22]:80")
                        && tableOf("r2").contains("dnat ip6 to [2001:db8::22]:80"));
        List<String> back = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            back.add(get(Lab.VIP6));
        }
        assertThat(back).containsOnly("rs2");

        mark = r2.mark();
        t = System.currentTimeMillis();
        lab.switchPort("r1", false);
        r1.crash();
        r2.awaitLog("(VI_1) Entering MASTER STATE", mark, SHORT);
        events.add(new long[] { t, System.currentTimeMillis() });
        names.add("IPv6 master director died");
        long master = System.currentTimeMillis();
        await("requests served through r2").atMost(SHORT).until(() -> lines(out).stream()
                .filter(l -> stamp(l) > master + 3000).count() >= 1);
        loop.destroyForcibly();
        // after each event has settled (the checker's line, or a second after the takeover) nothing fails
        printFailuresPerEvent(lines(out), events, names, 1000);
    }

    private static String ipv6Config(Vrrp vrrp, String router, int priority) {
        String check = String.join("\n",
                "        TCP_CHECK {",
                "            connect_timeout 1",
                "            retry 0",
                "        }");
        return vrrp.config(router, priority) + String.join("\n",
                "virtual_server " + Lab.VIP6 + " 80 {",
                "    delay_loop 1",
                "    lb_algo rr",
                "    lb_kind NAT",
                "    protocol TCP",
                "    sorry_server 2001:db8::30 80",
                "    real_server 2001:db8::21 80 {", check, "    }",
                "    real_server 2001:db8::22 80 {", check, "    }",
                "}",
                "virtual_server " + Lab.VIP6 + " 8080 {",
                "    delay_loop 1",
                "    lb_algo rr",
                "    lb_kind NAT",
                "    protocol TCP",
                "    persistence_timeout 60",
                "    real_server 2001:db8::21 80 {", check, "    }",
                "    real_server 2001:db8::22 80 {", check, "    }",
                "}", "");
    }

    /**
     * Prints, per event, the client's requests until the next event and those that failed, and
     * asserts that none failed once the event had settled ({@code settleMillis} after its second
     * time stamp: the checker's line, or the new master's).
     */
    private static void printFailuresPerEvent(List<String> all, List<long[]> events, List<String> names,
            long settleMillis) {
        long end = Long.MAX_VALUE;
        for (int i = events.size() - 1; i >= 0; i--) {
            long from = events.get(i)[0];
            long to = end;
            List<String> window = all.stream().filter(l -> stamp(l) >= from && stamp(l) < to).toList();
            List<String> failed = window.stream().filter(l -> l.contains("ERR")).toList();
            System.out.printf("%s: %d requests until the next event, %d failed, settled after %d ms%s%n",
                    names.get(i), window.size(), failed.size(), events.get(i)[1] - from,
                    failed.isEmpty() ? "" : ": " + failed.stream().map(l -> "+" + (stamp(l) - from) + " ms "
                            + l.split(" ", 2)[1]).toList());
            long settled = events.get(i)[1] + settleMillis;
            assertThat(window.stream().filter(l -> stamp(l) > settled)).noneMatch(l -> l.contains("ERR"));
            end = from;
        }
    }

    /** Requests from c1 in a loop, a new connection each (curl-like, 1 s timeout): "millis result" per line. */
    private static final String LOOP = String.join("\n",
            "import http.client, sys, time",
            "while True:",
            "    t = time.time()",
            "    try:",
            "        c = http.client.HTTPConnection(sys.argv[1], 80, timeout=1)",
            "        c.request('GET', '/')",
            "        r = c.getresponse().read().decode().strip()",
            "        c.close()",
            "    except Exception as e:",
            "        r = 'ERR ' + type(e).__name__",
            "    print('%d %s' % (t * 1000, r), flush=True)",
            "    time.sleep(0.02)", "");

    @Test
    void theClientKeepsBeingServedWhenTheMasterDirectorDies() throws Exception {
        realServers();
        track(new RealServer("rs1"));
        track(new RealServer("rs2"));
        Vrrp fast = Vrrp.v3("0.1");
        Daemon r2 = vigil("r2", config(fast, "r2", 100));
        Daemon r1 = vigil("r1", config(fast, "r1", 150));
        r1.awaitLog("(VI_1) Entering MASTER STATE", START);
        r2.awaitLog("Load-balancer driver nft programs the pools", START);
        for (String r : List.of("r1", "r2")) {
            await("the pool in " + r + "'s table").atMost(SHORT).pollInterval(Duration.ofMillis(200))
                    .until(() -> tableOf(r).contains("dnat ip to 192.0.2.22:80"));
        }
        java.nio.file.Path out = dir("client-loop").resolve("requests");
        Process loop = new ProcessBuilder("ip", "netns", "exec", lab.ns("c1"), "python3", "-c", LOOP, Lab.VIP4)
                .redirectErrorStream(true).redirectOutput(out.toFile()).start();
        track(loop::destroyForcibly);
        await("requests served through r1").atMost(SHORT).until(() -> lines(out).size() >= 30);
        long crash = System.currentTimeMillis();
        int mark = r2.mark();
        // the director machine dies: its process and its link (a killed process alone would leave
        // r1's kernel holding the VIP and table inet vigil, still forwarding)
        lab.switchPort("r1", false);
        r1.crash();
        r2.awaitLog("(VI_1) Entering MASTER STATE", mark, SHORT);
        long master = System.currentTimeMillis();
        // three seconds of requests after the takeover
        await("requests served through r2").atMost(SHORT).until(() -> lines(out).stream()
                .filter(l -> Long.parseLong(l.split(" ")[0]) > master + 3000).count() >= 1);
        loop.destroyForcibly();
        List<String> all = lines(out);
        List<String> failures = all.stream().filter(l -> l.contains("ERR")).toList();
        List<String> afterTakeover = all.stream().filter(l -> Long.parseLong(l.split(" ")[0]) > master + 1000).toList();
        long lastBefore = all.stream().filter(l -> !l.contains("ERR")).mapToLong(l -> Long.parseLong(l.split(" ")[0]))
                .filter(t -> t < crash).max().orElse(crash);
        long firstAfter = all.stream().filter(l -> !l.contains("ERR")).mapToLong(l -> Long.parseLong(l.split(" ")[0]))
                .filter(t -> t > crash).min().orElse(crash);
        System.out.printf("master death: %d requests, %d failed; r2 MASTER %d ms after r1 died; last answer before"
                + " %d ms, first request answered after started +%d ms:%n%s%n", all.size(), failures.size(),
                master - crash, lastBefore - crash, firstAfter - crash,
                failures.stream().map(l -> "  +" + (Long.parseLong(l.split(" ")[0]) - crash) + " ms " + l.split(" ", 2)[1])
                        .collect(java.util.stream.Collectors.joining("\n")));
        assertThat(all.stream().filter(l -> Long.parseLong(l.split(" ")[0]) < crash)).allMatch(l -> !l.contains("ERR"));
        // a second after r2 became master, every request is served again, by both real servers
        assertThat(afterTakeover).isNotEmpty().noneMatch(l -> l.contains("ERR"));
        assertThat(afterTakeover.stream().map(l -> l.split(" ", 2)[1]).distinct()).containsExactlyInAnyOrder("rs1", "rs2");
    }

    private static long stamp(String line) {
        return Long.parseLong(line.split(" ")[0]);
    }

    private String tableOf(String router) {
        return Sh.quiet("ip", "netns", "exec", lab.ns(router), "nft", "list", "table", "inet", "vigil").out();
    }

    private static List<String> lines(java.nio.file.Path file) {
        try {
            return java.nio.file.Files.readAllLines(file).stream().filter(l -> l.matches("\\d+ .+")).toList();
        } catch (IOException e) {
            return List.of();
        }
    }
}
