package org.vigil.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ElectionLoopTest {
    private final ElectionLoop loop = new ElectionLoop("vigil-election");

    @AfterEach
    void stop() {
        loop.stop(1_000);
    }

    @Test
    void postedTasksRunOnTheElectionThread() {
        List<String> threads = new CopyOnWriteArrayList<>();
        loop.execute(() -> threads.add(Thread.currentThread().getName() + ":" + loop.inLoop()));
        await().atMost(Duration.ofSeconds(5)).until(() -> threads.size() == 1);
        assertThat(threads).containsExactly("vigil-election:true");
        assertThat(loop.inLoop()).isFalse();
    }

    @Test
    void timersFireInDeadlineOrderAndNeverEarly() {
        List<String> fired = new CopyOnWriteArrayList<>();
        List<Long> lateness = new CopyOnWriteArrayList<>();
        long base = loop.nowMicros();
        for (long offset : new long[] { 30_000, 10_000, 20_000 }) {
            long deadline = base + offset;
            loop.schedule(deadline, () -> {
                fired.add(Long.toString(offset));
                lateness.add(loop.nowMicros() - deadline);
            });
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> fired.size() == 3);
        assertThat(fired).containsExactly("10000", "20000", "30000");
        assertThat(lateness).allMatch(l -> l >= 0);
    }

    @Test
    void timersWithSlackShareTheWakeUpOfAnEarlierTimerButNeverRunBeforeTheirSlack() {
        // the master's adverts for many instances: each may leave up to its slack early
        List<String> fired = new CopyOnWriteArrayList<>();
        List<Long> at = new CopyOnWriteArrayList<>();
        loop.execute(() -> {
            long base = loop.nowMicros();
            Loop.Timer first = loop.timer(() -> {
                fired.add("first");
                at.add(loop.nowMicros() - base);
            });
            Loop.Timer withinSlack = loop.timer(() -> {
                fired.add("within");
                at.add(loop.nowMicros() - base);
            });
            Loop.Timer beyondSlack = loop.timer(() -> {
                fired.add("beyond");
                at.add(loop.nowMicros() - base);
            });
            first.arm(base + 50_000);
            withinSlack.arm(base + 250_000, 220_000);
            beyondSlack.arm(base + 400_000, 100_000);
        });
        await().atMost(Duration.ofSeconds(5)).until(() -> fired.size() == 3);
        assertThat(fired).containsExactly("first", "within", "beyond");
        assertThat(at.get(0)).isGreaterThanOrEqualTo(50_000);
        // woken for "first", the loop ran "within" 200 ms before its deadline instead of waking again
        assertThat(at.get(1)).as("within its slack, on the earlier wake-up").isLessThan(250_000);
        // "beyond" was not within its slack then, and runs no earlier than its slack allows
        assertThat(at.get(2)).isGreaterThanOrEqualTo(300_000);
    }

    @Test
    void aCancelledTimerDoesNotRun() {
        List<String> fired = new CopyOnWriteArrayList<>();
        long base = loop.nowMicros();
        Loop.TimerHandle cancelled = loop.schedule(base + 10_000, () -> fired.add("cancelled"));
        loop.schedule(base + 20_000, () -> fired.add("kept"));
        cancelled.cancel();
        await().atMost(Duration.ofSeconds(5)).until(() -> fired.contains("kept"));
        assertThat(fired).containsExactly("kept");
    }

    @Test
    void aDueTimerRunsWhileAReceiveQueueIsNeverEmpty() {
        // a flood: the queue always has more; before issue 8 a posted packet always won over a due timer
        java.util.concurrent.atomic.AtomicLong processed = new java.util.concurrent.atomic.AtomicLong();
        java.util.concurrent.atomic.AtomicBoolean flooding = new java.util.concurrent.atomic.AtomicBoolean(true);
        Loop.ReceiveSource flood = budget -> {
            processed.addAndGet(budget);
            return flooding.get();
        };
        List<Long> lateness = new CopyOnWriteArrayList<>();
        loop.execute(() -> {
            loop.ready(flood);
            long deadline = loop.nowMicros() + 20_000;
            loop.schedule(deadline, () -> lateness.add(loop.nowMicros() - deadline));
        });
        await().atMost(Duration.ofSeconds(5)).until(() -> lateness.size() == 1);
        flooding.set(false);
        assertThat(processed.get()).as("the flood was being served meanwhile").isGreaterThan(1_000);
        // a second receive queue gets its turn too
        List<String> other = new CopyOnWriteArrayList<>();
        flooding.set(true);
        loop.ready(flood);
        loop.ready(budget -> {
            other.add("served");
            return false;
        });
        await().atMost(Duration.ofSeconds(5)).until(() -> other.size() == 1);
        flooding.set(false);
    }

    @Test
    void aStoppedLoopSaysSoSoCallersNeedNotWaitForIt() {
        assertThat(loop.stopped()).isFalse();
        loop.stop(5_000);
        assertThat(loop.stopped()).isTrue();
    }

    @Test
    void aFailingTaskDoesNotStopTheLoop() {
        List<String> fired = new CopyOnWriteArrayList<>();
        loop.execute(() -> {
            throw new IllegalStateException("boom (expected by the test)");
        });
        loop.execute(() -> fired.add("after"));
        await().atMost(Duration.ofSeconds(5)).until(() -> fired.contains("after"));
    }
}
