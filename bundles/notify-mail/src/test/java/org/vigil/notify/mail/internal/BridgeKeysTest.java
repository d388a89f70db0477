package org.vigil.notify.mail.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vigil.api.vrrp.ConfigurationPids;
import org.vigil.config.ConfigurationRecord;
import org.vigil.config.Configurations;
import org.vigil.config.KeepalivedConfig;
import org.vigil.config.ParseResult;

/** What the keepalived.conf bridge writes is what the notifier reads. */
class BridgeKeysTest {

    @TempDir
    Path dir;

    private List<ConfigurationRecord> convert(String text) throws IOException {
        Path file = Files.writeString(dir.resolve("keepalived.conf"), text);
        ParseResult r = KeepalivedConfig.parse(file, "x");
        assertThat(r.errors()).isEmpty();
        return Configurations.toConfigurations(r.model());
    }

    private static Map<String, Object> props(List<ConfigurationRecord> records, String pid) {
        return records.stream().filter(c -> c.pid().equals(pid)).findFirst().orElseThrow().properties();
    }

    @Test
    void globalDefsMailSettings() throws IOException {
        List<ConfigurationRecord> records = convert("""
                global_defs {
                    router_id LVS_DEVEL
                    notification_email {
                        acassen@firewall.loc
                        "Ops Team <ops@firewall.loc>"
                    }
                    notification_email_from Alexandre.Cassen@firewall.loc
                    smtp_server 192.168.200.1 2525
                    smtp_connect_timeout 7
                    smtp_helo_name lb1.example.com
                    smtp_alert_vrrp
                    no_email_faults
                }
                vrrp_instance VI_1 {
                    interface eth0
                    virtual_router_id 51
                }
                vrrp_instance VI_2 {
                    interface eth0
                    virtual_router_id 52
                    smtp_alert off
                }
                """);
        MailSettings s = Typed.settings(props(records, ConfigurationPids.GLOBAL));
        assertThat(s.enabled()).isTrue();
        assertThat(s.routerId()).isEqualTo("LVS_DEVEL");
        assertThat(s.to()).hasSize(2).first().isEqualTo("acassen@firewall.loc");
        assertThat(MailFormat.envelopeAddress(s.to().get(1))).isEqualTo("ops@firewall.loc");
        assertThat(s.from()).isEqualTo("Alexandre.Cassen@firewall.loc");
        assertThat(s.host()).isEqualTo("192.168.200.1");
        assertThat(s.port()).isEqualTo(2525);
        assertThat(s.connectTimeoutMs()).isEqualTo(7000);
        assertThat(s.heloName()).isEqualTo("lb1.example.com");
        assertThat(s.noEmailFaults()).isTrue();
        assertThat(s.defaultAlert()).isTrue();
        List<Map<String, Object>> instances = records.stream()
                .filter(c -> c.pid().equals(ConfigurationPids.INSTANCE)).map(ConfigurationRecord::properties).toList();
        assertThat(instances).extracting(p -> p.get(ConfigurationPids.NAME) + "=" + p.get("smtp.alert"))
                .containsExactlyInAnyOrder("VI_1=true", "VI_2=false");
    }
}
