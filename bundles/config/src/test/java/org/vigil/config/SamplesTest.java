package org.vigil.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.vigil.config.ConfFiles.lines;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.vigil.api.auth.AuthType;
import org.vigil.api.vrrp.ConfigurationPids;
import org.vigil.api.vrrp.ConfigurationPids.Instance;
import org.vigil.testing.netns.HostRequirement;

class SamplesTest {

    /** keepalived's own samples, installed with Debian's keepalived package (not copied here: GPL). */
    private static final Path DEBIAN_SAMPLES = Path.of("/usr/share/doc/keepalived/samples");

    /** Skips without Debian's keepalived package; under CI=true (which installs it) fails instead. */
    private static void requireDebianSamples() {
        HostRequirement.require(Files.isDirectory(DEBIAN_SAMPLES), "keepalived's samples (" + DEBIAN_SAMPLES
                + ") need Debian's keepalived package: bash distribution/lab/install-packages.sh");
    }

    static Stream<Path> debianSamples() throws IOException {
        requireDebianSamples();
        try (Stream<Path> files = Files.list(DEBIAN_SAMPLES)) {
            return files.filter(p -> p.getFileName().toString().startsWith("keepalived.conf")).sorted().toList()
                    .stream();
        }
    }

    @Test
    void debianSamplesArePresent() throws IOException {
        requireDebianSamples();
        assertThat(debianSamples()).hasSizeGreaterThan(20);
    }

    /**
     * {@code keepalived -t -f SAMPLE}'s exit status, keepalived 2.2.7 (Debian 12) on the lab host,
     * whose interfaces are lo and eth0, config id "vm": 0 accepted, 5 rejected. Measured 2026-12-02.
     */
    static final Map<String, Integer> KEEPALIVED_VERDICTS = Map.ofEntries(
            Map.entry("keepalived.conf.HTTP_GET.port", 0),
            Map.entry("keepalived.conf.IPv6", 0),
            Map.entry("keepalived.conf.PING_CHECK", 0),
            Map.entry("keepalived.conf.SMTP_CHECK", 0),
            Map.entry("keepalived.conf.SSL_GET", 5),
            Map.entry("keepalived.conf.UDP_CHECK", 0),
            Map.entry("keepalived.conf.conditional_conf", 5),
            Map.entry("keepalived.conf.fwmark", 5),
            Map.entry("keepalived.conf.inhibit", 0),
            Map.entry("keepalived.conf.misc_check", 0),
            Map.entry("keepalived.conf.misc_check_arg", 0),
            Map.entry("keepalived.conf.quorum", 0),
            Map.entry("keepalived.conf.sample", 0),
            Map.entry("keepalived.conf.status_code", 0),
            Map.entry("keepalived.conf.track_interface", 5),
            Map.entry("keepalived.conf.virtual_server_group", 0),
            Map.entry("keepalived.conf.virtualhost", 0),
            Map.entry("keepalived.conf.vrrp", 5),
            Map.entry("keepalived.conf.vrrp.localcheck", 5),
            Map.entry("keepalived.conf.vrrp.lvs_syncd", 5),
            Map.entry("keepalived.conf.vrrp.routes", 5),
            Map.entry("keepalived.conf.vrrp.rules", 5),
            Map.entry("keepalived.conf.vrrp.scripts", 0),
            Map.entry("keepalived.conf.vrrp.static_ipaddress", 5),
            Map.entry("keepalived.conf.vrrp.sync", 5));

    /** The lab host's interfaces, where the verdicts were measured. */
    private static final java.util.Set<String> LAB_INTERFACES = java.util.Set.of("lo", "eth0");

    @ParameterizedTest
    @MethodSource("debianSamples")
    void vigilGivesKeepalivedsVerdict(Path sample) {
        String name = sample.getFileName().toString();
        assertThat(KEEPALIVED_VERDICTS).as("keepalived's verdict on " + name + " is recorded").containsKey(name);
        java.io.ByteArrayOutputStream printed = new java.io.ByteArrayOutputStream();
        int status = ConfigCheck.report(sample, "vm", LAB_INTERFACES::contains,
                new java.io.PrintStream(printed, true, java.nio.charset.StandardCharsets.UTF_8));
        assertThat(status).as(name + ":\n" + printed.toString(java.nio.charset.StandardCharsets.UTF_8))
                .isEqualTo(KEEPALIVED_VERDICTS.get(name));
    }

    @Test
    void everyVerdictIsForASampleThatExists() {
        requireDebianSamples();
        assertThat(KEEPALIVED_VERDICTS.keySet()).allSatisfy(n -> assertThat(DEBIAN_SAMPLES.resolve(n)).isRegularFile());
        assertThat(KEEPALIVED_VERDICTS).hasSize(25);
    }

    /** The samples with static_ipaddress, static_routes, static_rules and virtual_rules: read, not warned about. */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"keepalived.conf.vrrp.routes", "keepalived.conf.vrrp.rules",
            "keepalived.conf.vrrp.static_ipaddress", "keepalived.conf.track_interface"})
    void staticAndRoutingBlocksAreNotReportedAsUnsupported(String name) {
        requireDebianSamples();
        java.io.ByteArrayOutputStream printed = new java.io.ByteArrayOutputStream();
        ConfigCheck.report(DEBIAN_SAMPLES.resolve(name), "vm", LAB_INTERFACES::contains,
                new java.io.PrintStream(printed, true, java.nio.charset.StandardCharsets.UTF_8));
        assertThat(printed.toString(java.nio.charset.StandardCharsets.UTF_8)).doesNotContain("not supported by Vigil")
                .doesNotContain("not acted on by Vigil");
    }

    @ParameterizedTest
    @MethodSource("debianSamples")
    void debianSampleNormalises(Path sample) {
        ParseResult r = KeepalivedConfig.parse(sample, "vm");
        // Normalising must work on whatever the parser accepted.
        assertThat(Configurations.toConfigurations(r.model())).isNotNull();
    }

    @Test
    void virtualServerSampleIsReadIntoTheModel() {
        Path sample = DEBIAN_SAMPLES.resolve("keepalived.conf.HTTP_GET.port");
        requireDebianSamples();
        assertThat(sample).as("a sample of Debian's keepalived package").isRegularFile();
        ParseResult r = KeepalivedConfig.parse(sample, null);
        assertThat(lines(r.diagnostics())).isEmpty();
        VirtualServer vs = r.model().virtualServer("192.168.200.100:tcp:443").orElseThrow();
        assertThat(vs.scheduler()).isEqualTo("rr");
        assertThat(vs.persistenceTimeout()).isEqualTo(50);
        assertThat(vs.realServers()).singleElement().satisfies(rs -> {
            assertThat(rs.identity()).isEqualTo("192.168.201.100:443");
            assertThat(rs.checks()).singleElement().satisfies(c -> {
                assertThat(c.type()).isEqualTo("SSL_GET");
                assertThat(c.tokens("url.0.path")).containsExactly("/");
                assertThat(c.tokens("connect.port")).containsExactly("444");
            });
        });
    }

    @Test
    void vrrpSyncSampleHasItsGroupsAndInstances() {
        Path sample = DEBIAN_SAMPLES.resolve("keepalived.conf.vrrp.sync");
        requireDebianSamples();
        assertThat(sample).as("a sample of Debian's keepalived package").isRegularFile();
        ParseResult r = KeepalivedConfig.parse(sample, null);
        assertThat(r.model().syncGroups()).isNotEmpty();
        assertThat(r.model().syncGroups().get(0).group()).isNotEmpty();
        assertThat(r.model().instances()).hasSizeGreaterThan(1);
    }

    private static Path ours(String name) throws URISyntaxException {
        return Path.of(SamplesTest.class.getResource("/samples/" + name).toURI());
    }

    @Test
    void twoRouterPairParsesCleanly() throws URISyntaxException {
        for (String name : List.of("two-routers-r1.conf", "two-routers-r2.conf")) {
            ParseResult r = KeepalivedConfig.parse(ours(name), null);
            assertThat(lines(r.diagnostics())).as(name).isEmpty();
            assertThat(ConfigCheck.validate(r.model(), "lan0"::equals)).as(name).isEmpty();
        }
    }

    @Test
    void twoRouterR1IsReadAsWritten() throws URISyntaxException {
        ParseResult r = KeepalivedConfig.parse(ours("two-routers-r1.conf"), null);
        GlobalDefs g = r.model().global();
        assertThat(g.routerId()).isEqualTo("r1");
        assertThat(g.notificationEmail()).containsExactly("ops@example.net", "NOC <noc@example.net>");
        assertThat(g.notificationEmailFrom()).isEqualTo("vigil-r1@example.net");
        assertThat(g.smtpServer()).isEqualTo("192.0.2.25");
        assertThat(g.smtpPort()).isEqualTo(25);
        assertThat(g.smtpConnectTimeoutSeconds()).isEqualTo(30);

        VrrpInstance vi = r.model().instance("VI_1").orElseThrow();
        assertThat(vi.state()).isEqualTo("MASTER");
        assertThat(vi.interfaceName()).isEqualTo("lan0");
        assertThat(vi.virtualRouterId()).isEqualTo(51);
        assertThat(vi.effectivePriority()).isEqualTo(150);
        assertThat(vi.advertIntCentis()).isEqualTo(100);
        assertThat(vi.effectiveVersion()).isEqualTo(2);
        assertThat(vi.effectiveAuthType()).isEqualTo(AuthType.PASS);
        assertThat(vi.authPass()).isEqualTo("lab51pw");
        assertThat(vi.virtualIpaddress()).singleElement().satisfies(v -> {
            assertThat(v.address().getHostAddress()).isEqualTo("192.0.2.249");
            assertThat(v.prefixLength()).isEqualTo(24);
        });

        Map<String, Object> p = Configurations.toConfigurations(r.model()).stream()
                .filter(c -> c.pid().equals(ConfigurationPids.INSTANCE)).findFirst().orElseThrow().properties();
        assertThat(p).containsEntry(Instance.PRIORITY, 150).containsEntry(Instance.VIRTUAL_ROUTER_ID, 51)
                .containsEntry(Instance.AUTH_TYPE, "PASS").containsEntry(Instance.AUTH_PASS, "lab51pw");
        assertThat((String[]) p.get(Instance.VIRTUAL_IPADDRESS)).containsExactly("192.0.2.249/24");
    }

    @Test
    void twoRouterR2IsTheBackup() throws URISyntaxException {
        VrrpInstance vi = KeepalivedConfig.parse(ours("two-routers-r2.conf"), null).model().instance("VI_1")
                .orElseThrow();
        assertThat(vi.state()).isEqualTo("BACKUP");
        assertThat(vi.effectivePriority()).isEqualTo(100);
        assertThat(vi.virtualRouterId()).isEqualTo(51);
    }

    @Test
    void errorSampleReportsEachMistakeWithItsLine() throws URISyntaxException {
        Path file = ours("two-routers-error.conf");
        ParseResult r = KeepalivedConfig.parse(file, null);
        assertThat(lines(r.errors())).containsExactly(
                file + ":7: (VI_1) the virtual router id must be set",
                file + ":10: (VI_1): VRID '256' not valid - must be between 1 & 255",
                file + ":15: VRRP parsed invalid IP 192.0.2.300/24. skipping IP...");
    }
}
