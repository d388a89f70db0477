package org.vigil.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The loop's timer heap: deadline order, slack, and the bound on timers run early per wake-up. */
class TimerQueueTest {
    private final TimerQueue timers = new TimerQueue();
    private final List<Integer> ran = new ArrayList<>();

    private void arm(int id, long deadline, long early) {
        timers.newTimer(() -> ran.add(id)).arm(deadline, early);
    }

    private int runAll(long now) {
        int n = 0;
        Runnable task;
        while ((task = timers.pollDue(now)) != null) {
            task.run();
            n++;
        }
        return n;
    }

    @Test
    void aWakeUpRunsTimersEarlyOnlyWhileItHasRunFewerThanSixtyFour() {
        for (int i = 0; i < 100; i++) {
            arm(i, 1_000_000, 125_000);
        }
        timers.wokeUp();
        assertThat(runAll(900_000)).isEqualTo(TimerQueue.SHARED_PER_WAKE_UP);
        assertThat(timers.size()).isEqualTo(36);
        // the next wake-up takes the rest
        timers.wokeUp();
        assertThat(runAll(900_000)).isEqualTo(36);
    }

    @Test
    void dueTimersAlwaysRunAndCountSoAFullWakeUpTakesNoneEarly() {
        for (int i = 0; i < 40; i++) {
            arm(i, 1_000_000, 125_000);
        }
        for (int i = 40; i < 100; i++) {
            arm(i, 1_050_000, 125_000);
        }
        timers.wokeUp();
        assertThat(runAll(1_000_000)).as("40 due, then 24 early").isEqualTo(64);

        for (int i = 100; i < 200; i++) {
            arm(i, 2_000_000, 125_000);
        }
        arm(200, 2_050_000, 125_000);
        timers.wokeUp();
        assertThat(runAll(2_000_000)).as("the 36 left and 100 due, none early").isEqualTo(136);
        assertThat(timers.size()).isEqualTo(1);
    }

    @Test
    void noTimerRunsBeforeItsSlackAndTheOrderIsTheDeadlines() {
        arm(1, 300_000, 0);
        arm(2, 200_000, 50_000);
        arm(3, 100_000, 0);
        timers.wokeUp();
        assertThat(runAll(99_999)).isZero();
        assertThat(runAll(160_000)).isEqualTo(2);
        assertThat(ran).containsExactly(3, 2);
        assertThat(runAll(299_999)).isZero();
        assertThat(runAll(300_000)).isEqualTo(1);
    }
}
