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
import org.vigil.api.vrrp.ConfigurationPids.TrackProcess;

/** vrrp_track_process, track_file blocks and track_bfd as keepalived.conf(5) 2.2.7 writes them. */
class TrackBlocksTest {
    @TempDir
    Path dir;

    private static final String INSTANCE_HEAD = "vrrp_instance VI_1 {\n interface eth0\n virtual_router_id 51\n"
            + " priority 150\n virtual_ipaddress {\n  192.0.2.249/24\n }\n";

    private ParseResult parse(String text) {
        return KeepalivedConfig.parse(write(dir, "keepalived.conf", text), null);
    }

    private static Map<String, Object> config(ParseResult r, String pid, String name) {
        return Configurations.toConfigurations(r.model()).stream()
                .filter(c -> c.pid().equals(pid) && (name == null || name.equals(c.properties().get("name"))))
                .findFirst().orElseThrow().properties();
    }

    @Test
    void aTrackProcessBlockBecomesItsOwnConfigurationAndTheInstanceNamesIt() {
        ParseResult r = parse("""
                vrrp_track_process haproxy {
                    process "/usr/sbin/haproxy" -f "/etc/haproxy/haproxy.cfg"
                    param_match partial
                    weight -40 reverse
                    quorum 2
                    quorum_max 4
                    delay 0.5
                    fork_delay 1.25
                    full_command
                }
                """ + INSTANCE_HEAD + """
                 track_process {
                   haproxy weight -20
                   nosuch
                 }
                }
                """);
        String file = dir.resolve("keepalived.conf").toString();
        assertThat(lines(r.diagnostics())).containsExactly(file + ":20: (VI_1) track process nosuch not found, ignoring...");
        Map<String, Object> p = config(r, ConfigurationPids.TRACK_PROCESS, "haproxy");
        assertThat((String[]) p.get(TrackProcess.PROCESS)).containsExactly("/usr/sbin/haproxy", "-f",
                "/etc/haproxy/haproxy.cfg");
        assertThat(p).containsEntry(TrackProcess.PARAM_MATCH, "partial").containsEntry(TrackProcess.WEIGHT, -40)
                .containsEntry(TrackProcess.WEIGHT_REVERSE, true).containsEntry(TrackProcess.QUORUM, 2)
                .containsEntry(TrackProcess.QUORUM_MAX, 4).containsEntry(TrackProcess.FORK_DELAY_MS, 1250L)
                .containsEntry(TrackProcess.TERMINATE_DELAY_MS, 500L).containsEntry(TrackProcess.FULL_COMMAND, true)
                .containsEntry(ConfigurationPids.ORIGIN, file + ":1");
        assertThat((String[]) config(r, ConfigurationPids.INSTANCE, "VI_1").get(Instance.TRACK_PROCESS))
                .containsExactly("haproxy weight -20", "nosuch");
    }

    @Test
    void trackFileBlocksAreResolvedToTheirFileWeightAndInitFile() {
        ParseResult r = parse("""
                track_file prio {
                    file /run/vigil/prio
                    weight 5 reverse
                    init_file 10 overwrite
                }
                vrrp_track_file old_name {
                    file "/run/vigil/old"
                }
                """ + INSTANCE_HEAD + """
                 track_file {
                   prio
                   old_name weight -2
                   prio weight 3 noreverse
                   /run/vigil/by-path weight 1
                   missing
                 }
                }
                """);
        String file = dir.resolve("keepalived.conf").toString();
        assertThat(lines(r.diagnostics())).containsExactly(file + ":21: (VI_1) track file missing not found, ignoring...");
        assertThat((String[]) config(r, ConfigurationPids.INSTANCE, "VI_1").get(Instance.TRACK_FILE)).containsExactly(
                "/run/vigil/prio weight 5 reverse init_file 10 overwrite",
                "/run/vigil/old weight -2",
                "/run/vigil/prio weight 3 init_file 10 overwrite",
                "/run/vigil/by-path weight 1");
    }

    @Test
    void trackBfdIsRefusedWithItsLineAndTheInstanceStillLoads() {
        ParseResult r = parse("""
                bfd_instance peer {
                    neighbor_ip 192.0.2.9
                }
                """ + INSTANCE_HEAD + """
                 track_bfd {
                   peer
                 }
                }
                """);
        String file = dir.resolve("keepalived.conf").toString();
        assertThat(lines(r.diagnostics())).containsExactly(
                file + ":1: 'bfd_instance' is not supported: Vigil has no BFD (RFC 5880) - ignoring",
                file + ":11: (VI_1) track_bfd is not supported: Vigil has no BFD (RFC 5880) - ignoring");
        assertThat(r.errors()).isEmpty();
        assertThat(r.model().instance("VI_1")).isPresent();
        assertThat(config(r, ConfigurationPids.INSTANCE, "VI_1")).doesNotContainKey("track.bfd");
    }

    @Test
    void aTrackProcessWithoutProcessIsRemovedWithKeepalivedsWords() {
        ParseResult r = parse("vrrp_track_process p {\n weight 2\n}\n");
        assertThat(lines(r.diagnostics())).singleElement().asString()
                .endsWith(":1: vrrp_track_process p has no process specified - removing");
        assertThat(r.model().trackers().processes()).isEmpty();
        assertThat(List.of()).isEmpty();
    }
}
