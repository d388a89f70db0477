package org.vigil.core.internal;

import java.util.ArrayDeque;

/**
 * Virtual time for exact timer tests: nothing runs until {@link #advance}, which runs due tasks in
 * deadline order with the clock set to each task's deadline, and tasks they post as well. Uses the
 * real loop's {@link TimerQueue}, so timers are ordered exactly as on the election thread.
 */
final class ManualLoop implements Loop {
    private final TimerQueue timers = new TimerQueue();
    private final ArrayDeque<Runnable> posted = new ArrayDeque<>();
    private final ArrayDeque<Runnable> afterTimers = new ArrayDeque<>();
    private final ArrayDeque<ReceiveSource> ready = new ArrayDeque<>();
    private long now;
    /** {@link #ready} calls: the wake-ups a real loop would have had from its receive queues. */
    long receiveWakeUps;

    @Override
    public long nowMicros() {
        return now;
    }

    /** {@link FakeLan} stamps packets with this clock's microseconds times 1,000. */
    @Override
    public long receivedMicros(long nanoTime) {
        return Math.min(now, nanoTime / 1_000);
    }

    @Override
    public Timer timer(Runnable task) {
        return timers.newTimer(task);
    }

    @Override
    public void execute(Runnable task) {
        posted.add(task);
    }

    @Override
    public void afterDueTimers(Runnable task) {
        afterTimers.add(task);
    }

    @Override
    public void ready(ReceiveSource queue) {
        receiveWakeUps++;
        ready.add(queue);
    }

    @Override
    public boolean inLoop() {
        return true;
    }

    /** Runs posted tasks and timers due within {@code micros}, then sets the clock to the end. */
    void advance(long micros) {
        long target = now + micros;
        runPosted();
        while (timers.nextDeadline() <= target) {
            now = Math.max(now, timers.nextDeadline());
            timers.pollDue(now).run();
            // like the election loop: every timer due at this instant first, then their
            // after-work, then posted tasks and receive queues
            if (timers.nextDeadline() > now) {
                runPosted();
            }
        }
        now = target;
        runPosted();
    }

    /**
     * Like {@link #advance}, but as the election loop wakes: at each wake-up (the earliest
     * deadline) timers within their slack run too, while fewer than {@link TimerQueue#SHARED_PER_WAKE_UP}
     * have run, before their deadlines.
     */
    void advanceSharingWakeUps(long micros) {
        long target = now + micros;
        runPosted();
        while (timers.nextDeadline() <= target) {
            now = Math.max(now, timers.nextDeadline());
            timers.wokeUp();
            Runnable task;
            while ((task = timers.pollDue(now)) != null) {
                task.run();
            }
            runAfterTimers();
            runPosted();
        }
        now = target;
        runPosted();
    }

    /** Runs what is posted, without moving time. */
    void runPending() {
        advance(0);
    }

    /** A stalled thread: the clock jumps first, then overdue tasks run late. */
    void stall(long micros) {
        now += micros;
        advance(0);
    }

    /**
     * A stalled election thread as the real loop wakes from it: the clock jumps, every timer due
     * by then runs first, and only then posted tasks and receive queues (what arrived during the
     * stall waits behind the timers).
     */
    void stallTimersFirst(long micros) {
        now += micros;
        long due;
        while ((due = timers.nextDeadline()) <= now) {
            timers.pollDue(now).run();
            if (timers.nextDeadline() > now) {
                runAfterTimers();
            }
        }
        runPosted();
    }

    /** The thread busy in one batch: the clock moves and nothing runs, not even due timers. */
    void jump(long micros) {
        now += micros;
    }

    void advanceTo(long micros) {
        advance(micros - now);
    }

    private void runAfterTimers() {
        Runnable r;
        while ((r = afterTimers.poll()) != null) {
            r.run();
        }
    }

    private void runPosted() {
        while (true) {
            runAfterTimers();
            Runnable r = posted.poll();
            if (r != null) {
                r.run();
                continue;
            }
            ReceiveSource q = ready.poll();
            if (q == null) {
                return;
            }
            if (q.drain(RECEIVE_BATCH)) {
                ready.add(q);
            }
        }
    }
}
