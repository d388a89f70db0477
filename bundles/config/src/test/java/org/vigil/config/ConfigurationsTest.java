package org.vigil.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;
import static org.vigil.config.ConfFiles.write;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vigil.api.vrrp.ConfigurationPids;
import org.vigil.api.vrrp.ConfigurationPids.Global;
import org.vigil.api.vrrp.ConfigurationPids.Instance;
import org.vigil.api.vrrp.ConfigurationPids.Script;
import org.vigil.api.vrrp.ConfigurationPids.SyncGroup;

class ConfigurationsTest {

    @TempDir
    Path dir;

    private Path file;

    private List<ConfigurationRecord> convert(String text) {
        file = write(dir, "keepalived.conf", text);
        ParseResult r = KeepalivedConfig.parse(file, "x");
        assertThat(r.errors()).as("parse errors").isEmpty();
        return Configurations.toConfigurations(r.model());
    }

    private Map<String, Object> instance(String text, String name) {
        return convert(text).stream().filter(c -> c.pid().equals(ConfigurationPids.INSTANCE)
                && name.equals(c.properties().get(ConfigurationPids.NAME)))
                .findFirst().orElseThrow().properties();
    }

    private Map<String, Object> only(String body) {
        return instance("vrrp_instance VI {\n interface eth0\n virtual_router_id 1\n" + body + "}\n", "VI");
    }

    private static final String V4 = " virtual_ipaddress {\n 192.0.2.1/24\n }\n";
    private static final String V6 = " virtual_ipaddress {\n 2001:db8::1/64\n }\n";

    @Test
    void fullInstanceMapsToExactlyTheseProperties() {
        Map<String, Object> p = instance("""
                vrrp_instance VI_1 {
                  state MASTER
                  interface lan0
                  virtual_router_id 51
                  priority 150
                  advert_int 1
                  authentication {
                    auth_type PASS
                    auth_pass lab51pw
                  }
                  virtual_ipaddress {
                    192.0.2.249/24 dev lan0 label lan0:1
                  }
                }
                """, "VI_1");
        assertThat(p).containsOnly(
                entry(ConfigurationPids.SOURCE, "keepalived.conf"),
                entry(ConfigurationPids.ORIGIN, file + ":1"),
                entry(ConfigurationPids.NAME, "VI_1"),
                entry(Instance.STATE, "MASTER"),
                entry(Instance.INTERFACE, "lan0"),
                entry(Instance.VIRTUAL_ROUTER_ID, 51),
                entry(Instance.PRIORITY, 150),
                entry(Instance.ADVERT_INT_CS, 100),
                entry(Instance.VERSION, 2),
                entry(Instance.FAMILY, "IPV4"),
                entry(Instance.PREEMPT, true),
                entry(Instance.PREEMPT_DELAY_MS, 0L),
                entry(Instance.AUTH_TYPE, "PASS"),
                entry(Instance.AUTH_PASS, "lab51pw"),
                entry(Instance.VIRTUAL_IPADDRESS, new String[] {"192.0.2.249/24 dev lan0 label lan0:1"}),
                entry(Instance.VIRTUAL_IPADDRESS_EXCLUDED, new String[0]),
                entry(Instance.VIRTUAL_ROUTES, new String[0]),
                entry(Instance.UNICAST_PEER, new String[0]),
                entry(Instance.V3_CHECKSUM_AS_V2, false),
                entry(Instance.DOWN_TIMER_ADVERTS, 3),
                entry(Instance.LOWER_PRIO_NO_ADVERT, false),
                entry(Instance.HIGHER_PRIO_SEND_ADVERT, false),
                entry(Instance.TRACK_INTERFACE, new String[0]),
                entry(Instance.TRACK_SCRIPT, new String[0]),
                entry(Instance.TRACK_FILE, new String[0]),
                entry(Instance.TRACK_PROCESS, new String[0]),
                entry(Instance.SMTP_ALERT, false),
                entry(Instance.NOTIFY_PRIORITY_CHANGES, false),
                entry("use.vmac", false),
                entry("native.ipv6", false),
                entry("dont.track.primary", false),
                entry("strict.mode", false),
                entry("accept", true));
    }

    @Test
    void priorityDefaultsTo100And255ForStateMaster() {
        assertThat(only(V4)).containsEntry(Instance.PRIORITY, 100).containsEntry(Instance.STATE, "BACKUP");
        assertThat(only(" state MASTER\n" + V4)).containsEntry(Instance.PRIORITY, 255);
        assertThat(only(" state MASTER\n priority 120\n" + V4)).containsEntry(Instance.PRIORITY, 120);
        assertThat(only(" state backup\n" + V4)).containsEntry(Instance.STATE, "BACKUP")
                .containsEntry(Instance.PRIORITY, 100);
    }

    @Test
    void nopreemptIsClearedOnlyForStateMaster() {
        assertThat(only(" nopreempt\n" + V4)).containsEntry(Instance.PREEMPT, false);
        assertThat(only(" state BACKUP\n nopreempt\n" + V4)).containsEntry(Instance.PREEMPT, false);
        assertThat(only(" state MASTER\n priority 150\n nopreempt\n" + V4)).containsEntry(Instance.PREEMPT, true);
        assertThat(only(V4)).containsEntry(Instance.PREEMPT, true);
    }

    @Test
    void preemptDelayBecomesMilliseconds() {
        assertThat(only(" preempt_delay 2.5\n" + V4)).containsEntry(Instance.PREEMPT_DELAY_MS, 2500L);
        assertThat(only(" preempt_delay 300\n" + V4)).containsEntry(Instance.PREEMPT_DELAY_MS, 300_000L);
        assertThat(only(" state MASTER\n priority 200\n preempt_delay 3\n" + V4))
                .containsEntry(Instance.PREEMPT_DELAY_MS, 0L);
    }

    @Test
    void advertIntIsWholeSecondsForV2AndTenMillisecondStepsForV3() {
        assertThat(only(V4)).containsEntry(Instance.ADVERT_INT_CS, 100);
        assertThat(only(" advert_int 3\n" + V4)).containsEntry(Instance.ADVERT_INT_CS, 300);
        assertThat(only(" advert_int 2.4\n" + V4)).containsEntry(Instance.ADVERT_INT_CS, 200);
        assertThat(only(" advert_int 0.5\n" + V4)).containsEntry(Instance.ADVERT_INT_CS, 100);
        assertThat(only(" advert_int 255\n" + V4)).containsEntry(Instance.ADVERT_INT_CS, 25500);
        assertThat(only(" version 3\n advert_int 0.05\n" + V4)).containsEntry(Instance.ADVERT_INT_CS, 5);
        assertThat(only(" version 3\n advert_int 0.01\n" + V4)).containsEntry(Instance.ADVERT_INT_CS, 1);
        assertThat(only(" version 3\n advert_int 2.5\n" + V4)).containsEntry(Instance.ADVERT_INT_CS, 250);
        assertThat(only(" version 3\n advert_int 100\n" + V4)).containsEntry(Instance.ADVERT_INT_CS, 4095);
        assertThat(only(" advert_int 0.1\n" + V6)).containsEntry(Instance.ADVERT_INT_CS, 10);
    }

    @Test
    void versionComesFromTheInstanceThenGlobalThenTwoAndIpv6ForcesThree() {
        assertThat(only(V4)).containsEntry(Instance.VERSION, 2).containsEntry(Instance.FAMILY, "IPV4");
        assertThat(only(" version 3\n" + V4)).containsEntry(Instance.VERSION, 3);
        String withGlobal3 = "global_defs {\n vrrp_version 3\n}\n";
        assertThat(instance(withGlobal3 + "vrrp_instance A {\n interface eth0\n virtual_router_id 1\n" + V4 + "}\n", "A"))
                .containsEntry(Instance.VERSION, 3);
        assertThat(instance(withGlobal3 + "vrrp_instance A {\n interface eth0\n virtual_router_id 1\n version 2\n" + V4
                + "}\n", "A")).containsEntry(Instance.VERSION, 2);
        assertThat(only(" version 2\n" + V6)).containsEntry(Instance.VERSION, 3).containsEntry(Instance.FAMILY, "IPV6");
    }

    @Test
    void familyWithoutVipsFollowsUnicastAddressesOrNativeIpv6() {
        assertThat(only(" unicast_src_ip 2001:db8::11\n unicast_peer {\n 2001:db8::12\n }\n"))
                .containsEntry(Instance.FAMILY, "IPV6").containsEntry(Instance.UNICAST_SRC_IP, "2001:db8::11")
                .containsEntry(Instance.UNICAST_PEER, new String[] {"2001:db8::12"});
        assertThat(only(" native_ipv6\n")).containsEntry(Instance.FAMILY, "IPV6");
        assertThat(only("")).containsEntry(Instance.FAMILY, "IPV4");
    }

    @Test
    void authenticationTypesAndNoPassWithoutAuth() {
        assertThat(only(V4)).containsEntry(Instance.AUTH_TYPE, "NONE").doesNotContainKey(Instance.AUTH_PASS);
        assertThat(only(" authentication {\n auth_type AH\n auth_pass s3cret\n }\n" + V4))
                .containsEntry(Instance.AUTH_TYPE, "AH").containsEntry(Instance.AUTH_PASS, "s3cret");
        // RFC 5798 has no authentication: dropped for v3, as keepalived does.
        assertThat(only(" version 3\n authentication {\n auth_type PASS\n auth_pass x\n }\n" + V4))
                .containsEntry(Instance.AUTH_TYPE, "NONE").doesNotContainKey(Instance.AUTH_PASS);
    }

    @Test
    void listsTracksNotifiesAndFlags() {
        Map<String, Object> p = instance("""
                global_defs {
                  smtp_alert
                  vrrp_strict
                  vrrp_higher_prio_send_advert
                }
                vrrp_script chk {
                  script /bin/true
                }
                vrrp_instance VI {
                  interface eth0
                  virtual_router_id 9
                  unicast_src_ip 192.0.2.11
                  unicast_peer {
                    192.0.2.12 min_ttl 250
                    192.0.2.13
                  }
                  mcast_dst_ip 224.0.0.19
                  virtual_ipaddress {
                    192.0.2.9/24
                  }
                  virtual_ipaddress_excluded {
                    2001:db8::9/64
                  }
                  virtual_routes {
                    192.0.2.128/25 via 192.0.2.1 dev eth0
                  }
                  track_interface {
                    eth1 weight -20
                  }
                  track_script {
                    chk weight 10 reverse
                  }
                  track_file {
                    /run/flag
                  }
                  notify_master "/etc/vigil/up.sh VI" root wheel
                  notify /etc/vigil/all.sh
                  garp_master_delay 2
                  garp_master_refresh 60
                  use_vmac vrrp.9
                  v3_checksum_as_v2
                  down_timer_adverts 5
                  lower_prio_no_advert
                  unicast_ttl 10
                  check_unicast_src
                }
                """, "VI");
        assertThat(p).contains(
                entry(Instance.UNICAST_PEER, new String[] {"192.0.2.12", "192.0.2.13"}),
                entry(Instance.MCAST_DST_IP, "224.0.0.19"),
                entry(Instance.VIRTUAL_IPADDRESS_EXCLUDED, new String[] {"2001:db8::9/64"}),
                entry(Instance.VIRTUAL_ROUTES, new String[] {"192.0.2.128/25 via 192.0.2.1 dev eth0"}),
                entry(Instance.TRACK_INTERFACE, new String[] {"eth1 weight -20"}),
                entry(Instance.TRACK_SCRIPT, new String[] {"chk weight 10 reverse"}),
                entry(Instance.TRACK_FILE, new String[] {"/run/flag"}),
                entry(Instance.NOTIFY_MASTER, "/etc/vigil/up.sh VI"),
                entry("notify.master.user", "root"),
                entry("notify.master.group", "wheel"),
                entry(Instance.NOTIFY, "/etc/vigil/all.sh"),
                entry(Instance.SMTP_ALERT, true),
                entry("garp.master.delay.ms", 2_000L),
                entry("garp.master.refresh.ms", 60_000L),
                entry("use.vmac", true),
                entry("use.vmac.name", "vrrp.9"),
                entry(Instance.V3_CHECKSUM_AS_V2, true),
                entry(Instance.DOWN_TIMER_ADVERTS, 5),
                entry(Instance.LOWER_PRIO_NO_ADVERT, true),
                entry(Instance.HIGHER_PRIO_SEND_ADVERT, true),
                entry("strict.mode", true),
                entry("accept", false),
                entry("unicast.ttl", "10"),
                entry("check.unicast.src", true));
        assertThat(p).doesNotContainKeys(Instance.NOTIFY_BACKUP, Instance.NOTIFY_FAULT, Instance.NOTIFY_STOP);
    }

    @Test
    void notifyUsersFifosAndPriorityChangesAreTypedSoNoComponentReadsKeepalivedsWords() {
        String global = """
                global_defs {
                  script_user nobody :
                  notify_fifo /run/vigil.fifo nobody nogroup
                  vrrp_notify_fifo_script "/usr/local/bin/reader -v" daemon :adm
                  vrrp_notify_fifo /run/vrrp.fifo
                  vrrp_notify_priority_changes
                  smtp_server 192.0.2.25
                }
                """;
        List<ConfigurationRecord> records = convert(global + "vrrp_instance A {\n interface eth0\n virtual_router_id 1\n"
                + " notify_backup /bin/b.sh daemon\n notify_fault /bin/f.sh daemon :adm\n notify_deleted\n" + V4 + "}\n"
                + "vrrp_instance B {\n interface eth0\n virtual_router_id 2\n notify_priority_changes off\n"
                + " notify_deleted /bin/d.sh\n" + V4 + "}\n");
        Map<String, Object> g = records.get(0).properties();
        assertThat(g).contains(entry(Global.SCRIPT_USER, "nobody"), entry(Global.SCRIPT_SUPPLEMENTARY_GROUPS, true),
                entry(Global.NOTIFY_FIFO, "/run/vigil.fifo"), entry(Global.VRRP_NOTIFY_FIFO, "/run/vrrp.fifo"),
                entry("notify.fifo.owner.user", "nobody"), entry("notify.fifo.owner.group", "nogroup"),
                entry(Global.VRRP_NOTIFY_FIFO_SCRIPT, "/usr/local/bin/reader -v"),
                entry("vrrp.notify.fifo.script.user", "daemon"), entry("vrrp.notify.fifo.script.group", "adm"),
                entry("vrrp.notify.fifo.script.supplementary.groups", true),
                entry(Global.SMTP_SERVER, "192.0.2.25"), entry(Global.SMTP_PORT, 25))
                .doesNotContainKeys(Global.SCRIPT_GROUP, "notify.fifo.script.user", "vrrp.notify.fifo.owner.user",
                        "vrrp.notify.fifo.owner.group");
        Map<String, Object> a = records.stream().filter(r -> "A".equals(r.properties().get(ConfigurationPids.NAME)))
                .findFirst().orElseThrow().properties();
        assertThat(a).contains(entry(Instance.NOTIFY_BACKUP, "/bin/b.sh"), entry("notify.backup.user", "daemon"),
                entry("notify.fault.user", "daemon"), entry("notify.fault.group", "adm"),
                entry("notify.fault.supplementary.groups", true), entry(Instance.NOTIFY_DELETED, ""),
                entry(Instance.NOTIFY_DELETED_ENABLED, true), entry(Instance.NOTIFY_PRIORITY_CHANGES, true))
                .doesNotContainKeys("notify.backup.group", "notify.backup.supplementary.groups");
        Map<String, Object> b = records.stream().filter(r -> "B".equals(r.properties().get(ConfigurationPids.NAME)))
                .findFirst().orElseThrow().properties();
        assertThat(b).contains(entry(Instance.NOTIFY_DELETED, "/bin/d.sh"), entry(Instance.NOTIFY_DELETED_ENABLED, true),
                entry(Instance.NOTIFY_PRIORITY_CHANGES, false));
    }

    @Test
    void instanceSmtpAlertOverridesGlobal() {
        String global = "global_defs {\n smtp_alert\n smtp_alert_vrrp off\n}\n";
        assertThat(instance(global + "vrrp_instance A {\n interface eth0\n virtual_router_id 1\n" + V4 + "}\n", "A"))
                .containsEntry(Instance.SMTP_ALERT, false);
        assertThat(instance(global + "vrrp_instance A {\n interface eth0\n virtual_router_id 1\n smtp_alert\n" + V4
                + "}\n", "A")).containsEntry(Instance.SMTP_ALERT, true);
    }

    @Test
    void globalScriptAndSyncGroupConfigurations() {
        List<ConfigurationRecord> records = convert("""
                global_defs {
                  router_id r1
                  notification_email {
                    ops@example.net
                  }
                  notification_email_from vigil@example.net
                  smtp_server 192.0.2.25 2525
                  smtp_helo_name r1.example.net
                  enable_script_security
                  script_user vigil_script vigil
                  vrrp_garp_master_delay 10
                  vrrp_strict
                }
                vrrp_script chk_web {
                  script "/usr/bin/curl -sf http://127.0.0.1/"
                  interval 2
                  weight -60
                  fall 2
                  rise 3
                  user www-data
                  init_fail
                }
                vrrp_sync_group G1 {
                  group {
                    A
                    B
                  }
                  notify_fault /etc/vigil/g.sh
                  track_script {
                    chk_web
                  }
                }
                vrrp_instance A {
                  interface eth0
                  virtual_router_id 1
                  virtual_ipaddress {
                    192.0.2.1
                  }
                }
                vrrp_instance B {
                  interface eth1
                  virtual_router_id 1
                  virtual_ipaddress {
                    192.0.2.2
                  }
                }
                """);
        assertThat(records).extracting(ConfigurationRecord::pid, ConfigurationRecord::factory, ConfigurationRecord::name)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(ConfigurationPids.GLOBAL, false, null),
                        org.assertj.core.groups.Tuple.tuple(ConfigurationPids.SCRIPT, true, "chk_web"),
                        org.assertj.core.groups.Tuple.tuple(ConfigurationPids.SYNC_GROUP, true, "G1"),
                        // an instance's configuration is named by its identity, not by its name
                        org.assertj.core.groups.Tuple.tuple(ConfigurationPids.INSTANCE, true, "vrid1.ipv4.eth0"),
                        org.assertj.core.groups.Tuple.tuple(ConfigurationPids.INSTANCE, true, "vrid1.ipv4.eth1"));
        assertThat(records).allSatisfy(r -> assertThat(r.properties())
                .containsEntry(ConfigurationPids.SOURCE, "keepalived.conf")
                .hasEntrySatisfying(ConfigurationPids.ORIGIN, o -> assertThat((String) o).startsWith(file + ":")));

        assertThat(records.get(0).properties()).contains(
                entry(ConfigurationPids.ORIGIN, file + ":1"),
                entry(Global.ROUTER_ID, "r1"),
                entry(Global.NOTIFICATION_EMAIL, new String[] {"ops@example.net"}),
                entry(Global.NOTIFICATION_EMAIL_FROM, "vigil@example.net"),
                entry(Global.SMTP_SERVER, "192.0.2.25"),
                entry(Global.SMTP_PORT, 2525),
                entry(Global.SMTP_CONNECT_TIMEOUT_MS, 30_000L),
                entry(Global.SMTP_HELO_NAME, "r1.example.net"),
                entry(Global.SMTP_ALERT, false),
                entry(Global.ENABLE_SCRIPT_SECURITY, true),
                entry(Global.SCRIPT_USER, "vigil_script"),
                entry(Global.SCRIPT_GROUP, "vigil"),
                entry("vrrp.garp.master.delay", "10"),
                entry("vrrp.strict", true));

        assertThat(records.get(1).properties()).contains(
                entry(ConfigurationPids.ORIGIN, file + ":14"),
                entry(ConfigurationPids.NAME, "chk_web"),
                entry(Script.SCRIPT, "/usr/bin/curl -sf http://127.0.0.1/"),
                entry(Script.INTERVAL_MS, 2000L),
                entry(Script.TIMEOUT_MS, 2000L),
                entry(Script.WEIGHT, -60),
                entry(Script.FALL, 2),
                entry(Script.RISE, 3),
                entry(Script.USER, "www-data"),
                entry(Script.INIT_FAIL, true));

        assertThat(records.get(2).properties()).contains(
                entry(SyncGroup.GROUP, new String[] {"A", "B"}),
                entry(Instance.NOTIFY_FAULT, "/etc/vigil/g.sh"),
                entry(Instance.TRACK_SCRIPT, new String[] {"chk_web"}),
                entry(Instance.SMTP_ALERT, false));
        // vrrp_strict in global_defs: no accept mode unless asked for.
        assertThat(records.get(3).properties()).contains(entry("strict.mode", true), entry("accept", false));
    }

    @Test
    void scriptDefaults() {
        Map<String, Object> p = convert("vrrp_script s {\n script /bin/true\n}\n").get(0).properties();
        assertThat(p).contains(entry(Script.INTERVAL_MS, 1000L), entry(Script.TIMEOUT_MS, 1000L),
                entry(Script.WEIGHT, 0), entry(Script.RISE, 1), entry(Script.FALL, 1), entry(Script.INIT_FAIL, false));
        assertThat(p).doesNotContainKey(Script.USER);
        assertThat(convert("vrrp_script s {\n script /bin/true\n interval 0.5\n timeout 3\n}\n").get(0).properties())
                .contains(entry(Script.INTERVAL_MS, 500L), entry(Script.TIMEOUT_MS, 3000L));
    }

    @Test
    void withoutGlobalDefsThereIsNoGlobalConfiguration() {
        assertThat(convert("vrrp_instance A {\n interface eth0\n virtual_router_id 1\n" + V4 + "}\n"))
                .extracting(ConfigurationRecord::pid).containsExactly(ConfigurationPids.INSTANCE);
    }

    @Test
    void conversionIsPureAndRepeatable() {
        String text = "global_defs {\n router_id r\n}\nvrrp_instance A {\n interface eth0\n virtual_router_id 1\n" + V4
                + "}\n";
        assertThat(convert(text)).isEqualTo(convert(text));
    }

    @Test
    void keyReplacesUnderscoresWithDots() {
        assertThat(Configurations.key("virtual_router_id")).isEqualTo(Instance.VIRTUAL_ROUTER_ID);
        assertThat(Configurations.key("mcast_dst_ip")).isEqualTo(Instance.MCAST_DST_IP);
    }

    @Test
    void toStringHidesThePassword() {
        ConfigurationRecord r = new ConfigurationRecord(ConfigurationPids.INSTANCE, true, "A",
                Map.of(Instance.AUTH_PASS, "secret", Instance.PRIORITY, 100));
        assertThat(r.toString()).doesNotContain("secret").contains("priority=100");
    }

    @Test
    void anInstancesConfigurationIsNamedByKeepalivedsIdentitySoARenameIsAnUpdate() {
        String body = " interface eth0\n virtual_router_id 7\n virtual_ipaddress {\n  2001:db8::7\n }\n}\n";
        List<ConfigurationRecord> before = convert("vrrp_instance OLD {\n" + body);
        List<ConfigurationRecord> renamed = convert("vrrp_instance NEW {\n" + body);
        assertThat(before).extracting(ConfigurationRecord::name).containsExactly("vrid7.ipv6.eth0");
        assertThat(renamed).extracting(ConfigurationRecord::name).containsExactly("vrid7.ipv6.eth0");
        assertThat(renamed.get(0).properties()).containsEntry(ConfigurationPids.NAME, "NEW");
        List<ConfigurationRecord> unicast = convert("vrrp_instance U {\n interface eth0\n virtual_router_id 7\n"
                + " unicast_src_ip 192.0.2.1\n unicast_peer {\n  192.0.2.2\n }\n virtual_ipaddress {\n  192.0.2.7\n }\n}\n");
        assertThat(unicast).extracting(ConfigurationRecord::name).containsExactly("vrid7.ipv4.eth0.from.192.0.2.1");
        // one VRID twice, unicast to disjoint peers (keepalived allows it): the second is told apart by name
        String peer = " interface eth0\n virtual_router_id 8\n unicast_peer {\n  %s\n }\n virtual_ipaddress {\n  %s\n }\n}\n";
        List<ConfigurationRecord> twice = convert("vrrp_instance P {\n" + peer.formatted("192.0.2.2", "192.0.2.8")
                + "vrrp_instance Q {\n" + peer.formatted("192.0.2.3", "192.0.2.9"));
        assertThat(twice).extracting(ConfigurationRecord::name).containsExactly("vrid8.ipv4.eth0", "vrid8.ipv4.eth0.name.Q");
    }

    private Map<String, Object> record(List<ConfigurationRecord> records, String pid) {
        return records.stream().filter(c -> c.pid().equals(pid)).findFirst().orElseThrow().properties();
    }

    @Test
    void aScriptsUserAndGroupAreTwoTypedAttributesAndAColonAsksForTheSupplementaryGroups() {
        assertThat(convert("vrrp_script s {\n script /bin/true\n user www-data web\n}\n").get(0).properties())
                .contains(entry(Script.USER, "www-data"), entry(Script.GROUP, "web"))
                .doesNotContainKey(Script.SUPPLEMENTARY_GROUPS);
        assertThat(convert("vrrp_script s {\n script /bin/true\n user www-data :web\n}\n").get(0).properties())
                .contains(entry(Script.USER, "www-data"), entry(Script.GROUP, "web"),
                        entry(Script.SUPPLEMENTARY_GROUPS, true));
        assertThat(convert("vrrp_script s {\n script /bin/true\n user www-data :\n}\n").get(0).properties())
                .contains(entry(Script.USER, "www-data"), entry(Script.SUPPLEMENTARY_GROUPS, true))
                .doesNotContainKey(Script.GROUP);
        assertThat(convert("vrrp_script s {\n script /bin/true\n weight -5 reverse\n}\n").get(0).properties())
                .contains(entry(Script.WEIGHT, -5), entry(Script.WEIGHT_REVERSE, true));
    }

    @Test
    void aSyncGroupsTrackEntriesAreInTheCoresFormAndGlobalTrackingIsTheTrackingWeight() {
        List<ConfigurationRecord> records = convert("""
                vrrp_sync_group G1 {
                  group {
                    A
                  }
                  global_tracking
                  track_interface {
                    eth1   weight  -20   REVERSE
                  }
                  track_script {
                    chk noreverse
                  }
                }
                """);
        Map<String, Object> g = record(records, ConfigurationPids.SYNC_GROUP);
        assertThat(g).contains(entry(SyncGroup.TRACKING_WEIGHT, true),
                entry(Instance.TRACK_INTERFACE, new String[] {"eth1 weight -20 reverse"}),
                entry(Instance.TRACK_SCRIPT, new String[] {"chk noreverse"})).doesNotContainKey("global.tracking");
        assertThat(record(convert("vrrp_sync_group G1 {\n group {\n A\n }\n sync_group_tracking_weight\n}\n"),
                ConfigurationPids.SYNC_GROUP)).containsEntry(SyncGroup.TRACKING_WEIGHT, true);
    }

    @Test
    void aTrackEntryWithAWordNoTrackerHasIsAnErrorAtItsLine() {
        Path f = write(dir, "keepalived.conf", "vrrp_instance VI {\n interface eth0\n virtual_router_id 1\n"
                + " track_interface {\n  eth1 wieght 10\n  eth2\n }\n}\n");
        ParseResult r = KeepalivedConfig.parse(f, "x");
        assertThat(ConfFiles.lines(r.errors())).containsExactly(f + ":5: (VI) track_interface: track entry "
                + "'eth1 wieght 10': unknown word wieght - ignoring");
    }

    @Test
    void theElectionThreadsSchedulingKnobsAreTypedAndCheckedAtTheirLine() {
        Map<String, Object> g = record(convert("global_defs {\n vrrp_rt_priority 5\n vrrp_priority -10\n"
                + " vrrp_no_swap\n vrrp_rlimit_rttime 20000\n}\n"), ConfigurationPids.GLOBAL);
        assertThat(g).contains(entry(Global.VRRP_RT_PRIORITY, 5), entry(Global.VRRP_PRIORITY, -10),
                entry(Global.VRRP_NO_SWAP, true), entry(Global.VRRP_RLIMIT_RTTIME, 20000));
        Path f = write(dir, "keepalived.conf", "global_defs {\n vrrp_rt_priority 150\n vrrp_priority x\n}\n");
        ParseResult r = KeepalivedConfig.parse(f, "x");
        assertThat(ConfFiles.lines(r.errors())).containsExactly(
                f + ":2: vrrp_rt_priority '150' outside range [0, 99]", f + ":3: invalid number 'x' for vrrp_priority");
        assertThat(Configurations.toConfigurations(r.model()).get(0).properties())
                .doesNotContainKeys(Global.VRRP_RT_PRIORITY, Global.VRRP_PRIORITY);
    }
}
