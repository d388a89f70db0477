package org.vigil.lab;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The master's link goes down (carrier loss at the switch, or its own lan0): FAULT, the peer takes over; up: back. */
class LinkFaultLabIT extends LabTest {
    private static final Vrrp V3 = Vrrp.v3("0.1");

    @ParameterizedTest(name = "{0} down")
    @ValueSource(strings = { "switch port", "lan0" })
    void linkDownOnTheMasterMeansFaultAndThePeerTakesOverLinkUpRecovers(String where) {
        Daemon r2 = vigil("r2", V3.config("r2", 100));
        Daemon r1 = vigil("r1", V3.config("r1", 150));
        VigilPairLabIT.awaitStates(r1, "MASTER", r2, "BACKUP");

        int m1 = r1.mark();
        int m2 = r2.mark();
        link(where, false);
        r1.awaitLog("Netlink reports lan0 down", m1, SHORT);
        r1.awaitLog("(VI_1) Entering FAULT STATE", m1, SHORT);
        r2.awaitLog("(VI_1) Entering MASTER STATE", m2, SHORT);
        assertThat(States.last(r1)).isEqualTo("FAULT");

        m1 = r1.mark();
        m2 = r2.mark();
        link(where, true);
        r1.awaitLog("Netlink reports lan0 up", m1, SHORT);
        r1.awaitLog("(VI_1) Entering BACKUP STATE", m1, SHORT);
        // preemption: r1 (150) hears r2 (100), lets its timer run out and takes the master role back
        r1.awaitLog("(VI_1) Entering MASTER STATE", m1, SHORT);
        r2.awaitLog("(VI_1) Entering BACKUP STATE", m2, SHORT);
    }

    private void link(String where, boolean up) {
        if (where.equals("lan0")) {
            lab.lan0("r1", up);
        } else {
            lab.switchPort("r1", up);
        }
    }
}
