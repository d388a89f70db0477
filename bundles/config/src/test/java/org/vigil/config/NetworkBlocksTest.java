package org.vigil.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.vigil.config.ConfFiles.lines;
import static org.vigil.config.ConfFiles.write;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vigil.api.vrrp.ConfigurationPids;
import org.vigil.api.vrrp.ConfigurationPids.Instance;
import org.vigil.api.vrrp.ConfigurationPids.Static;

/**
 * static_ipaddress, static_routes, static_rules, virtual_rules, garp_group and the global
 * vrrp_garp_* defaults, read and turned into configurations as keepalived 2.2.7 resolves them
 * (its -d dump in the lab, 2026-12-03).
 */
class NetworkBlocksTest {

    @TempDir
    Path dir;

    private ParseResult parse(String text) {
        return KeepalivedConfig.parse(write(dir, "keepalived.conf", text), "x");
    }

    private static Map<String, Object> pid(ParseResult r, String pid) {
        return Configurations.toConfigurations(r.model()).stream().filter(c -> c.pid().equals(pid)).findFirst()
                .orElseThrow().properties();
    }

    private String at(int line, String message) {
        return dir.resolve("keepalived.conf") + ":" + line + ": " + message;
    }

    private static final String INSTANCE = """
            vrrp_instance VI_1 {
              interface lan0
              virtual_router_id 51
              virtual_ipaddress {
                192.0.2.249/24
              }
            }
            """;

    @Test
    void staticBlocksBecomeOneConfigurationAndRulesWithoutPreferenceGetKeepalivedsInFileOrder() {
        ParseResult r = parse("""
                global_defs {
                  default_interface lan0
                }
                static_ipaddress {
                  198.51.100.5/32 dev lan0 scope link
                }
                static_routes {
                  203.0.113.0/24 via 192.0.2.1 dev lan0 table 100 metric 7
                }
                static_rules {
                  from 198.51.100.0/24 table 100
                  to 192.168.100./24 table 1
                  from 203.0.113.0/24 table 100 priority 200
                }
                vrrp_instance VI_1 {
                  interface lan0
                  virtual_router_id 51
                  virtual_ipaddress {
                    192.0.2.249/24
                  }
                  virtual_rules {
                    to 203.0.113.0/24 table 101
                  }
                }
                """);
        assertThat(lines(r.diagnostics())).containsExactly(
                at(11, "Rule has no preference specified - setting to 16384. This is probably not what you want."),
                at(12, "Invalid rule 'to 192.168.100./24 table 1': not an IP address: '192.168.100.' - skipping"),
                at(22, "Rule has no preference specified - setting to 16383. This is probably not what you want."));
        Map<String, Object> s = pid(r, ConfigurationPids.STATIC);
        assertThat((String[]) s.get(Static.IPADDRESS)).containsExactly("198.51.100.5/32 dev lan0 scope link");
        assertThat((String[]) s.get(Static.ROUTES)).containsExactly("203.0.113.0/24 via 192.0.2.1 dev lan0 table 100 metric 7");
        assertThat((String[]) s.get(Static.RULES)).containsExactly("from 198.51.100.0/24 table 100 preference 16384",
                "from 203.0.113.0/24 table 100 priority 200");
        assertThat(s.get("default.interface")).isEqualTo("lan0");
        assertThat((String[]) pid(r, ConfigurationPids.INSTANCE).get(Instance.VIRTUAL_RULES))
                .containsExactly("to 203.0.113.0/24 table 101 preference 16383");
    }

    @Test
    void withoutStaticBlocksThereIsNoStaticConfiguration() {
        ParseResult r = parse(INSTANCE);
        assertThat(Configurations.toConfigurations(r.model())).noneMatch(c -> c.pid().equals(ConfigurationPids.STATIC));
    }

    @Test
    void globalGarpSettingsAreCopiedOntoInstancesThatDoNotSetThem() {
        ParseResult r = parse("""
                global_defs {
                  vrrp_garp_master_repeat 2
                  vrrp_garp_master_delay 3
                  vrrp_garp_master_refresh 60
                  vrrp_garp_master_refresh_repeat 2
                  vrrp_garp_lower_prio_repeat 4
                  vrrp_garp_lower_prio_delay 7
                  vrrp_garp_interval 0.1
                  vrrp_gna_interval 0.05
                  vrrp_garp_extra_if all 100
                }
                vrrp_instance VI_1 {
                  interface lan0
                  virtual_router_id 51
                  garp_master_repeat 9
                  virtual_ipaddress {
                    192.0.2.249/24
                  }
                }
                """);
        assertThat(r.errors()).isEmpty();
        Map<String, Object> p = pid(r, ConfigurationPids.INSTANCE);
        assertThat(p).containsEntry("garp.master.repeat", 9).containsEntry("garp.master.delay.ms", 3_000L)
                .containsEntry("garp.master.refresh.ms", 60_000L).containsEntry("garp.master.refresh.repeat", 2)
                .containsEntry("garp.lower.prio.repeat", 4).containsEntry("garp.lower.prio.delay.ms", 7_000L)
                .containsEntry("vrrp.garp.interval.us", 100_000L).containsEntry("vrrp.gna.interval.us", 50_000L)
                .containsEntry("garp.extra.if.ms", 100_000L).containsEntry("garp.extra.if.all", true)
                .as("only the typed keys: nothing for the core to convert")
                .doesNotContainKeys("garp.master.delay", "garp.master.refresh", "garp.lower.prio.delay",
                        "vrrp.garp.interval", "vrrp.gna.interval", "garp.extra.if");
    }

    @Test
    void minGarpMeansOneFrameAndNoSecondBurstUnlessSetExplicitly() {
        Map<String, Object> p = pid(parse("global_defs {\n vrrp_min_garp\n}\n" + INSTANCE), ConfigurationPids.INSTANCE);
        assertThat(p).containsEntry("garp.master.repeat", 1).containsEntry("garp.master.delay.ms", 0L)
                .doesNotContainKey("garp.lower.prio.repeat");
        Map<String, Object> explicit = pid(parse("global_defs {\n vrrp_garp_master_repeat 2\n vrrp_min_garp\n}\n"
                + INSTANCE), ConfigurationPids.INSTANCE);
        assertThat(explicit).containsEntry("garp.master.repeat", 2).containsEntry("garp.master.delay.ms", 0L);
        Map<String, Object> off = pid(parse("global_defs {\n vrrp_min_garp false\n}\n" + INSTANCE),
                ConfigurationPids.INSTANCE);
        assertThat(off).doesNotContainKey("garp.master.repeat");
    }

    @Test
    void aGarpGroupOfTheInstanceInterfaceSetsItsSpacingOverTheGlobalOne() {
        ParseResult r = parse("""
                global_defs {
                  vrrp_garp_interval 0.1
                }
                garp_group {
                  garp_interval 0.2
                  interfaces {
                    lan0
                    lan1
                  }
                }
                garp_group {
                  gna_interval 0.3
                  interface lan9
                }
                """ + INSTANCE);
        assertThat(lines(r.diagnostics())).isEmpty();
        assertThat(r.model().network().garpGroups()).hasSize(2);
        assertThat(pid(r, ConfigurationPids.INSTANCE)).containsEntry("vrrp.garp.interval.us", 200_000L)
                .doesNotContainKey("vrrp.gna.interval.us");
    }

    @Test
    void theDebianSampleBlocksAreNoLongerReportedAsUnsupported() {
        ParseResult r = parse("""
                static_routes {
                  src 192.0.2.1 198.51.100.0/24 via 192.0.2.254 dev lan0
                  203.0.113.0/24 dev lan0 scope link
                }
                garp_group {
                  garp_interval 1
                  interface lan0
                }
                """ + INSTANCE);
        assertThat(lines(r.diagnostics())).isEmpty();
        assertThat(r.model().unsupported()).isEmpty();
        assertThat(r.model().network().staticRoutes()).hasSize(2);
        assertThat(List.of((String[]) pid(r, ConfigurationPids.STATIC).get(Static.ROUTES))).hasSize(2);
    }
}
