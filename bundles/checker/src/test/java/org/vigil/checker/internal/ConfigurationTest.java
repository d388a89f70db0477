package org.vigil.checker.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** Reading the bridge's properties (CheckerPids) and keepalived's server texts. */
class ConfigurationTest {

    @Test
    void checkBlocksAreReadAsTokensWithoutTheirType() {
        Map<String, Object> props = Map.of(
                "check.count", 2,
                "check.0.vigil.type", "TCP_CHECK",
                "check.0.connect.timeout", new String[] { "3" },
                "check.1.vigil.type", new String[] { "HTTP_GET" },
                "check.1.url.0.path", new String[] { "/health" },
                "check.1.url.0.status.code", new String[] { "200", "204" },
                "check.1.vigil.origin", "keepalived.conf:14",
                "weight", 3);
        List<RsSettings.Block> blocks = RealServers.blocks(props, "keepalived.conf:12");
        assertThat(blocks).extracting(RsSettings.Block::type).containsExactly("TCP_CHECK", "HTTP_GET");
        assertThat(blocks.get(0).properties().keys()).containsExactly("connect.timeout");
        assertThat(blocks.get(1).properties().blocks("url").get(0).tokens("status.code")).contains(List.of("200", "204"));
        assertThat(blocks.get(1).properties().keys()).doesNotContain("vigil.origin");
        assertThat(blocks).extracting(RsSettings.Block::origin).containsExactly("keepalived.conf:12", "keepalived.conf:14");
    }

    @Test
    void realServersAreReadFromTheirVirtualServersPropertiesAndABadOneIsOneLineNamingPidAndAttribute() {
        Map<String, Object> props = new java.util.HashMap<>();
        props.put("virtual.server", "192.0.2.249:tcp:80");
        props.put("real.server.count", 4);
        props.put("real.server.0.address", "192.0.2.21");
        props.put("real.server.0.port", 80);
        props.put("real.server.0.weight", 3);
        props.put("real.server.0.delay.loop", 2.5);
        props.put("real.server.0.inhibit.on.failure", true);
        props.put("real.server.0.vigil.origin", "keepalived.conf:7");
        props.put("real.server.0.notify.up", "/usr/local/bin/up.sh");
        props.put("real.server.0.notify.up.user", "nobody");
        props.put("real.server.0.notify.up.group", "nogroup");
        props.put("real.server.0.notify.up.supplementary.groups", true);
        props.put("real.server.0.check.0.vigil.type", "TCP_CHECK");
        props.put("real.server.0.check.0.connect.timeout", new String[] { "3" });
        props.put("real.server.1.address", "not an address");
        props.put("real.server.1.port", 80);
        props.put("real.server.2.address", "192.0.2.23");
        props.put("real.server.2.port", 80);
        props.put("real.server.2.weight", "heavy");
        props.put("real.server.2.vigil.origin", "keepalived.conf:9");
        props.put("real.server.10.address", "2001:db8::21");
        props.put("real.server.10.port", 8080);
        props.put("real.server.10.sorry", true);
        props.put("real.server.10.alpha", false);
        try (LogLines log = new LogLines()) {
            List<RsSettings> reals = RealServers.read("vs.pid", "192.0.2.249:tcp:80", props);
            assertThat(reals).extracting(r -> r.address().getPort()).containsExactly(80, 8080);
            RsSettings first = reals.get(0);
            assertThat(first.weight()).isEqualTo(3);
            assertThat(first.delayLoop()).isEqualTo(2.5);
            assertThat(first.inhibitOnFailure()).isTrue();
            assertThat(first.alpha()).as("absent: the virtual server's").isNull();
            assertThat(first.origin()).isEqualTo("keepalived.conf:7");
            assertThat(first.notifyUpUser()).as("typed by the bridge, never read from words")
                    .isEqualTo(new org.vigil.script.RunAs("nobody", "nogroup", true));
            assertThat(first.notifyDownUser()).isNull();
            assertThat(first.checks()).singleElement().satisfies(b -> {
                assertThat(b.type()).isEqualTo("TCP_CHECK");
                assertThat(b.properties().get("connect.timeout")).contains("3");
            });
            assertThat(reals.get(1).sorry()).isTrue();
            assertThat(reals.get(1).alpha()).isFalse();
            assertThat(reals.get(1).vsKey()).isEqualTo("192.0.2.249:tcp:80");
            assertThat(log.all()).containsExactly(
                    "Configuration vs.pid: attribute real.server.1.address: not an IP address: 'not an address'; real server left out",
                    "keepalived.conf:9: Configuration vs.pid: attribute real.server.2.weight: 'heavy' is not a number; real server left out");
            // the same properties read twice are equal settings: a reload that changes nothing changes nothing
            assertThat(RealServers.read("vs.pid", "192.0.2.249:tcp:80", props)).isEqualTo(reals);
        }
    }

    @Test
    void theServiceIsReadFromItsTypedAttributesNotFromTheKey() {
        VsSettings v6 = settings(Map.of("virtual.server", "[2001:db8::1]:udp:53", "address", "2001:db8::1", "port", "53",
                "protocol", "UDP"));
        assertThat(v6.service()).isInstanceOf(VsService.Address.class);
        assertThat(v6.service().address().getHostAddress()).isEqualTo("2001:db8:0:0:0:0:0:1");
        assertThat(v6.text()).isEqualTo("[2001:db8::1]:udp:53");
        assertThat(v6.protocol()).isEqualTo("udp");
        // the key is the identity only: a key that says something else changes nothing
        VsSettings fw = settings(Map.of("virtual.server", "any identity", "fwmark", "10", "ip.family", "inet6"));
        assertThat(fw.service()).isEqualTo(new VsService.Fwmark(10, true));
        assertThat(fw.text()).isEqualTo("FWM 10");
        assertThat(ServiceKeys.of(fw, Map.of())).extracting(k -> k.text()).containsExactly("FWM 10");
        VsSettings group = settings(Map.of("virtual.server", "group:web:tcp", "group", "web"));
        assertThat(group.text()).isEqualTo("[web]:tcp:0");
        assertThat(ServiceKeys.of(group, Map.of("web", new GroupSettings("web", List.of("192.0.2.1-192.0.2.2 80"),
                List.of())))).extracting(k -> k.text()).containsExactly("[192.0.2.1]:tcp:80", "[192.0.2.2]:tcp:80");
    }

    @Test
    void aVirtualServerThatDoesNotReadNamesItsAttribute() {
        assertThatThrownBy(() -> settings(Map.of("address", "192.0.2.249", "port", "80")))
                .hasMessage("attribute virtual.server: required");
        assertThatThrownBy(() -> settings(Map.of("virtual.server", "x")))
                .hasMessage("attribute address: required (or fwmark, or group)");
        assertThatThrownBy(() -> settings(Map.of("virtual.server", "x", "address", "192.0.2.249", "fwmark", "3")))
                .hasMessage("attribute address: only one of address, fwmark and group");
        assertThatThrownBy(() -> settings(Map.of("virtual.server", "x", "address", "192.0.2.249", "port", "http")))
                .hasMessage("attribute port: 'http' is not a number");
        assertThatThrownBy(() -> settings(Map.of("virtual.server", "x", "address", "www.example.org")))
                .hasMessage("attribute address: not an IP address: 'www.example.org'");
        assertThatThrownBy(() -> settings(Map.of("virtual.server", "x", "address", "192.0.2.249", "port", "70000")))
                .hasMessage("attribute port: 70000 not in 0..65535");
        assertThatThrownBy(() -> settings(Map.of("virtual.server", "x", "address", "192.0.2.249", "protocol", "icmp")))
                .hasMessage("attribute protocol: 'icmp' is not one of tcp, udp, sctp");
        assertThatThrownBy(() -> settings(Map.of("virtual.server", "x", "address", "192.0.2.249", "lvs.method", "nat",
                "delay.loop", "soon"))).hasMessage("attribute delay.loop: 'soon' is not a number");
    }

    @Test
    void lvsNotifyFifoScriptIsReadWithItsUserAndNeedsTheFifo() {
        Map<String, String> a = new java.util.HashMap<>(Map.of("virtual.server", "192.0.2.249:tcp:80",
                "address", "192.0.2.249", "port", "80", "lvs.notify.fifo", "/run/vigil/lvs.fifo",
                "lvs.notify.fifo.script.command", "/usr/local/bin/reader -v",
                "lvs.notify.fifo.script.user", "daemon", "lvs.notify.fifo.script.group", "adm",
                "lvs.notify.fifo.script.supplementary.groups", "true", "script.user", "nobody"));
        LvsFifoScripts.Reader r = fifoScript(a);
        assertThat(r).isEqualTo(new LvsFifoScripts.Reader("/run/vigil/lvs.fifo",
                org.vigil.script.RunAs.of("nobody", null, false), "/usr/local/bin/reader -v",
                org.vigil.script.RunAs.of("daemon", "adm", true), org.vigil.script.RunAs.of("nobody", null, false),
                false));
        a.remove("lvs.notify.fifo");
        assertThat(fifoScript(a)).as("no FIFO, no reader").isNull();
    }

    @Test
    void aFifoScriptThatDoesNotReadIsReportedAtItsBlocksFileAndLine(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        Map<String, String> a = new java.util.HashMap<>(Map.of("virtual.server", "192.0.2.249:tcp:80",
                "address", "192.0.2.249", "port", "80", "lvs.notify.fifo", dir.resolve("lvs.fifo").toString(),
                "lvs.notify.fifo.script.command", "/usr/local/bin/reader", "lvs.notify.fifo.script.group", "adm"));
        Map<String, Object> props = new java.util.HashMap<>(a);
        props.put("service.pid", "vs.pid");
        props.put("vigil.origin", "keepalived.conf:12");
        Checker checker = new Checker();
        try (LogLines log = new LogLines()) {
            VirtualServerComponent vs = new VirtualServerComponent(checker, config(a), props);
            assertThat(log.with("lvs_notify_fifo_script")).containsExactly("keepalived.conf:12: Configuration vs.pid: "
                    + "attribute lvs.notify.fifo.script.user: a group needs a user; lvs_notify_fifo_script not started");
            assertThat(checker.fifoReaders()).isEmpty();
            assertThat(checker.snapshot()).as("the virtual server itself is started")
                    .extracting(Status.Virtual::text).containsExactly("[192.0.2.249]:tcp:80");
            vs.deactivate(0);
        } finally {
            checker.deactivate();
        }
    }

    @Test
    void lvsNotifyFifosOwnerIsItsOwnElseScriptUser() {
        Map<String, String> a = new java.util.HashMap<>(Map.of("virtual.server", "192.0.2.249:tcp:80",
                "address", "192.0.2.249", "port", "80", "lvs.notify.fifo", "/run/vigil/lvs.fifo",
                "lvs.notify.fifo.owner.user", "daemon", "lvs.notify.fifo.owner.group", "adm",
                "lvs.notify.fifo.script.command", "/usr/local/bin/reader", "script.user", "nobody"));
        assertThat(fifoScript(a).owner()).isEqualTo(org.vigil.script.RunAs.of("daemon", "adm", false));
        a.remove("lvs.notify.fifo.owner.user");
        assertThatThrownBy(() -> fifoOwner(a)).hasMessage("attribute lvs.notify.fifo.owner.user: a group needs a user");
        a.remove("lvs.notify.fifo.owner.group");
        assertThat(fifoOwner(a)).as("script_user's, as keepalived").isEqualTo(org.vigil.script.RunAs.of("nobody", null, false));
    }

    private static VirtualServerComponent.Config config(Map<String, String> attributes) {
        Map<String, List<String>> tokens = new java.util.HashMap<>();
        attributes.forEach((k, v) -> tokens.put(k, List.of(v)));
        return new org.vigil.api.check.CheckProperties(tokens).as(VirtualServerComponent.Config.class);
    }

    private static org.vigil.script.RunAs fifoOwner(Map<String, String> attributes) {
        VirtualServerComponent.Config c = config(attributes);
        return VirtualServerComponent.fifoOwner(c, VirtualServerComponent.settings(c),
                org.vigil.script.ScriptSecurity.Host.system());
    }

    private static LvsFifoScripts.Reader fifoScript(Map<String, String> attributes) {
        VirtualServerComponent.Config c = config(attributes);
        VsSettings vs = VirtualServerComponent.settings(c);
        return VirtualServerComponent.fifoScript(c, vs,
                VirtualServerComponent.fifoOwner(c, vs, org.vigil.script.ScriptSecurity.Host.system()));
    }

    /** A virtual server's settings from its attributes (each a single token). */
    private static VsSettings settings(Map<String, String> attributes) {
        Map<String, List<String>> tokens = new java.util.HashMap<>();
        attributes.forEach((k, v) -> tokens.put(k, List.of(v)));
        return VirtualServerComponent.settings(new org.vigil.api.check.CheckProperties(tokens)
                .as(VirtualServerComponent.Config.class));
    }

    @Test
    void groupEntriesExpandToServiceKeys() {
        var keys = ServiceKeys.expand(new GroupSettings("web", List.of("192.0.2.1-192.0.2.3 80",
                "2001:db8::fe-2001:db8::ff 443"), List.of("7 inet6")), "tcp");
        assertThat(keys).extracting(k -> k.text()).containsExactly("[192.0.2.1]:tcp:80", "[192.0.2.2]:tcp:80",
                "[192.0.2.3]:tcp:80", "[2001:db8:0:0:0:0:0:fe]:tcp:443", "[2001:db8:0:0:0:0:0:ff]:tcp:443", "FWM 7");
    }

    @Test
    void metricsNameEachRealServerAndCheck() {
        Status.Check check = new Status.Check("TCP_CHECK", "active", false, 2,
                "TCP connection to [192.0.2.21]:tcp:80 failed.", 1500, 0, 1);
        Status.Virtual v = new Status.Virtual("192.0.2.249:tcp:80", "[192.0.2.249]:tcp:80", "wlc", "NAT", 1, 0, false, 0,
                false, List.of(new Status.Real("[192.0.2.21]:tcp:80", false, false, 3, false, List.of(check))), null);
        StringBuilder text = new StringBuilder();
        CheckerMetrics.write(List.of(v), new Status.Totals(1, 1, 1, 1, 0, 0, 0, List.of("TCP_CHECK"), 42),
                new org.vigil.api.metrics.MetricWriter() {
                    String family;

                    @Override
                    public void family(String name, Type type, String help) {
                        family = name;
                    }

                    @Override
                    public void sample(double value, String... labels) {
                        text.append(family).append(String.join(",", labels)).append(' ').append(value).append('\n');
                    }
                });
        assertThat(text.toString().lines()).contains(
                "vigil_virtual_server_quorum_upvs,[192.0.2.249]:tcp:80 0.0",
                "vigil_real_server_upvs,[192.0.2.249]:tcp:80,rs,[192.0.2.21]:tcp:80 0.0",
                "vigil_real_server_weightvs,[192.0.2.249]:tcp:80,rs,[192.0.2.21]:tcp:80 3.0",
                "vigil_real_server_check_failuresvs,[192.0.2.249]:tcp:80,rs,[192.0.2.21]:tcp:80,check,TCP_CHECK,index,0 2.0",
                "vigil_real_server_check_duration_secondsvs,[192.0.2.249]:tcp:80,rs,[192.0.2.21]:tcp:80,check,TCP_CHECK,index,0 0.0015",
                "vigil_checker_attempts_total 42.0");
    }

    @Test
    void showListsEachRealServerWithItsCheck() {
        Status.Check check = new Status.Check("TCP_CHECK", "active", true, 0,
                "TCP connection to [192.0.2.21]:tcp:80 success.", 420, 0, 1);
        Status.Virtual v = new Status.Virtual("192.0.2.249:tcp:80", "[192.0.2.249]:tcp:80", "wlc", "NAT", 1, 0, true, 1,
                false, List.of(new Status.Real("[192.0.2.21]:tcp:80", false, true, 1, false, List.of(check))), null);
        String text = StatusText.show(v);
        assertThat(text).contains("VS [192.0.2.249]:tcp:80: quorum up");
        assertThat(text).containsPattern("\\[192.0.2.21\\]:tcp:80 +up +1 +TCP_CHECK +active +0 +0.42 ms +TCP connection");
        assertThat(StatusText.find(List.of(v), "192.0.2.249")).contains(v);
    }
}
