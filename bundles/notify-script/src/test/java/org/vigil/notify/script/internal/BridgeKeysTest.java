package org.vigil.notify.script.internal;

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
import org.vigil.notify.script.internal.NotifyScripts.Event;
import org.vigil.script.RunAs;

/** What the keepalived.conf bridge writes is what the script notifier reads. */
class BridgeKeysTest {

    @TempDir
    Path dir;

    @Test
    void notifyKeywordsOfInstancesGroupsAndTheFifo() throws IOException {
        Path file = Files.writeString(dir.resolve("keepalived.conf"), """
                global_defs {
                    notify_fifo /run/keepalived.fifo nobody nogroup
                    script_user nobody nogroup
                }
                vrrp_sync_group VG_1 {
                    group {
                        VI_1
                    }
                    notify_master /etc/keepalived/group-master.sh
                    notify "/etc/keepalived/group.sh x"
                }
                vrrp_instance VI_1 {
                    interface eth0
                    virtual_router_id 51
                    notify_master "/etc/keepalived/master.sh 'a b'" root :adm
                    notify_backup /etc/keepalived/backup.sh
                    notify_fault /etc/keepalived/fault.sh
                    notify_stop /etc/keepalived/stop.sh
                    notify_deleted /etc/keepalived/deleted.sh
                    notify /etc/keepalived/notify.sh
                }
                """);
        ParseResult r = KeepalivedConfig.parse(file, "x");
        assertThat(r.errors()).isEmpty();
        List<ConfigurationRecord> records = Configurations.toConfigurations(r.model());

        NotifyScripts vi = Typed.instance(props(records, ConfigurationPids.INSTANCE));
        assertThat(vi.name()).isEqualTo("VI_1");
        assertThat(vi.specific()).containsOnlyKeys(Event.values());
        assertThat(vi.specific().get(Event.MASTER).command().words())
                .containsExactly("/etc/keepalived/master.sh", "a b");
        assertThat(vi.specific().get(Event.MASTER).user()).isEqualTo(new RunAs("root", "adm", true));
        assertThat(vi.specific().get(Event.BACKUP).user()).as("script_user applies").isNull();
        assertThat(vi.notifyDeleted()).isTrue();
        assertThat(vi.specific().get(Event.DELETED).command().words()).containsExactly("/etc/keepalived/deleted.sh");
        assertThat(vi.generic().command().words()).containsExactly("/etc/keepalived/notify.sh");

        NotifyScripts vg = Typed.group(props(records, ConfigurationPids.SYNC_GROUP));
        assertThat(vg.specific()).containsOnlyKeys(Event.MASTER);
        assertThat(vg.generic().command().words()).containsExactly("/etc/keepalived/group.sh", "x");

        Map<String, Object> global = props(records, ConfigurationPids.GLOBAL);
        assertThat(global).containsEntry("notify.fifo", "/run/keepalived.fifo")
                .containsEntry(ConfigurationPids.Global.SCRIPT_USER, "nobody")
                .containsEntry(ConfigurationPids.Global.SCRIPT_GROUP, "nogroup");
        ScriptNotifier.Global typed = Typed.typed(ScriptNotifier.Global.class, global);
        assertThat(typed.notify_fifo()).isEqualTo("/run/keepalived.fifo");
        assertThat(typed.notify_fifo_owner_user() + " " + typed.notify_fifo_owner_group()).isEqualTo("nobody nogroup");
        assertThat(typed.script_user() + " " + typed.script_group()).isEqualTo("nobody nogroup");
    }

    private static Map<String, Object> props(List<ConfigurationRecord> records, String pid) {
        return records.stream().filter(c -> c.pid().equals(pid)).findFirst().orElseThrow().properties();
    }
}
