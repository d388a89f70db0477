package org.vigil.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Locale;

import org.junit.jupiter.api.Test;

/**
 * A backup's Master_Down counts from when the master's last advert arrived, not from when Vigil
 * got to run (issue 8 item 4). keepalived 2.2.7 is the master (priority 150, r1), Vigil the
 * backup (priority 100, r2), VRRPv3 IPv4 at 1 s. The whole Vigil process is frozen (SIGSTOP)
 * while the master's last advert arrives and the master dies, and thawed at least half a second
 * later: the kernel has stamped the advert on arrival, so the takeover advert leaves
 * Master_Down_Interval after that advert, on the wire, not after the thaw. A backup that stamped
 * adverts when its threads read them would be late by the whole freeze.
 */
class TakeoverFromArrivalLabIT extends LabTest {
    private static final int BACKUP_PRIORITY = 100;
    /** How long Vigil stays frozen after the master died: the lateness the takeover must not inherit. */
    private static final long FROZEN_AFTER_CRASH_MILLIS = 600;
    /**
     * Over Master_Down, on a 2-core machine shared with other builds: a thaw, a thread wake-up
     * and the send. Far below the freeze a read-time stamp would add.
     */
    private static final double OVER_FLOOR_BOUND_MILLIS = 150;

    @Test
    void aFrozenBackupTakesOverMasterDownAfterTheLastAdvertArrivedNotAfterItThawed() throws Exception {
        Vrrp v = Vrrp.v3("1");
        Daemon master = keepalived("r1", v.config("ka-r1", 150));
        master.awaitLog("(VI_1) Entering MASTER STATE", START);
        Daemon.Vigil backup = vigil("r2", v.config("vigil-r2", BACKUP_PRIORITY));
        backup.awaitLog("(VI_1) Entering BACKUP STATE", START);
        Capture cap = capture();
        awaitAdverts(cap, v, "r1", 2);
        int mark = backup.mark();

        backup.freeze();
        long thawedAt;
        try {
            // at least one advert arrives while Vigil is frozen: stamped by the kernel, read by nobody
            awaitAdverts(cap, v, "r1", 1);
            master.crash();
            Thread.sleep(FROZEN_AFTER_CRASH_MILLIS); // the lateness under test, not a wait for a condition
        } finally {
            thawedAt = System.currentTimeMillis();
            backup.thaw();
        }
        backup.awaitLog("(VI_1) Entering MASTER STATE", mark, START);
        awaitAdverts(cap, v, "r2", 1);
        cap.close();

        List<String[]> r1 = cap.fields("vrrp && ip.src == 192.0.2.11", "frame.number", "frame.time_epoch");
        String[] last = r1.get(r1.size() - 1);
        double lastAdvert = Double.parseDouble(last[1]) * 1000;
        List<String[]> r2 = cap.fields("vrrp && ip.src == 192.0.2.12 && frame.number > " + last[0], "frame.time_epoch");
        assertThat(r2).as("Vigil's takeover advert after the master's last, in " + cap.pcap).isNotEmpty();
        double takeover = Double.parseDouble(r2.get(0)[0]) * 1000;
        double floor = v.masterDownSeconds(BACKUP_PRIORITY) * 1000;
        double frozenAfterLast = thawedAt - lastAdvert;
        double overFloor = takeover - lastAdvert - floor;
        System.out.printf(Locale.ROOT, "last advert -> thaw %.1f ms; last advert -> takeover %.1f ms; floor %.1f ms; "
                + "over the floor %.1f ms%n", frozenAfterLast, takeover - lastAdvert, floor, overFloor);

        assertThat(frozenAfterLast).as("Vigil was still frozen well after the last advert arrived")
                .isGreaterThan(FROZEN_AFTER_CRASH_MILLIS - 50);
        assertThat(overFloor).as("takeover over Master_Down, counted from the last advert's arrival "
                + "(a read-time stamp would add the %.0f ms frozen after it)", frozenAfterLast)
                .isLessThan(OVER_FLOOR_BOUND_MILLIS);
        assertThat(overFloor).as("never before Master_Down ran out").isGreaterThan(-1.0);
    }
}
