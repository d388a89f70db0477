package org.vigil.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.vigil.testing.netns.HostRequirement;

/**
 * The status page in a real browser: Debian's chromium, headless, inside the router's namespace,
 * where the page is on 127.0.0.1 (the endpoint's default; chromium reaches nothing else). keepalived
 * on r2 is master first; when it crashes Vigil takes over, and the page says so. The screenshot
 * stays in target/lab/StatusPageLabIT/ as the test's output.
 */
class StatusPageLabIT extends LabTest {
    static final String PAGE = "http://127.0.0.1:9165/status";

    /** chromium headless in r1's namespace, with its own profile and nothing in the background. */
    private Sh.Result chromium(String... what) {
        List<String> cmd = new ArrayList<>(List.of("timeout", "90", "ip", "netns", "exec", lab.ns("r1"), "chromium",
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--user-data-dir=" + dir("chromium-profile")));
        cmd.addAll(List.of(what));
        cmd.add(PAGE);
        return Sh.run(cmd);
    }

    @Test
    void afterAFailoverThePageShowsVigilAsMasterAndTheTransition() throws Exception {
        HostRequirement.require(Files.isExecutable(Path.of("/usr/bin/chromium")),
                "the status page test needs Debian's chromium (distribution/lab/install-packages.sh installs it)");
        Bench.Helper web = webServerOnR2();
        String instance = """
                vrrp_instance VI_1 {
                    state BACKUP
                    interface lan0
                    virtual_router_id 51
                    priority %d
                    version 3
                    advert_int 0.1
                    virtual_ipaddress {
                        203.0.113.51/32 dev lan0
                    }
                }
                """;
        Daemon ka = keepalived("r2", "global_defs {\n    router_id ka-r2\n}\n" + instance.formatted(150));
        ka.awaitLog("(VI_1) Entering MASTER STATE", START);
        String config = instance.formatted(100) + virtualServerOnR2("203.0.113.51");
        Daemon vigil = track(new Daemon.Vigil(lab, "r1", dir("vigil-r1"), config,
                distWith("deploy/org.vigil.metrics.cfg", "port = 9165\n")));
        vigil.awaitLog("(VI_1) Entering BACKUP STATE", START);
        vigil.awaitLog("Status page on http://127.0.0.1:9165/status", SHORT);

        // whatever r1 sends on the LAN besides VRRP (and its IGMP joins), ARP, ICMPv6 and the checker's probes:
        // chromium's, if any
        Capture other = track(new Capture(lab, dir("capture-other"), "ether src " + lab.mac("r1")
                + " and not (ip proto 112 or igmp or arp or icmp6 or tcp port 8080)"));
        String before = chromium("--dump-dom").out();
        assertThat(before).contains("<td>VI_1</td><td class=\"BACKUP\">BACKUP</td>");

        ka.crash();
        await().atMost(SHORT).until(() -> States.last(vigil).equals("MASTER"));
        await().atMost(SHORT).until(() -> Sh.quiet("ip", "netns", "exec", lab.ns("r1"), "curl", "-sS", "--max-time", "3",
                PAGE).out().contains("<td>[192.0.2.12]:tcp:8080</td><td class=\"UP\">UP</td>"));

        Sh.Result dom = chromium("--dump-dom");
        assertThat(dom.exit()).as(dom.err()).isZero();
        assertThat(dom.out()).contains("<title>Vigil on ", "<td>VI_1</td><td class=\"MASTER\">MASTER</td><td>100</td>",
                "203.0.113.51/32", "[203.0.113.51]:tcp:8080", "<td>[192.0.2.12]:tcp:8080</td><td class=\"UP\">UP</td>",
                "VI_1: BACKUP -&gt; MASTER", "VI_1: INIT -&gt; BACKUP");
        // newest first: the takeover above the start
        assertThat(dom.out().indexOf("VI_1: BACKUP -&gt; MASTER")).isLessThan(dom.out().indexOf("VI_1: INIT -&gt; BACKUP"));

        // DNS rebinding: a page of another site whose name now resolves to 127.0.0.1 sends that name as Host
        assertThat(httpCode("Host: evil.example:9165")).as("a foreign Host").isEqualTo("421");
        assertThat(httpCode("Host: localhost:9165")).isEqualTo("200");

        Path png = Path.of("target", "lab", "StatusPageLabIT", "status.png").toAbsolutePath();
        Files.createDirectories(png.getParent());
        Files.deleteIfExists(png);
        Sh.Result shot = chromium("--window-size=1100,800", "--hide-scrollbars", "--screenshot=" + png);
        assertThat(shot.exit()).as(shot.err()).isZero();
        assertThat(Files.size(png)).isGreaterThan(5_000);
        other.close();
        assertThat(other.fields("frame", "frame.number")).as("chromium reached only 127.0.0.1").isEmpty();
        web.close();
    }

    /** The status code curl in r1 gets for the page with this Host header. */
    private String httpCode(String hostHeader) throws Exception {
        return Sh.quiet("ip", "netns", "exec", lab.ns("r1"), "curl", "-sS", "--max-time", "3", "-o", "/dev/null",
                "-w", "%{http_code}", "-H", hostHeader, PAGE).out().strip();
    }
}
