package org.vigil.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * Reload without failover (issue 11's matrix), with Debian's keepalived as the peer that would
 * notice: Vigil on r1 is master of VI_1 (VRID 51) at 150, keepalived on r2 its backup at 100. The
 * wire (tshark on the bridge) and keepalived's log show what each reload did.
 */
class ReloadLabIT extends LabTest {
    static final String ADVERT = "0.1";

    static String instance(String name, int vrid, int priority, String vip) {
        return "vrrp_instance " + name + " {\n    state BACKUP\n    interface lan0\n    virtual_router_id " + vrid
                + "\n    priority " + priority + "\n    version 3\n    advert_int " + ADVERT
                + "\n    virtual_ipaddress {\n        " + vip + "/32 dev lan0\n    }\n}\n";
    }

    static String config(String routerId, String... instances) {
        return "global_defs {\n    router_id " + routerId + "\n}\n" + String.join("", instances);
    }

    /** Vigil's adverts for a VRID in the capture: their priorities in order. */
    private static List<String> priorities(Capture cap, int vrid) {
        return cap.fields("vrrp && ip.src == 192.0.2.11 && vrrp.virt_rtr_id == " + vrid, "vrrp.prio").stream()
                .map(f -> f[0]).toList();
    }

    private Sh.Result ctl(Daemon d, String... command) {
        List<String> cmd = new java.util.ArrayList<>(List.of("ip", "netns", "exec", lab.ns("r1"),
                LabEnv.dist().resolve("bin/vigil").toString(), "ctl", "-p", d.dir.resolve("vigil.pid").toString()));
        cmd.addAll(List.of(command));
        return Sh.run(cmd);
    }

    @Test
    void reloadsChangeWhatChangedAndKeepalivedSeesNoTransition() throws Exception {
        Capture cap = capture();
        String vi1 = instance("VI_1", 51, 150, "203.0.113.51");
        Daemon vigil = vigil("r1", config("vigil-r1", vi1));
        vigil.awaitLog("(VI_1) Entering BACKUP STATE (init)", START);
        Daemon ka = keepalived("r2", config("ka-r2", instance("VI_1", 51, 100, "203.0.113.51"),
                instance("VI_2", 52, 100, "203.0.113.52")));
        await().atMost(START).until(() -> States.last(vigil).equals("MASTER"));
        ka.awaitLog("(VI_2) Entering MASTER STATE", SHORT);
        int kaMark = ka.mark();

        // 1. the same file, SIGHUP: nothing changes, no priority 0, no new GARP, state kept
        int mark = vigil.mark();
        vigil.hangup();
        vigil.awaitLog("applied - 0 created, 0 updated", mark, SHORT);
        awaitAdverts(cap, Vrrp.v3(ADVERT), "r1", 10);
        assertThat(priorities(cap, 51)).doesNotContain("0");
        assertThat(vigil.linesWith("Entering", mark)).isEmpty();

        // 2. priority 150 -> 160 through ctl: the adverts say 160, no transition on either side
        mark = vigil.mark();
        vigil.rewriteConfig(config("vigil-r1", instance("VI_1", 51, 160, "203.0.113.51")));
        Sh.Result r = ctl(vigil, "vigil:reload");
        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("applied");
        await().atMost(SHORT).until(() -> priorities(cap, 51).contains("160"));
        assertThat(priorities(cap, 51)).doesNotContain("0");
        assertThat(vigil.linesWith("Entering", mark)).isEmpty();

        // 3. a bad file: ctl fails with file:line, the running configuration stays (adverts at 160 go on)
        mark = vigil.mark();
        vigil.rewriteConfig(config("vigil-r1", instance("VI_1", 300, 160, "203.0.113.51")));
        r = ctl(vigil, "vigil:reload");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out() + r.err()).contains("keepalived.conf:").contains("not applied");
        int before = priorities(cap, 51).size();
        awaitAdverts(cap, Vrrp.v3(ADVERT), "r1", 10);
        List<String> after = priorities(cap, 51);
        assertThat(after.subList(before, after.size())).containsOnly("160");
        assertThat(States.last(vigil)).isEqualTo("MASTER");

        // 4. an instance added (VI_2 at 200): it starts and takes VRID 52 from keepalived, VI_1 untouched
        mark = vigil.mark();
        vigil.rewriteConfig(config("vigil-r1", instance("VI_1", 51, 160, "203.0.113.51"),
                instance("VI_2", 52, 200, "203.0.113.52")));
        vigil.hangup();
        vigil.awaitLog("(VI_2) Entering MASTER STATE", mark, SHORT);
        assertThat(vigil.linesWith("(VI_1) Entering", mark)).isEmpty();

        // 5. VI_2 removed: it leaves as keepalived's does (priority 0), keepalived takes VRID 52 back at once
        int kaBeforeRemove = ka.mark();
        mark = vigil.mark();
        vigil.rewriteConfig(config("vigil-r1", instance("VI_1", 51, 160, "203.0.113.51")));
        vigil.hangup();
        ka.awaitLog("(VI_2) Entering MASTER STATE", kaBeforeRemove, SHORT);
        await().atMost(SHORT).until(() -> priorities(cap, 52).contains("0"));
        assertThat(vigil.linesWith("(VI_1) Entering", mark)).isEmpty();

        // 6. VI_1 renamed VI_ONE: the same identity (VRID 51, IPv4, lan0), so the same instance goes on
        // under its new name: its configuration is updated, not deleted and created
        mark = vigil.mark();
        vigil.rewriteConfig(config("vigil-r1", instance("VI_ONE", 51, 160, "203.0.113.51")));
        vigil.hangup();
        vigil.awaitLog("applied - 0 created, 1 updated", mark, SHORT);
        assertThat(vigil.linesWith("applied - 0 created, 1 updated", mark)).allMatch(l -> l.endsWith(", 0 deleted"));
        awaitAdverts(cap, Vrrp.v3(ADVERT), "r1", 10);
        assertThat(vigil.linesWith("Entering", mark)).isEmpty();

        // through all of it keepalived never saw VRID 51 change hands
        assertThat(ka.linesWith("(VI_1) Entering", kaMark)).isEmpty();
        assertThat(States.last(vigil)).isEqualTo("MASTER");
        assertThat(priorities(cap, 51)).doesNotContain("0");

        // keepalived's introspection: the JSON dump through ctl, the stats file on SIGUSR2
        r = ctl(vigil, "vigil:json");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("\"iname\":\"VI_ONE\"", "\"state\":2", "\"base_priority\":160")
                .doesNotContain("VI_2").doesNotContain("\"iname\":\"VI_1\"");
        java.nio.file.Path stats = java.nio.file.Path.of("/tmp/keepalived.stats");
        long statsBefore = stats.toFile().lastModified();
        Daemon.signal("-USR2", List.of(vigil.pid()));
        await().atMost(SHORT).until(() -> stats.toFile().lastModified() != statsBefore
                && java.nio.file.Files.readString(stats).contains("VRRP Instance: VI_ONE"));
        java.nio.file.Files.deleteIfExists(stats);
    }
}
