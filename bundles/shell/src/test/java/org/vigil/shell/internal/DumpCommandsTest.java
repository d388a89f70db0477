package org.vigil.shell.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vigil.api.vrrp.InstanceCounters;
import org.vigil.api.vrrp.InstanceState;
import org.vigil.api.vrrp.InstanceStatus;
import org.vigil.api.vrrp.IpFamily;
import org.vigil.api.vrrp.TrackStatus;
import org.vigil.api.vrrp.VrrpService;

/** keepalived's dump files, the JSON read back by a real JSON parser (Python's). */
class DumpCommandsTest {
    @TempDir
    Path dir;

    static VrrpService core(List<InstanceStatus> instances) {
        return core(instances, List.of(), () -> { });
    }

    /** With what every instance tracks, and what clearing the counters does. */
    static VrrpService core(List<InstanceStatus> instances, List<TrackStatus> tracking, Runnable clear) {
        return new VrrpService() {
            @Override
            public List<TrackStatus> tracking(String instance) {
                return tracking;
            }

            @Override
            public void clearCounters() {
                clear.run();
            }

            @Override
            public List<InstanceStatus> instances() {
                return instances;
            }

            @Override
            public Optional<InstanceStatus> instance(String name) {
                return instances.stream().filter(i -> i.name().equals(name)).findFirst();
            }

            @Override
            public Optional<String> activeDriver() {
                return Optional.of("linux");
            }
        };
    }

    static InstanceStatus withDrops() {
        InstanceStatus b = StatusFormatterTest.backup();
        return new InstanceStatus("VI \"6\"", b.state(), b.vrid(), IpFamily.IPV6, 3, b.interfaceName(), b.basePriority(),
                b.effectivePriority(), b.masterAddress(), 100, 50, b.skewMicros(), b.masterDownMicros(), false, 0,
                b.virtualAddresses(), b.heldAddresses(), new InstanceCounters(4_000, 2, 1, 1, 1, 0,
                        Map.of("AUTH_FAILED", 2L, "BAD_TTL", 5L, "BAD_LENGTH", 1L, "TRUNCATED", 2L), 3, 7, Map.of()),
                b.enteredState());
    }

    @Test
    void theJsonDumpHasKeepalivedsFieldsAndParses() throws Exception {
        DumpCommands dump = new DumpCommands(core(List.of(StatusFormatterTest.master(), withDrops())), dir);
        String printed = dump.json();
        Path file = dir.resolve("keepalived.json");
        assertThat(printed).endsWith("(written to " + file + ")");
        Process p = new ProcessBuilder("python3", "-c", "import json,sys; d=json.load(open(sys.argv[1]));"
                + " print(len(d), d[0]['data']['iname'], d[0]['data']['state'], d[0]['data']['adver_int'],"
                + " d[0]['stats']['advert_sent'], d[1]['data']['iname'], d[1]['data']['state'], d[1]['data']['nopreempt'],"
                + " d[1]['stats']['auth_failure'], d[1]['stats']['ip_ttl_err'], d[1]['stats']['packet_len_err'],"
                + " d[1]['stats']['addr_list_err'], d[1]['data']['vips'][0])", file.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(p.waitFor()).as(out).isZero();
        assertThat(out).isEqualTo("2 VI_1 2 1 900 VI \"6\" 1 1 2 5 3 7 2001:db8::249/64");
    }

    @Test
    void theJsonDumpListsTrackedInterfacesScriptsAndProcessesAsKeepalivedAndLeavesOutEmptyOnes() throws Exception {
        VrrpService core = core(List.of(StatusFormatterTest.master()), List.of(
                new TrackStatus(TrackStatus.Kind.SCRIPT, "chk_web", "good", -60, false, 0, false),
                new TrackStatus(TrackStatus.Kind.INTERFACE, "eth1", "up", 0, false, 0, false),
                new TrackStatus(TrackStatus.Kind.INTERFACE, "eth2", "up", 10, false, 10, false),
                new TrackStatus(TrackStatus.Kind.PROCESS, "haproxy", "2", -40, false, 0, false),
                new TrackStatus(TrackStatus.Kind.FILE, "/run/prio", "0", 1, false, 0, false)), () -> { });
        new DumpCommands(core, dir).json();
        Path file = dir.resolve("keepalived.json");
        Process p = new ProcessBuilder("python3", "-c", "import json,sys; d=json.load(open(sys.argv[1]))[0]['data'];"
                + " print(d['track_ifp'], d['track_script'], d['track_process'], 'track_file' in d)", file.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(p.waitFor()).as(out).isZero();
        assertThat(out).isEqualTo("['eth1', 'eth2'] ['chk_web'] ['haproxy'] False");

        new DumpCommands(core(List.of(StatusFormatterTest.master())), dir).json();
        assertThat(Files.readString(file)).as("keepalived leaves empty tracking arrays out")
                .doesNotContain("track_ifp").doesNotContain("track_script").doesNotContain("track_process");
    }

    @Test
    void theStatsFileCountsAsKeepalivedsAndTheDataDumpShowsEachInstance() throws Exception {
        DumpCommands dump = new DumpCommands(core(List.of(withDrops())), dir);
        dump.stats();
        assertThat(Files.readString(dir.resolve("keepalived.stats"))).contains("VRRP Instance: VI \"6\"\n",
                "    Received: 4000\n", "    Length: 3\n", "    TTL: 5\n", "    Address List: 7\n", "    Failure: 2\n");
        dump.dump();
        assertThat(Files.readString(dir.resolve("keepalived.data"))).startsWith("------< VRRP Topology >------\n")
                .contains("VI \"6\"");
    }

    @Test
    void statsClearWritesTheStatsThenZeroesTheCountersAndTheDataDumpShowsTracking() throws Exception {
        List<String> calls = new java.util.ArrayList<>();
        VrrpService core = core(List.of(withDrops()), List.of(
                new TrackStatus(TrackStatus.Kind.SCRIPT, "chk_web", "bad", -60, false, -60, false),
                new TrackStatus(TrackStatus.Kind.INTERFACE, "eth1", "down", 0, false, 0, true)), () -> calls.add("clear"));
        DumpCommands dump = new DumpCommands(core, dir);
        assertThat(dump.stats("clear")).contains("    Received: 4000\n").endsWith("(counters cleared)\n");
        assertThat(calls).containsExactly("clear");
        assertThat(Files.readString(dir.resolve("keepalived.stats"))).doesNotContain("cleared");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> dump.stats("reset"))
                .isInstanceOf(IllegalArgumentException.class);
        dump.dump();
        assertThat(Files.readString(dir.resolve("keepalived.data"))).contains("Tracking\n",
                "  script chk_web", "bad", "weight -60", "-60\n", "  interface eth1", "FAULT");
    }
}
