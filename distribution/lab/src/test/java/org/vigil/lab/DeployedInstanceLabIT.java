package org.vigil.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;

import org.junit.jupiter.api.Test;

/**
 * An instance managed as a plain OSGi configuration (issue 11, item 2): no vrrp_instance in
 * keepalived.conf, a factory configuration of PID org.vigil.vrrp.instance in deploy/ instead
 * (Felix FileInstall's typed .config format). It runs against Debian's keepalived as any instance
 * from keepalived.conf does, a reload of keepalived.conf leaves it alone, and deleting the file
 * stops it as keepalived stops an instance (priority 0: the peer takes over at once). The file
 * is the instance's typed metatype form (integers as I"..", booleans as B"..", one String per
 * virtual address); a file that does not fit it (here a VRID that is not an integer) gives one
 * log line naming the PID and the attribute, and starts nothing; so does a virtual server's file for
 * the checker (here a port that is not an integer). A sync group and a vrrp_track_process from
 * deploy/ (their own typed forms) move the master to keepalived and back.
 */
class DeployedInstanceLabIT extends LabTest {
    private static final String FILE = "org.vigil.vrrp.instance-web.config";
    private static final String BAD_FILE = "org.vigil.vrrp.instance-bad.config";
    private static final String BAD_VS_FILE = "org.vigil.checker.virtualserver-bad.config";
    /** 15 characters: /proc/PID/comm holds the whole name. */
    private static final String PROCESS = "vigil-dep-sleep";
    private static final Duration MOVE = Duration.ofSeconds(20);

    private static String instanceFile() {
        return String.join("\n",
                "name=\"VI_1\"",
                "interface=\"lan0\"",
                "virtual.router.id=I\"61\"",
                "priority=I\"150\"",
                "version=I\"3\"",
                "advert.int.cs=I\"10\"",
                "virtual.ipaddress=[\"203.0.113.61/32 dev lan0\"]", "");
    }

    @Test
    void anInstanceFromDeployRunsBesideKeepalivedAndLeavesWhenItsFileGoes() throws Exception {
        Path dist = distWith("deploy/" + FILE, instanceFile() + String.join("\n",
                "family=\"IPV4\"",
                "preempt=B\"true\"",
                "preempt.delay.ms=L\"0\"", ""));
        Files.writeString(dist.resolve("deploy").resolve(BAD_FILE), String.join("\n",
                "name=\"VI_BAD\"",
                "interface=\"lan0\"",
                "virtual.router.id=\"sixty-two\"",
                "virtual.ipaddress=[\"203.0.113.62/32\"]", ""));
        // the checker's virtual servers are typed the same way: a port that is no integer is one line too
        Files.writeString(dist.resolve("deploy").resolve(BAD_VS_FILE), String.join("\n",
                "virtual.server=\"203.0.113.63:tcp:80\"",
                "address=\"203.0.113.63\"",
                "port=\"eighty\"", ""));
        Capture cap = capture();
        Daemon vigil = track(new Daemon.Vigil(lab, "r1", dir("vigil-r1"),
                "global_defs {\n    router_id vigil-r1\n}\n", dist));
        vigil.awaitLog("(VI_1) Entering BACKUP STATE (init)", START);
        vigil.awaitLog("attribute virtual.router.id", SHORT);
        assertThat(vigil.linesWith("attribute virtual.router.id", 0)).singleElement().asString()
                .contains("org.vigil.vrrp.instance").contains("instance not started");
        assertThat(vigil.linesWith("VI_BAD", 0)).as("the bad file starts nothing").isEmpty();
        vigil.awaitLog("attribute port", SHORT);
        assertThat(vigil.linesWith("attribute port", 0)).singleElement().asString()
                .contains("org.vigil.checker.virtualserver").contains("virtual server not started");
        assertThat(vigil.linesWith("203.0.113.63", 0)).as("the bad virtual server starts nothing").isEmpty();
        assertThat(vigil.linesWith("ComponentException", 0)).as("one line, no stack trace").isEmpty();
        Daemon ka = keepalived("r2", "global_defs {\n    router_id ka-r2\n}\n" + ReloadLabIT.instance("VI_1", 61, 100,
                "203.0.113.61").replace("advert_int " + ReloadLabIT.ADVERT, "advert_int 0.1"));
        VigilPairLabIT.awaitStates(vigil, "MASTER", ka, "BACKUP");
        await("the VIP on r1").atMost(SHORT).until(() -> Sh.quiet("ip", "-n", lab.ns("r1"), "-4", "addr", "show", "lan0")
                .out().contains("203.0.113.61/32"));
        assertThat(cap.fields("vrrp && ip.src == 192.0.2.11", "vrrp.virt_rtr_id", "vrrp.prio"))
                .isNotEmpty().allSatisfy(f -> assertThat(f).containsExactly("61", "150"));

        // a reload of keepalived.conf only touches keepalived.conf's configurations
        int mark = vigil.mark();
        vigil.hangup();
        vigil.awaitLog("applied - 0 created", mark, SHORT);
        assertThat(vigil.linesWith("Entering", mark)).isEmpty();

        // the file goes: the instance stops as keepalived's does, and keepalived takes over at once
        int kaMark = ka.mark();
        Files.delete(dist.resolve("deploy").resolve(FILE));
        ka.awaitLog("(VI_1) Entering MASTER STATE", kaMark, SHORT);
        cap.close();
        assertThat(cap.fields("vrrp && ip.src == 192.0.2.11 && vrrp.prio == 0", "frame.number"))
                .as("Vigil's priority-0 advert on leaving").isNotEmpty();
        assertThat(Sh.quiet("ip", "-n", lab.ns("r1"), "-4", "addr", "show", "lan0").out()).doesNotContain("203.0.113.61");
    }

    /**
     * keepalived.conf's vrrp_sync_group with sync_group_tracking_weight and track_process, and its
     * vrrp_track_process, written by hand as typed .config files: the group's tracked process
     * (weight -60) takes VI_1 from 150 to 90 while it is not running, below keepalived's 100, and
     * back when it runs. A group file with a weight keepalived refuses is one line naming the PID and
     * the attribute.
     */
    @Test
    void aSyncGroupAndATrackedProcessFromDeployMoveTheMasterAsKeepalivedsWould() throws Exception {
        Path d = dir("deployed-tracking");
        Path program = d.resolve(PROCESS);
        Files.copy(Path.of("/bin/sleep"), program, StandardCopyOption.REPLACE_EXISTING);
        Files.setPosixFilePermissions(program, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path dist = distWith("deploy/" + FILE, instanceFile());
        Path deploy = dist.resolve("deploy");
        Files.writeString(deploy.resolve("org.vigil.vrrp.trackprocess-sleeper.config"), String.join("\n",
                "name=\"sleeper\"",
                "process=[\"" + PROCESS + "\"]",
                "weight=I\"-60\"", ""));
        Files.writeString(deploy.resolve("org.vigil.vrrp.syncgroup-web.config"), String.join("\n",
                "name=\"G_WEB\"",
                "group=[\"VI_1\"]",
                "sync.group.tracking.weight=B\"true\"",
                "track.process=[\"sleeper\"]", ""));
        Files.writeString(deploy.resolve("org.vigil.vrrp.syncgroup-bad.config"), String.join("\n",
                "name=\"G_BAD\"",
                "group=[\"VI_NONE\"]",
                "track.script=[\"chk weight 999\"]", ""));
        Daemon vigil = track(new Daemon.Vigil(lab, "r1", dir("vigil-r1"),
                "global_defs {\n    router_id vigil-r1\n}\n", dist));
        Daemon ka = keepalived("r2", "global_defs {\n    router_id ka-r2\n}\n" + ReloadLabIT.instance("VI_1", 61, 100,
                "203.0.113.61").replace("advert_int " + ReloadLabIT.ADVERT, "advert_int 0.1"));
        vigil.awaitLog("attribute track.script", START);
        assertThat(vigil.linesWith("attribute track.script", 0)).singleElement().asString()
                .contains("org.vigil.vrrp.syncgroup").contains("weight 999 not in -253..253")
                .contains("sync group not formed");
        // the process is not running: 150 - 60 = 90 < 100
        VigilPairLabIT.awaitStates(vigil, "BACKUP", ka, "MASTER");
        // at 150 it would preempt keepalived at its next advert (every 0.1 s)
        await("VI_1 stays BACKUP below keepalived").during(Duration.ofSeconds(2)).atMost(SHORT)
                .until(() -> States.last(vigil).equals("BACKUP"));

        int m1 = vigil.mark();
        int m2 = ka.mark();
        Process running = new ProcessBuilder(program.toString(), "600").start();
        try {
            vigil.awaitLog("(VI_1) Changing effective priority from 90 to 150", m1, SHORT);
            vigil.awaitLog("(VI_1) Entering MASTER STATE", m1, MOVE);
            ka.awaitLog("(VI_1) Entering BACKUP STATE", m2, SHORT);

            m1 = vigil.mark();
            m2 = ka.mark();
            running.destroyForcibly().waitFor();
            vigil.awaitLog("(VI_1) Changing effective priority from 150 to 90", m1, SHORT);
            ka.awaitLog("(VI_1) Entering MASTER STATE", m2, MOVE);
            vigil.awaitLog("(VI_1) Entering BACKUP STATE", m1, SHORT);
        } finally {
            running.destroyForcibly().waitFor();
        }
        assertThat(vigil.linesWith("ComponentException", 0)).as("one line, no stack trace").isEmpty();
    }
}
