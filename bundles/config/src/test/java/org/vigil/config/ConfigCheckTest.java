package org.vigil.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigCheckTest {

    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8);

    private static String sample(String name) throws URISyntaxException {
        return Path.of(ConfigCheckTest.class.getResource("/samples/" + name).toURI()).toString();
    }

    private String printed() {
        return buffer.toString(StandardCharsets.UTF_8);
    }

    @Test
    void cleanConfigurationExitsZeroAndPrintsNothing() throws URISyntaxException {
        int status = ConfigCheck.run(List.of("-f", sample("two-routers-r1.conf")), "lan0"::equals, out);
        assertThat(status).isZero();
        assertThat(printed()).isEmpty();
    }

    @Test
    void errorsExitFiveLikeKeepalivedAndPrintFileLine() throws URISyntaxException {
        String file = sample("two-routers-error.conf");
        int status = ConfigCheck.run(List.of("-f", file), "lan0"::equals, out);
        assertThat(status).isEqualTo(ConfigCheck.EXIT_CONFIG_ERROR);
        assertThat(printed().lines()).containsExactly(
                file + ":7: (VI_1) the virtual router id must be set",
                file + ":10: (VI_1): VRID '256' not valid - must be between 1 & 255",
                file + ":15: VRRP parsed invalid IP 192.0.2.300/24. skipping IP...");
    }

    @Test
    void unknownInterfaceFailsTheCheck() throws URISyntaxException {
        String file = sample("two-routers-r2.conf");
        int status = ConfigCheck.run(List.of("--use-file", file), name -> false, out);
        assertThat(status).isEqualTo(ConfigCheck.EXIT_CONFIG_ERROR);
        assertThat(printed().lines()).containsExactly(file + ":17: WARNING - interface lan0 for vrrp_instance VI_1 doesn't exist");
    }

    @Test
    void badArgumentsPrintUsage() {
        assertThat(ConfigCheck.run(List.of("-x"), name -> true, out)).isEqualTo(2);
        assertThat(printed()).startsWith("usage:");
    }

    @TempDir
    Path dir;

    private int check(String text) {
        Path f = ConfFiles.write(dir, "keepalived.conf", text);
        return ConfigCheck.run(List.of("-f", f.toString(), "-i", "x"), "eth0"::equals, out);
    }

    private String at(int line, String message) {
        return dir.resolve("keepalived.conf") + ":" + line + ": " + message;
    }

    private static final String VS_END = " protocol TCP\n lvs_sched rr\n lb_kind NAT\n}\n";

    @Test
    void staticAddressOnAMissingInterfaceFailsAsKeepalivedsDoes() {
        int status = check("static_ipaddress {\n 192.0.2.16 dev eth0\n 192.0.2.17 dev eth1 scope link\n}\n");
        assertThat(status).isEqualTo(ConfigCheck.EXIT_CONFIG_ERROR);
        assertThat(printed().lines()).containsExactly(
                at(3, "WARNING - interface eth1 for ip address 192.0.2.17 doesn't exist"));
    }

    @Test
    void routeOnAMissingInterfaceFailsAsKeepalivedsDoes() {
        int status = check(ConfFiles.instance("VI_1", " interface eth0\n virtual_router_id 1\n"
                + " virtual_ipaddress {\n 192.0.2.1\n }\n virtual_routes {\n 198.51.100.0/24 via 192.0.2.254 dev eth3\n"
                + " 203.0.113.0/24 dev eth0\n }\n"));
        assertThat(status).isEqualTo(ConfigCheck.EXIT_CONFIG_ERROR);
        assertThat(printed().lines()).containsExactly(at(8, "WARNING - interface eth3 for VROUTE nexthop doesn't exist"));
    }

    @Test
    void whatKeepalivedCorrectsFailsTheCheckButIsNoError() {
        Path f = ConfFiles.write(dir, "keepalived.conf", "virtual_server fwmark 1 {\n real_server 192.0.2.21 {\n"
                + "  TCP_CHECK {\n   connect_port 80\n  }\n }\n" + VS_END);
        assertThat(ConfigCheck.run(List.of("-f", f.toString()), "eth0"::equals, out))
                .isEqualTo(ConfigCheck.EXIT_CONFIG_ERROR);
        assertThat(printed().lines()).containsExactly(
                f + ":1: Warning: Virtual server FWM 1: protocol specified for fwmark - protocol will be ignored");
        ParseResult r = KeepalivedConfig.parse(f, "x");
        assertThat(r.hasErrors()).as("the daemon still applies it, as keepalived runs it").isFalse();
        assertThat(r.diagnostics()).singleElement().satisfies(d -> assertThat(d.failsCheck()).isTrue());
    }

    @Test
    void aVigilCheckTypeIsAWarningOnly() {
        int status = check("virtual_server 192.0.2.249 6379 {\n real_server 192.0.2.21 6379 {\n"
                + "  REDIS_CHECK {\n   connect_timeout 2\n  }\n }\n" + VS_END);
        assertThat(status).isZero();
        assertThat(printed().lines()).containsExactly(at(3, "Unknown keyword 'REDIS_CHECK' (not a keepalived checker:"
                + " Vigil passes it to a checker bundle of type REDIS_CHECK, if one is deployed)"));
    }

    @Test
    void keepalivedsDefaultsForAVirtualServerAreReportedAsItReportsThem() {
        int status = check("virtual_server 192.0.2.249 80 {\n real_server 192.0.2.21 80 {\n  TCP_CHECK {\n  }\n }\n}\n");
        assertThat(status).isEqualTo(ConfigCheck.EXIT_CONFIG_ERROR);
        // keepalived 2.2.7's three lines for this file, measured with keepalived -t
        assertThat(printed().lines()).containsExactly(
                at(1, "Virtual server [192.0.2.249]:none:80: no protocol set - defaulting to UDP"),
                at(1, "Virtual server [192.0.2.249]:udp:80: no scheduler set, setting default 'wlc'"),
                at(1, "Virtual server [192.0.2.249]:udp:80: no forwarding method set, setting default NAT"));
    }

    @Test
    void anUnknownKeywordFailsTheCheckAsKeepalivedsDoesButTheFileStillApplies() {
        int status = check(ConfFiles.instance("VI_1", " interface eth0\n virtual_router_id 1\n wibble 3\n"
                + " virtual_ipaddress {\n 192.0.2.1\n }\n"));
        assertThat(status).isEqualTo(ConfigCheck.EXIT_CONFIG_ERROR);
        assertThat(printed().lines()).containsExactly(at(4, "Unknown keyword 'wibble'"));
        assertThat(KeepalivedConfig.parse(dir.resolve("keepalived.conf"), "x").hasErrors()).isFalse();
    }
}
