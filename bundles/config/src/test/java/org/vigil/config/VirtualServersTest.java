package org.vigil.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;
import static org.vigil.config.ConfFiles.lines;
import static org.vigil.config.ConfFiles.write;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.vigil.api.check.CheckProperties;
import org.vigil.api.check.CheckerPids;
import org.vigil.api.vrrp.ConfigurationPids;

/** virtual_server, real_server, check blocks and virtual_server_group into the model and into configurations. */
class VirtualServersTest {

    @TempDir
    Path dir;

    private Path file;

    private ParseResult parse(String text) {
        file = write(dir, "keepalived.conf", text);
        return KeepalivedConfig.parse(file, "x");
    }

    private List<ConfigurationRecord> records(String text) {
        ParseResult r = parse(text);
        assertThat(lines(r.errors())).as("parse errors").isEmpty();
        return Configurations.toConfigurations(r.model());
    }

    private static ConfigurationRecord record(List<ConfigurationRecord> records, String pid, String name) {
        return records.stream().filter(c -> c.pid().equals(pid) && name.equals(c.name())).findFirst()
                .orElseThrow(() -> new AssertionError(pid + "~" + name + " not in " + records));
    }

    /** A virtual server 192.0.2.249:80 with {@code body} and one real server 192.0.2.21 80 with {@code rs}. */
    private static String vs(String body, String rs) {
        // protocol, scheduler and method after the real server, so that body lines keep their numbers;
        // each only where the body has none, as keepalived reports a missing one
        String defaults = (body.contains("protocol") ? "" : " protocol TCP\n")
                + (body.contains("lvs_sched") || body.contains("lb_algo") ? "" : " lvs_sched wlc\n")
                + (body.contains("lvs_method") || body.contains("lb_kind") ? "" : " lvs_method NAT\n");
        return "virtual_server 192.0.2.249 80 {\n" + body + "\n real_server 192.0.2.21 80 {\n" + rs
                + "\n  TCP_CHECK {\n  }\n }\n" + defaults + "}\n";
    }

    private Map<String, Object> vsProperties(String body) {
        return only(records(vs(body, "")), CheckerPids.VIRTUAL_SERVER).properties();
    }

    private Map<String, Object> rsProperties(String vsBody, String rsBody) {
        Map<String, Object> vs = only(records(vs(vsBody, rsBody)), CheckerPids.VIRTUAL_SERVER).properties();
        assertThat(vs).containsEntry(CheckerPids.REAL_SERVER_COUNT, 1);
        return realServer(vs, 0);
    }

    /** Real server N's keys on its virtual server's configuration, without their prefix. */
    private static Map<String, Object> realServer(Map<String, Object> vs, int n) {
        String prefix = CheckerPids.realServerPrefix(n);
        Map<String, Object> rs = new java.util.HashMap<>();
        vs.forEach((k, v) -> {
            if (k.startsWith(prefix)) {
                rs.put(k.substring(prefix.length()), v);
            }
        });
        return rs;
    }

    /** "VSKEY/address:port" or "VSKEY/sorry": that real server's keys on the virtual server's configuration. */
    private static Map<String, Object> realServer(List<ConfigurationRecord> records, String name) {
        int slash = name.lastIndexOf('/');
        Map<String, Object> vs = record(records, CheckerPids.VIRTUAL_SERVER, name.substring(0, slash)).properties();
        String id = name.substring(slash + 1);
        for (int n = 0; n < (Integer) vs.get(CheckerPids.REAL_SERVER_COUNT); n++) {
            Map<String, Object> rs = realServer(vs, n);
            String address = (String) rs.get(CheckerPids.ADDRESS);
            String text = (address.contains(":") ? "[" + address + "]" : address) + ":" + rs.get(CheckerPids.PORT);
            if (Boolean.TRUE.equals(rs.get(CheckerPids.SORRY)) ? id.equals("sorry") : id.equals(text)) {
                return rs;
            }
        }
        throw new AssertionError(name + " not in " + vs);
    }

    private static ConfigurationRecord only(List<ConfigurationRecord> records, String pid) {
        List<ConfigurationRecord> matching = records.stream().filter(c -> c.pid().equals(pid)).toList();
        assertThat(matching).hasSize(1);
        return matching.get(0);
    }

    // ---- virtual server keywords

    @Test
    void virtualServerDefaultsAreKeepalivedsOwn() {
        Map<String, Object> p = vsProperties("");
        assertThat(p).contains(
                entry(ConfigurationPids.SOURCE, "keepalived.conf"),
                entry(ConfigurationPids.ORIGIN, file + ":1"),
                entry(CheckerPids.VIRTUAL_SERVER_KEY, "192.0.2.249:tcp:80"),
                entry(CheckerPids.ADDRESS, "192.0.2.249"),
                entry(CheckerPids.PORT, 80),
                entry("ip.family", "inet"),
                entry("protocol", "tcp"),
                entry("delay.loop", 60.0),
                entry("lvs.sched", "wlc"),
                entry("lvs.method", "NAT"),
                entry("persistence.timeout", 0L),
                entry("quorum", 1L),
                entry("hysteresis", 0L),
                entry("alpha", false),
                entry("omega", false),
                entry("ha.suspend", false),
                entry("inhibit.on.failure", false),
                entry("warmup", 60.0),
                entry("connect.timeout", 5.0),
                entry("smtp.alert", false),
                entry("ops", false));
        assertThat(p).containsEntry(CheckerPids.REAL_SERVER_COUNT, 1).containsEntry("real.server.0.address", "192.0.2.21")
                .containsEntry("real.server.0.port", 80);
        assertThat(p).doesNotContainKeys("retry", "delay.before.retry", "persistence.granularity",
                "sorry.server.inhibit");
    }

    static Stream<Arguments> virtualServerKeywords() {
        return Stream.of(
                Arguments.of("delay_loop 6", "delay.loop", 6.0),
                Arguments.of("delay_loop 0.5", "delay.loop", 0.5),
                Arguments.of("delay_loop 6", "warmup", 6.0),
                Arguments.of("lvs_sched rr", "lvs.sched", "rr"),
                Arguments.of("lb_algo sh", "lvs.sched", "sh"),
                Arguments.of("lvs_method DR", "lvs.method", "DR"),
                Arguments.of("lb_kind TUN", "lvs.method", "TUN"),
                Arguments.of("lb_kind TUN", "lvs.method.type", "ipip"),
                Arguments.of("lvs_method TUN type gue port 6080 csum", "lvs.method.port", 6080),
                Arguments.of("lvs_method TUN type gre csum", "lvs.method.checksum", "csum"),
                Arguments.of("protocol UDP", "protocol", "udp"),
                Arguments.of("protocol SCTP", "protocol", "sctp"),
                Arguments.of("persistence_timeout 50", "persistence.timeout", 50L),
                Arguments.of("persistence_timeout", "persistence.timeout", 360L),
                Arguments.of("persistence_granularity 255.255.255.0", "persistence.granularity", "255.255.255.0"),
                Arguments.of("persistence_engine sip", "persistence.engine", "sip"),
                Arguments.of("quorum 1", "quorum", 1L),
                Arguments.of("alpha", "alpha", true),
                Arguments.of("omega", "omega", true),
                Arguments.of("ha_suspend", "ha.suspend", true),
                Arguments.of("inhibit_on_failure", "inhibit.on.failure", true),
                Arguments.of("retry 3", "retry", 3),
                Arguments.of("delay_before_retry 2.5", "delay.before.retry", 2.5),
                Arguments.of("warmup 0", "warmup", 0.0),
                Arguments.of("connect_timeout 3", "connect.timeout", 3.0),
                Arguments.of("smtp_alert", "smtp.alert", true),
                Arguments.of("smtp_alert no", "smtp.alert", false),
                Arguments.of("virtualhost www.example.com", "virtualhost", "www.example.com"),
                Arguments.of("quorum_up \"/usr/local/bin/up.sh VS1\" nobody", "quorum.up", "/usr/local/bin/up.sh VS1"),
                Arguments.of("quorum_up /bin/up.sh nobody nogroup", "quorum.up.user", "nobody"),
                Arguments.of("quorum_up /bin/up.sh nobody nogroup", "quorum.up.group", "nogroup"),
                Arguments.of("quorum_up /bin/up.sh nobody :nogroup", "quorum.up.supplementary.groups", true),
                Arguments.of("quorum_down /bin/down.sh", "quorum.down", "/bin/down.sh"));
    }

    @ParameterizedTest
    @MethodSource("virtualServerKeywords")
    void virtualServerKeywordIsNormalised(String line, String key, Object value) {
        assertThat(vsProperties(line)).containsEntry(key, value);
    }

    @Test
    void schedulerFlagsAndOnePacketScheduling() {
        Map<String, Object> p = vsProperties("lvs_sched sh\n sh-port\n flag-1\n hashed\n protocol UDP\n ops");
        assertThat((String[]) p.get("lvs.sched.flags")).containsExactly("sh-port", "flag-1", "hashed");
        assertThat(p).containsEntry("ops", true);
    }

    @Test
    void shFlagsWithoutShAndOpsWithoutUdpAreDroppedWithKeepalivedsWarnings() {
        ParseResult r = parse(vs(" lvs_sched rr\n sh-port\n ops", ""));
        assertThat(lines(r.warnings())).containsExactly(
                file + ":1: Virtual server [192.0.2.249]:tcp:80: one packet scheduling requires UDP - resetting",
                file + ":1: sh-port only applies to sh scheduler - ignoring");
        VirtualServer vs = r.model().virtualServers().get(0);
        assertThat(vs.schedulerFlags()).isEmpty();
        assertThat(vs.ops()).isFalse();
    }

    @Test
    void unknownSchedulerIsIgnoredWithKeepalivedsWordingAndWlcStays() {
        ParseResult r = parse(vs(" lvs_sched fastest", ""));
        // keepalived 2.2.7 says both (measured with keepalived -t)
        assertThat(lines(r.diagnostics())).containsExactly(
                file + ":1: Virtual server [192.0.2.249]:tcp:80: no scheduler set, setting default 'wlc'",
                file + ":2: Invalid lvs_scheduler 'fastest' - ignoring");
        assertThat(r.model().virtualServers().get(0).scheduler()).isEqualTo("wlc");
    }

    @Test
    void badValuesAreReportedWithFileAndLine() {
        ParseResult r = parse(vs("""
                 delay_loop soon
                 lb_kind FAST
                 lvs_method TUN type vxlan
                 persistence_timeout 9999999
                 persistence_granularity 255.0.255.0
                 protocol ICMP
                 quorum 0
                 hysteresis x
                 connect_timeout 0
                 retry -1
                 warmup x
                 delay_before_retry x
                 smtp_alert maybe
                 inhibit_on_failure maybe""", " weight -1\n"));
        assertThat(lines(r.errors())).containsExactly(
                file + ":2: virtual server delay loop 'soon' invalid - ignoring",
                file + ":3: PARSER : unknown [FAST] routing method for virtual server.",
                file + ":4: Unknown tunnel type vxlan for virtual server.",
                file + ":5: persistence_timeout invalid",
                file + ":6: Invalid IPv4 persistence_granularity specified - 255.0.255.0",
                file + ":7: Unknown protocol ICMP - ignoring",
                file + ":8: Quorum 0 must be in [1, 4294967295]. Setting to 1.",
                file + ":9: Hysteresis x must be in [0, 4294967295] - ignoring",
                file + ":10: virtual server connect_timeout 0 invalid - ignoring",
                file + ":11: retry value invalid - -1",
                file + ":12: virtual server warmup 'x' invalid - ignoring",
                file + ":13: virtual server delay before retry 'x' invalid - ignoring",
                file + ":14: Invalid virtual_server smtp_alert parameter maybe",
                file + ":15: Invalid inhibit_on_failure parameter maybe",
                file + ":17: Real server weight -1 is outside range 0-2147483647");
    }

    @Test
    void portZeroForcesPersistence() {
        ParseResult r = parse("virtual_server 192.0.2.249 {\n real_server 192.0.2.21 {\n }\n protocol TCP\n lvs_sched rr\n lb_kind NAT\n}\n");
        assertThat(lines(r.warnings())).containsExactly(
                file + ":1: Virtual server [192.0.2.249]:tcp:0: zero port only valid for persistent services - setting");
        VirtualServer vs = r.model().virtualServers().get(0);
        assertThat(vs.persistenceTimeout()).isEqualTo(360);
        assertThat(vs.key()).isEqualTo("192.0.2.249:tcp:0");
    }

    @Test
    void fwmarkAndIpv6AndGroupServicesHaveTheirKeys() {
        List<ConfigurationRecord> all = records("""
                virtual_server_group web {
                  192.0.2.10-20 80
                  198.51.100.0/30 443
                  203.0.113.5
                  fwmark 7 inet6
                  fwmark 8
                }
                virtual_server fwmark 10 {
                  real_server 2001:db8::21 {
                  }
                  lvs_sched rr
                  lb_kind NAT
                }
                virtual_server 2001:db8::249 80 {
                  real_server 2001:db8::21 8080 {
                  }
                  protocol TCP
                  lvs_sched rr
                  lb_kind NAT
                }
                virtual_server group web {
                  protocol UDP
                  real_server 192.0.2.21 80 {
                  }
                  lvs_sched rr
                  lb_kind NAT
                }
                """);
        Map<String, Object> fw = record(all, CheckerPids.VIRTUAL_SERVER, "fwmark:10:inet6").properties();
        assertThat(fw).containsEntry("fwmark", 10L).containsEntry(CheckerPids.PORT, 0)
                .containsEntry("ip.family", "inet6").doesNotContainKey(CheckerPids.ADDRESS);
        assertThat(realServer(all, "fwmark:10:inet6/[2001:db8::21]:0"))
                .containsEntry(CheckerPids.ADDRESS, "2001:db8::21").containsEntry(CheckerPids.PORT, 0);
        assertThat(record(all, CheckerPids.VIRTUAL_SERVER, "[2001:db8::249]:tcp:80").properties())
                .containsEntry("ip.family", "inet6");
        assertThat(record(all, CheckerPids.VIRTUAL_SERVER, "group:web:udp").properties())
                .containsEntry("group", "web").containsEntry("protocol", "udp");
        Map<String, Object> g = record(all, CheckerPids.GROUP, "web").properties();
        assertThat((String[]) g.get("addresses")).containsExactly("192.0.2.10-192.0.2.20 80",
                "198.51.100.0-198.51.100.3 443", "203.0.113.5-203.0.113.5 0");
        assertThat((String[]) g.get("fwmarks")).containsExactly("7 inet6", "8");
        assertThat(g).containsEntry(ConfigurationPids.NAME, "web");
    }

    @Test
    void groupErrorsAndAMissingGroupUseKeepalivedsWording() {
        ParseResult r = parse("""
                virtual_server_group bad {
                  192.0.2.1/24 80
                  192.0.2.9-3 80
                  fwmark x
                }
                virtual_server group nowhere {
                  real_server 192.0.2.21 80 {
                  }
                  protocol TCP
                  lvs_sched rr
                  lb_kind NAT
                }
                """);
        assertThat(lines(r.diagnostics())).containsExactly(
                file + ":1: virtual server group bad has no entries - removing",
                file + ":2: Address mask bits not empty - 192.0.2.1/24 - skipping",
                file + ":3: Address range end is less than address range start - 192.0.2.9-3 - skipping",
                file + ":4: (bad): fwmark 'x' must be in [0, 4294967295] - ignoring",
                file + ":6: Virtual server group nowhere specified but not configured - ignoring virtual server"
                        + " [nowhere]:tcp:0");
        assertThat(r.model().virtualServers()).isEmpty();
        assertThat(r.model().virtualServerGroups()).isEmpty();
    }

    // ---- real servers

    @Test
    void aRealServerLeavesOutWhatItWouldOnlyRepeatOfItsVirtualServer() {
        Map<String, Object> p = rsProperties(" delay_loop 6\n retry 2\n delay_before_retry 4\n connect_timeout 3\n"
                + " lb_kind DR\n inhibit_on_failure\n alpha\n virtualhost vs.example", "");
        assertThat(p).contains(
                entry(CheckerPids.ADDRESS, "192.0.2.21"),
                entry(CheckerPids.PORT, 80),
                entry(CheckerPids.SORRY, false),
                entry(CheckerPids.checkType(0), "TCP_CHECK"));
        // the checker reads an absent key as the virtual server's (RealServers.Config), weight 1, smtp_alert on
        assertThat(p).doesNotContainKeys("weight", "lvs.method", "inhibit.on.failure", "alpha", "delay.loop", "warmup",
                "retry", "delay.before.retry", "connect.timeout", "virtualhost", "smtp.alert");
    }

    @Test
    void realServerKeywordsOverride() {
        Map<String, Object> p = rsProperties(" delay_loop 6\n inhibit_on_failure", """
                  weight 5
                  lvs_method TUN type gre nocsum
                  notify_up "/bin/up.sh rs1" nobody
                  notify_down /bin/down.sh
                  inhibit_on_failure off
                  alpha on
                  delay_loop 2
                  warmup 1
                  retry 4
                  delay_before_retry 0.5
                  connect_timeout 1.5
                  uthreshold 100
                  lthreshold 10
                  smtp_alert no
                  virtualhost rs.example
                """);
        assertThat(p).contains(
                entry("weight", 5),
                entry("lvs.method", "TUN"),
                entry("lvs.method.type", "gre"),
                entry("lvs.method.checksum", "nocsum"),
                entry("notify.up", "/bin/up.sh rs1"),
                entry("notify.up.user", "nobody"),
                entry("notify.down", "/bin/down.sh"),
                entry("inhibit.on.failure", false),
                entry("alpha", true),
                entry("delay.loop", 2.0),
                entry("warmup", 1.0),
                entry("retry", 4),
                entry("delay.before.retry", 0.5),
                entry("connect.timeout", 1.5),
                entry("uthreshold", 100L),
                entry("lthreshold", 10L),
                entry("smtp.alert", false),
                entry("virtualhost", "rs.example"));
    }

    @Test
    void scriptUserAndSecurityOfGlobalDefsReachTheCheckersScripts() {
        List<ConfigurationRecord> all = records("global_defs {\n script_user nobody\n enable_script_security\n}\n"
                + vs(" quorum_up \"/bin/up\" daemon", " notify_down /bin/down nobody"));
        Map<String, Object> p = record(all, CheckerPids.VIRTUAL_SERVER, "192.0.2.249:tcp:80").properties();
        assertThat(p).containsEntry("script.user", "nobody").containsEntry("enable.script.security", true)
                .containsEntry("quorum.up.user", "daemon");
        assertThat(realServer(all, "192.0.2.249:tcp:80/192.0.2.21:80")).containsEntry("notify.down", "/bin/down")
                .containsEntry("notify.down.user", "nobody");
    }

    @Test
    void globalSmtpAlertSetsTheCheckerDefault() {
        List<ConfigurationRecord> all = records("global_defs {\n smtp_alert_checker off\n}\n" + vs("", ""));
        assertThat(realServer(all, "192.0.2.249:tcp:80/192.0.2.21:80"))
                .containsEntry("smtp.alert", false);
    }

    @Test
    void sorryServerIsARealServerOfItsVirtualServersConfiguration() {
        List<ConfigurationRecord> all = records(vs(" sorry_server 192.0.2.99 80\n sorry_server_inhibit\n"
                + " sorry_server_lvs_method DR", ""));
        Map<String, Object> sorry = realServer(all, "192.0.2.249:tcp:80/sorry");
        assertThat(sorry).contains(entry(CheckerPids.SORRY, true), entry(CheckerPids.ADDRESS, "192.0.2.99"),
                entry(CheckerPids.PORT, 80), entry("inhibit.on.failure", true), entry("lvs.method", "DR"));
        assertThat(sorry).as("no check count beside the blocks").doesNotContainKey("check.count");
        assertThat(record(all, CheckerPids.VIRTUAL_SERVER, "192.0.2.249:tcp:80").properties())
                .containsEntry(CheckerPids.REAL_SERVER_COUNT, 2).containsEntry("sorry.server.inhibit", true);
    }

    @Test
    void realServerWithoutPortTakesTheVirtualServersAndDuplicatesAreRemoved() {
        ParseResult r = parse("""
                virtual_server 192.0.2.249 80 {
                  real_server 192.0.2.21 {
                  }
                  real_server 192.0.2.21 80 {
                  }
                  protocol TCP
                  lvs_sched rr
                  lb_kind NAT
                }
                """);
        assertThat(lines(r.warnings())).containsExactly(
                file + ":4: VS [192.0.2.249]:tcp:80: real server [192.0.2.21]:tcp:80 is duplicated - removing second rs");
        assertThat(r.model().virtualServers().get(0).realServers()).extracting(RealServer::identity)
                .containsExactly("192.0.2.21:80");
    }

    @Test
    void portsAndFamiliesAreCorrectedAsKeepalivedDoes() {
        // keepalived 2.2.7 -t on this file prints these four lines (and exits 5); NAT may map ports
        ParseResult r = parse("""
                virtual_server 192.0.2.249 80 {
                  protocol TCP
                  lvs_sched rr
                  lb_kind DR
                  real_server 192.0.2.21 8080 {
                  }
                  sorry_server 192.0.2.99 8081
                }
                virtual_server fwmark 3 {
                  lvs_sched rr
                  lb_kind DR
                  real_server 192.0.2.22 8080 {
                  }
                }
                virtual_server 192.0.2.250 80 {
                  protocol TCP
                  lvs_sched rr
                  lb_kind NAT
                  real_server 192.0.2.23 8080 {
                  }
                  real_server 2001:db8::1 80 {
                  }
                }
                """);
        assertThat(lines(r.diagnostics())).containsExactly(
                file + ":5: WARNING - virtual server [192.0.2.249]:tcp:80 and real server [192.0.2.21]:tcp:8080"
                        + " ports don't match - resetting",
                file + ":7: WARNING - virtual server [192.0.2.249]:tcp:80 and sorry server ports don't match - resetting",
                file + ":12: WARNING - fwmark virtual server FWM 3, real server [192.0.2.22]:none:8080 has port"
                        + " specified - clearing",
                file + ":21: Address family of virtual server and real server 2001:db8::1 don't match - skipping"
                        + " real server.");
        assertThat(r.diagnostics()).allSatisfy(d -> assertThat(d.severity()).isEqualTo(Diagnostic.Severity.CORRECTED));
        List<VirtualServer> all = r.model().virtualServers();
        assertThat(all.get(0).realServers().get(0).port()).isEqualTo(80);
        assertThat(all.get(0).sorryServer().port()).isEqualTo(80);
        assertThat(all.get(1).realServers().get(0).port()).isZero();
        assertThat(all.get(2).realServers()).extracting(RealServer::identity).containsExactly("192.0.2.23:8080");
    }

    @Test
    void quorumAboveTheTotalWeightIsReducedAsKeepalivedDoes() {
        ParseResult r = parse(vs(" quorum 5\n hysteresis 9", " weight 3"));
        assertThat(lines(r.warnings())).containsExactly(
                file + ":1: Warning - quorum 5 for [192.0.2.249]:tcp:80 exceeds total weight of real servers 3,"
                        + " reducing quorum to 3",
                file + ":1: Virtual server [192.0.2.249]:tcp:80: hysteresis 9 >= quorum 3; setting hysteresis to 2");
        VirtualServer vs = r.model().virtualServers().get(0);
        assertThat(vs.quorum()).isEqualTo(3);
        assertThat(vs.hysteresis()).isEqualTo(2);
    }

    @Test
    void lvsNotifyFifoComesFromGlobalDefs() {
        Map<String, Object> p = record(records("global_defs {\n lvs_notify_fifo /run/vigil/lvs.fifo\n}\n" + vs("", "")),
                CheckerPids.VIRTUAL_SERVER, "192.0.2.249:tcp:80").properties();
        assertThat(p).containsEntry("lvs.notify.fifo", "/run/vigil/lvs.fifo")
                .doesNotContainKeys("lvs.notify.fifo.owner.user", "lvs.notify.fifo.owner.group");
    }

    @Test
    void lvsNotifyFifosOwnerIsTyped() {
        Map<String, Object> p = record(records("global_defs {\n lvs_notify_fifo /run/vigil/lvs.fifo nobody nogroup\n}\n"
                + vs("", "")), CheckerPids.VIRTUAL_SERVER, "192.0.2.249:tcp:80").properties();
        assertThat(p).containsEntry("lvs.notify.fifo", "/run/vigil/lvs.fifo")
                .containsEntry("lvs.notify.fifo.owner.user", "nobody")
                .containsEntry("lvs.notify.fifo.owner.group", "nogroup");
        // on notify_fifo, the checker's lines go to that FIFO, given to its owner; a user alone: no group key
        Map<String, Object> shared = record(records("global_defs {\n notify_fifo /run/vigil/all.fifo daemon\n}\n"
                + vs("", "")), CheckerPids.VIRTUAL_SERVER, "192.0.2.249:tcp:80").properties();
        assertThat(shared).containsEntry("lvs.notify.fifo", "/run/vigil/all.fifo")
                .containsEntry("lvs.notify.fifo.owner.user", "daemon")
                .doesNotContainKey("lvs.notify.fifo.owner.group");
    }

    @Test
    void lvsNotifyFifoScriptIsItsCommandAndItsUserTyped() {
        Map<String, Object> p = record(records("global_defs {\n lvs_notify_fifo /run/vigil/lvs.fifo\n"
                + " lvs_notify_fifo_script \"/usr/local/bin/reader -v\" daemon :adm\n}\n" + vs("", "")),
                CheckerPids.VIRTUAL_SERVER, "192.0.2.249:tcp:80").properties();
        assertThat(p).containsEntry("lvs.notify.fifo", "/run/vigil/lvs.fifo")
                .containsEntry("lvs.notify.fifo.script.command", "/usr/local/bin/reader -v")
                .containsEntry("lvs.notify.fifo.script.user", "daemon")
                .containsEntry("lvs.notify.fifo.script.group", "adm")
                .containsEntry("lvs.notify.fifo.script.supplementary.groups", true)
                .doesNotContainKey("lvs.notify.fifo.script");
    }

    @Test
    void onTheSharedNotifyFifoTheCheckerStartsNoReaderOfItsOwn() {
        // notify_fifo_script reads notify_fifo for the VRRP side and the checker: notify-script starts it once
        Map<String, Object> p = record(records("global_defs {\n notify_fifo /run/vigil/all.fifo\n"
                + " notify_fifo_script /usr/local/bin/reader\n lvs_notify_fifo_script /usr/local/bin/other\n}\n"
                + vs("", "")), CheckerPids.VIRTUAL_SERVER, "192.0.2.249:tcp:80").properties();
        assertThat(p).containsEntry("lvs.notify.fifo", "/run/vigil/all.fifo")
                .doesNotContainKeys("lvs.notify.fifo.script.command", "lvs.notify.fifo.script");
    }

    // ---- check blocks

    @Test
    void httpGetWithTwoUrlBlocksIsFlattened() {
        List<ConfigurationRecord> all = records("""
                virtual_server 192.0.2.249 80 {
                  real_server 192.0.2.21 80 {
                    HTTP_GET {
                      url {
                        path /
                        digest ff20ad2481f97b1754ef3e12ecd3a9cc
                      }
                      url {
                        path /health
                        status_code 200-299 503
                      }
                      connect_timeout 3
                      nb_get_retry 3
                      delay_before_retry 2
                      enable_sni
                    }
                  }
                  protocol TCP
                  lvs_sched rr
                  lb_kind NAT
                }
                """);
        Map<String, Object> p = realServer(all, "192.0.2.249:tcp:80/192.0.2.21:80");
        assertThat(p).containsEntry("check.0.vigil.type", "HTTP_GET")
                .containsEntry("check.0.vigil.origin", file + ":3");
        assertThat((String[]) p.get("check.0.url.0.path")).containsExactly("/");
        assertThat((String[]) p.get("check.0.url.0.digest")).containsExactly("ff20ad2481f97b1754ef3e12ecd3a9cc");
        assertThat((String[]) p.get("check.0.url.1.path")).containsExactly("/health");
        assertThat((String[]) p.get("check.0.url.1.status.code")).containsExactly("200-299", "503");
        assertThat((String[]) p.get("check.0.connect.timeout")).containsExactly("3");
        assertThat((String[]) p.get("check.0.retry")).as("nb_get_retry is retry").containsExactly("3");
        assertThat((String[]) p.get("check.0.delay.before.retry")).containsExactly("2");
        assertThat((String[]) p.get("check.0.enable.sni")).isEmpty();

        // what the checker hands the type: the block's keys without the check.0. prefix
        CheckProperties props = new CheckProperties(block(p, 0));
        assertThat(props.blocks("url")).hasSize(2);
        assertThat(props.blocks("url").get(1).get("status.code")).contains("200-299 503");
    }

    @Test
    void miscCheckKeepsAQuotedPathAsOneToken() {
        List<ConfigurationRecord> all = records("""
                virtual_server 192.0.2.249 80 {
                  real_server 192.0.2.21 80 {
                    MISC_CHECK {
                      misc_path "/usr/local/bin/check.sh 192.0.2.21 'two words'"
                      misc_timeout 5
                      misc_dynamic
                      user nobody
                    }
                    TCP_CHECK {
                      connect_port 8080
                    }
                  }
                  protocol TCP
                  lvs_sched rr
                  lb_kind NAT
                }
                """);
        Map<String, Object> p = realServer(all, "192.0.2.249:tcp:80/192.0.2.21:80");
        assertThat(p).containsEntry("check.0.vigil.type", "MISC_CHECK")
                .containsEntry("check.1.vigil.type", "TCP_CHECK");
        assertThat((String[]) p.get("check.0.misc.path"))
                .containsExactly("/usr/local/bin/check.sh 192.0.2.21 'two words'");
        assertThat((String[]) p.get("check.0.misc.timeout")).containsExactly("5");
        assertThat((String[]) p.get("check.0.misc.dynamic")).isEmpty();
        assertThat((String[]) p.get("check.0.user")).containsExactly("nobody");
        assertThat((String[]) p.get("check.1.connect.port")).containsExactly("8080");
    }

    @Test
    void aBlockKeywordNamedTypeDoesNotReplaceTheBlockType() {
        ParseResult r = parse("""
                virtual_server 192.0.2.249 53 {
                  protocol UDP
                  lvs_sched rr
                  lb_kind NAT
                  real_server 192.0.2.21 53 {
                    DNS_CHECK {
                      type A
                      name example.test
                    }
                  }
                }
                """);
        assertThat(r.errors()).isEmpty();
        Map<String, Object> p = realServer(Configurations.toConfigurations(r.model()), "192.0.2.249:udp:53/192.0.2.21:53");
        assertThat(p).containsEntry(CheckerPids.checkType(0), "DNS_CHECK");
        assertThat((String[]) p.get("check.0.type")).containsExactly("A");
        assertThat((String[]) p.get("check.0.name")).containsExactly("example.test");
    }

    @Test
    void aThirdPartyCheckTypeIsPassedThroughWithItsTokensAndSubBlocks() {
        ParseResult r = parse("""
                virtual_server 192.0.2.249 6379 {
                  real_server 192.0.2.21 6379 {
                    REDIS_CHECK {
                      connect_timeout 2
                      command PING
                      expect PONG
                      auth {
                        user default
                        password_file /etc/vigil/redis.pw
                      }
                    }
                  }
                  protocol TCP
                  lvs_sched rr
                  lb_kind NAT
                }
                """);
        assertThat(r.errors()).isEmpty();
        assertThat(lines(r.warnings())).containsExactly(file + ":3: Unknown keyword 'REDIS_CHECK' (not a keepalived"
                + " checker: Vigil passes it to a checker bundle of type REDIS_CHECK, if one is deployed)");
        Map<String, Object> p = realServer(Configurations.toConfigurations(r.model()), "192.0.2.249:tcp:6379/192.0.2.21:6379");
        assertThat(p).containsEntry("check.0.vigil.type", "REDIS_CHECK");
        assertThat((String[]) p.get("check.0.connect.timeout")).containsExactly("2");
        assertThat((String[]) p.get("check.0.command")).containsExactly("PING");
        assertThat((String[]) p.get("check.0.expect")).containsExactly("PONG");
        assertThat((String[]) p.get("check.0.auth.0.user")).containsExactly("default");
        assertThat((String[]) p.get("check.0.auth.0.password.file")).containsExactly("/etc/vigil/redis.pw");
    }

    @Test
    void checkBlockErrorsUseKeepalivedsWording() {
        ParseResult r = parse("""
                virtual_server 192.0.2.249 80 {
                  real_server 192.0.2.21 80 {
                    HTTP_GET {
                      url {
                        digest 00
                      }
                      connect_port 70000
                      connect_ip 192.0.2.300
                      retry x
                    }
                    SSL_GET {
                    }
                    MISC_CHECK {
                      misc_timeout 3
                    }
                    TCP_CHECK {
                      frobnicate 1
                    }
                  }
                  protocol TCP
                  lvs_sched rr
                  lb_kind NAT
                }
                """);
        assertThat(lines(r.diagnostics())).containsExactly(
                file + ":3: HTTP/SSL_GET checker has no urls specified - ignoring",
                file + ":4: HTTP/SSL_GET checker url has no path - ignoring",
                file + ":5: digest '00' character length should be 32 rather than 2",
                file + ":7: Invalid checker connect_port '70000'",
                file + ":8: Invalid connect_ip address 192.0.2.300 - ignoring",
                file + ":9: Invalid retry connection value 'x'",
                file + ":11: HTTP/SSL_GET checker has no urls specified - ignoring",
                file + ":13: No script path has been specified for MISC_CHECKER - skipping",
                file + ":17: Unknown keyword 'frobnicate'");
        assertThat(r.model().virtualServers().get(0).realServers().get(0).checks()).extracting(CheckBlock::type)
                .containsExactly("TCP_CHECK");
    }

    @Test
    void inlineBlocksAsKeepalivedTakesThem() {
        ParseResult r = parse("virtual_server 192.0.2.249 80 {\n real_server 192.0.2.21 80 {\n"
                + "  HTTP_GET { url { path / } connect_timeout 1 }\n }\n protocol TCP\n lb_algo rr\n lb_kind NAT\n}\n");
        assertThat(lines(r.diagnostics())).isEmpty();
        CheckBlock c = r.model().virtualServers().get(0).realServers().get(0).checks().get(0);
        assertThat(c.tokens("url.0.path")).containsExactly("/");
        assertThat(c.tokens("connect.timeout")).containsExactly("1");
    }

    @Test
    void virtualServerIsNoLongerUnsupported() {
        ParseResult r = parse(vs("", ""));
        assertThat(r.diagnostics()).isEmpty();
        assertThat(r.model().unsupported()).isEmpty();
        assertThat(ModelBuilder.UNSUPPORTED_TOP_LEVEL).doesNotContain("virtual_server", "virtual_server_group");
    }

    /** Block N's keys without their "check.N." prefix, as the checker hands them to a type. */
    private static Map<String, List<String>> block(Map<String, Object> p, int n) {
        String prefix = CheckerPids.checkPrefix(n);
        Map<String, List<String>> out = new java.util.TreeMap<>();
        p.forEach((k, v) -> {
            if (k.startsWith(prefix) && v instanceof String[] tokens) {
                out.put(k.substring(prefix.length()), List.of(tokens));
            }
        });
        return out;
    }
}
