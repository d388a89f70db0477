package org.vigil.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

/** Two Vigils on the lab segment (VRRPv3 at 0.1 s): election, crash, graceful stop, preemption, GARP. */
class VigilPairLabIT extends LabTest {
    private static final Vrrp V3 = Vrrp.v3("0.1");

    /** r1 (150) and r2 (100) both started, r1 master and r2 backup once both are up. */
    private Daemon[] electedPair(Vrrp v) {
        Daemon r2 = vigil("r2", v.config("r2", 100));
        Daemon r1 = vigil("r1", v.config("r1", 150));
        awaitStates(r1, "MASTER", r2, "BACKUP");
        return new Daemon[] { r1, r2 };
    }

    static void awaitStates(Daemon a, String sa, Daemon b, String sb) {
        try {
            await(a.label + " " + sa + ", " + b.label + " " + sb).atMost(START).pollInterval(Duration.ofMillis(100))
                    .until(() -> States.last(a).equals(sa) && States.last(b).equals(sb));
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError(e.getMessage() + "\n--- " + a.label + ":\n" + a.logText() + "\n--- " + b.label + ":\n"
                    + b.logText(), e);
        }
    }

    @Test
    void higherPriorityWinsTheBackupTakesOverAfterACrashAndTheMasterPreemptsBack() {
        Daemon[] pair = electedPair(V3);
        Daemon r1 = pair[0];
        Daemon r2 = pair[1];
        assertThat(r1.logText()).doesNotContain("Entering FAULT STATE");

        int mark = r2.mark();
        r1.crash();
        r2.awaitLog("(VI_1) Receive advertisement timeout", mark, SHORT);
        r2.awaitLog("(VI_1) Entering MASTER STATE", mark, SHORT);

        mark = r2.mark();
        Daemon r1again = vigil("r1", V3.config("r1", 150));
        r2.awaitLog("(VI_1) Master received advert from 192.0.2.11 with higher priority 150, ours 100", mark, START);
        r2.awaitLog("(VI_1) Entering BACKUP STATE", mark, SHORT);
        r1again.awaitLog("(VI_1) Entering MASTER STATE", SHORT);
    }

    @Test
    void gracefulStopSendsPriorityZeroAndTheBackupTakesOverAtOnce() {
        Capture cap = capture();
        Daemon[] pair = electedPair(V3);
        Daemon r1 = pair[0];
        Daemon r2 = pair[1];

        int mark = r2.mark();
        r1.term();
        assertThat(r1.logText()).contains("(VI_1) sent 0 priority");
        r2.awaitLog("(VI_1) Backup received priority 0 advertisement", mark, SHORT);
        r2.awaitLog("(VI_1) Entering MASTER STATE", mark, SHORT);
        await("r2's adverts on the wire").atMost(SHORT).pollInterval(Duration.ofMillis(200))
                .until(() -> !cap.fields("vrrp && ip.src == 192.0.2.12 && vrrp.prio == 100", "frame.number").isEmpty());
        cap.close();

        List<String[]> zero = cap.fields("vrrp && ip.src == 192.0.2.11 && vrrp.prio == 0", "frame.number");
        assertThat(zero).as("r1's priority-0 advert on the wire").isNotEmpty();
        // After r1's priority-0 advert, the next master's advert is the only VRRP traffic: r2 at 100.
        List<String[]> after = cap.fields("vrrp && frame.number > " + zero.get(0)[0], "ip.src", "vrrp.prio");
        assertThat(after).isNotEmpty().allSatisfy(f -> assertThat(f).containsExactly("192.0.2.12", "100"));
    }

    @Test
    void theClientsNeighbourEntryForTheVipFollowsTheMaster() {
        Daemon[] pair = electedPair(V3);
        String mac1 = lab.mac("r1");
        String mac2 = lab.mac("r2");
        awaitVipOn("r1");
        Sh.ok("ip", "netns", "exec", lab.ns("c1"), "ping", "-c", "1", "-W", "2", Lab.VIP4);
        assertThat(lab.neighbour("c1", Lab.VIP4)).isEqualTo(mac1);

        pair[0].crash();
        pair[1].awaitLog("(VI_1) Entering MASTER STATE", SHORT);
        await("c1's neighbour entry for the VIP follows r2 (its GARP)").atMost(SHORT)
                .until(() -> lab.neighbour("c1", Lab.VIP4).equals(mac2));

        int mark = pair[1].mark();
        Daemon r1again = vigil("r1", V3.config("r1", 150));
        r1again.awaitLog("(VI_1) Entering MASTER STATE", START);
        pair[1].awaitLog("(VI_1) Entering BACKUP STATE", mark, SHORT);
        await("c1's neighbour entry for the VIP is back on r1").atMost(SHORT)
                .until(() -> lab.neighbour("c1", Lab.VIP4).equals(mac1));
        awaitVipOn("r1");
    }

    void awaitVipOn(String router) {
        await("the VIP on " + router + " only").atMost(SHORT).pollInterval(Duration.ofMillis(100))
                .until(() -> lab.holders(Lab.VIP4).equals(List.of(router)));
    }
}
