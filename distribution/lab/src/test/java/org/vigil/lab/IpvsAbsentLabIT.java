package org.vigil.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.vigil.testing.netns.HostRequirement;

/**
 * The appliance on a kernel without IPVS (issue 10, item 2; lab.md section 6: keepalived's
 * checker exits here and takes VRRP with it). bin/vigil on r1 with a virtual_server: the lb-ipvs
 * bundle logs its one line once and offers no driver, VRRP goes on (r1 master, the VIP on lan0,
 * adverts every second), the checker goes on (a dead real server leaves the pool) and lb-nft,
 * ranked below IPVS, programs the pool: the client's requests through the VIP reach the live
 * real server only.
 */
class IpvsAbsentLabIT extends LabTest {
    static final String ABSENT = "IPVS is not available in this kernel (no IPVS generic netlink family):"
            + " the lb-ipvs driver does not register; the checker keeps the pools, lb-nft can program them";
    private static final String SERVER = String.join("\n",
            "import sys",
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
            "HTTPServer(('0.0.0.0', 80), H).serve_forever()", "");

    @Override
    protected int routers() {
        return 1;
    }

    private void realServers() {
        for (String tool : List.of("/usr/sbin/nft", "/usr/sbin/conntrack", "/usr/bin/curl", "/usr/bin/python3")) {
            HostRequirement.require(Files.isExecutable(Path.of(tool)),
                    tool + " is missing; install the lab packages: bash distribution/lab/install-packages.sh");
        }
        Sh.ok("ip", "netns", "exec", lab.ns("r1"), "sysctl", "-qw", "net.ipv4.ip_forward=1",
                "net.ipv4.conf.all.send_redirects=0", "net.ipv4.conf.lan0.send_redirects=0");
        for (String rs : List.of("rs1", "rs2")) {
            lab.addHost(rs, "192.0.2.2" + rs.substring(2), "2001:db8::2" + rs.substring(2));
            Sh.ok("ip", "-n", lab.ns(rs), "route", "add", "192.0.2.100/32", "via", Lab.ipv4("r1"));
            Sh.ok("ip", "netns", "exec", lab.ns(rs), "sysctl", "-qw", "net.ipv4.conf.all.accept_redirects=0",
                    "net.ipv4.conf.lan0.accept_redirects=0");
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
            await(host + " answers").atMost(SHORT).pollInterval(Duration.ofMillis(100))
                    .until(() -> get("192.0.2.2" + host.substring(2)).equals(host));
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

    private String get(String address) {
        Sh.Result r = Sh.quiet("ip", "netns", "exec", lab.ns("c1"), "curl", "-s", "-m", "2", "http://" + address + "/");
        return r.exit() == 0 ? r.out().strip() : "ERR curl " + r.exit();
    }

    private static String config() {
        StringBuilder b = new StringBuilder(Vrrp.v2Pass().config("r1", 150));
        b.append("virtual_server ").append(Lab.VIP4).append(" 80 {\n")
                .append("    delay_loop 1\n    lb_algo wrr\n    lb_kind NAT\n    protocol TCP\n");
        for (String rs : List.of("192.0.2.21", "192.0.2.22")) {
            b.append("    real_server ").append(rs).append(" 80 {\n        weight 1\n")
                    .append("        TCP_CHECK {\n            connect_timeout 1\n            retry 0\n        }\n    }\n");
        }
        return b.append("}\n").toString();
    }

    @Test
    void withoutIpvsOneLineAndVrrpCheckerAndNftablesGoOn() {
        HostRequirement.require(!Files.exists(Path.of("/proc/net/ip_vs")),
                "this kernel has IPVS: the test is about one without it");
        realServers();
        track(new RealServer("rs1"));
        RealServer rs2 = track(new RealServer("rs2"));
        Capture cap = capture();
        Daemon.Vigil r1 = vigil("r1", config());
        r1.awaitLog("(VI_1) Entering MASTER STATE", START);
        int master = r1.mark();
        r1.awaitLog(ABSENT, START);
        r1.awaitLog("Load-balancer driver nft programs the pools", SHORT);
        assertThat(Sh.quiet("ip", "-n", lab.ns("r1"), "addr", "show", "dev", "lan0").out()).contains(Lab.VIP4 + "/");

        // lb-nft holds the pool: both real servers answer through the VIP
        await("both real servers through the VIP").atMost(SHORT).pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    List<String> got = new ArrayList<>();
                    for (int i = 0; i < 4; i++) {
                        got.add(get(Lab.VIP4));
                    }
                    return got.contains("rs1") && got.contains("rs2");
                });

        // the checker goes on: rs2 dies, leaves the pool, the client reaches rs1 only
        int mark = r1.mark();
        rs2.close();
        r1.awaitLog("Removing service [192.0.2.22]:tcp:80 from VS [192.0.2.249]:tcp:80", mark, SHORT);
        await("rs2 gone from table inet vigil").atMost(SHORT).pollInterval(Duration.ofMillis(100))
                .until(() -> !Sh.quiet("ip", "netns", "exec", lab.ns("r1"), "nft", "list", "table", "inet", "vigil")
                        .out().contains("192.0.2.22"));
        List<String> after = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            after.add(get(Lab.VIP4));
        }
        System.out.println("10 requests through the VIP after rs2 died: " + after);
        assertThat(after).containsOnly("rs1");

        // VRRP is still master and still advertising, after the checker's changes
        awaitAdverts(cap, Vrrp.v2Pass(), "r1", 3);
        assertThat(r1.alive()).isTrue();
        assertThat(r1.linesWith("Entering BACKUP STATE", master)).isEmpty();
        assertThat(r1.linesWith("Entering FAULT STATE", master)).isEmpty();

        // the one line, once, and nothing else from lb-ipvs
        List<String> lines = r1.linesWith("IPVS", 0);
        System.out.println("IPVS lines in r1's log: " + lines);
        assertThat(r1.linesWith(ABSENT, 0)).hasSize(1);
        assertThat(lines).hasSize(1);
        r1.term();
    }
}
