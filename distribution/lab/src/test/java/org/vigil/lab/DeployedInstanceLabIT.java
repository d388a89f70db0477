package org.vigil.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;

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
 * the checker (here a port that is not an integer).
 */
class DeployedInstanceLabIT extends LabTest {
    private static final String FILE = "org.vigil.vrrp.instance-web.config";
    private static final String BAD_FILE = "org.vigil.vrrp.instance-bad.config";
    private static final String BAD_VS_FILE = "org.vigil.checker.virtualserver-bad.config";

    @Test
    void anInstanceFromDeployRunsBesideKeepalivedAndLeavesWhenItsFileGoes() throws Exception {
        Path dist = distWith("deploy/" + FILE, String.join("\n",
                "name=\"VI_1\"",
                "interface=\"lan0\"",
                "virtual.router.id=I\"61\"",
                "priority=I\"150\"",
                "version=I\"3\"",
                "advert.int.cs=I\"10\"",
                "family=\"IPV4\"",
                "preempt=B\"true\"",
                "preempt.delay.ms=L\"0\"",
                "virtual.ipaddress=[\"203.0.113.61/32 dev lan0\"]", ""));
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
}
