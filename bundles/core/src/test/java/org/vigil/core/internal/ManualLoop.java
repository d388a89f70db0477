package org.vigil.core.internal;

import java.util.ArrayDeque;
import java.util.PriorityQueue;

/**
 * Virtual time for exact timer tests: nothing runs until {@link #advance}, which runs due tasks in
 * deadline order with the clock set to each task's deadline, and tasks they post as well.
 */
final class ManualLoop implements Loop {
    private final PriorityQueue<Entry> timers = new PriorityQueue<>();
    private final ArrayDeque<Runnable> posted = new ArrayDeque<>();
    private long now;
    private long sequence;

    @Override
    public long nowMicros() {
        return now;
    }

    @Override
    public TimerHandle schedule(long deadlineMicros, Runnable task) {
        Entry e = new Entry(deadlineMicros, sequence++, task);
        timers.add(e);
        return e;
    }

    @Override
    public void execute(Runnable task) {
        posted.add(task);
    }

    @Override
    public boolean inLoop() {
        return true;
    }

    /** Runs posted tasks and timers due within {@code micros}, then sets the clock to the end. */
    void advance(long micros) {
        long target = now + micros;
        runPosted();
        while (true) {
            Entry e = timers.peek();
            if (e == null || e.deadline > target) {
                break;
            }
            timers.poll();
            if (e.cancelled) {
                continue;
            }
            now = Math.max(now, e.deadline);
            e.task.run();
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

    void advanceTo(long micros) {
        advance(micros - now);
    }

    private void runPosted() {
        Runnable r;
        while ((r = posted.poll()) != null) {
            r.run();
        }
    }

    private static final class Entry implements TimerHandle, Comparable<Entry> {
        final long deadline;
        final long seq;
        final Runnable task;
        boolean cancelled;

        Entry(long deadline, long seq, Runnable task) {
            this.deadline = deadline;
            this.seq = seq;
            this.task = task;
        }

        @Override
        public long deadlineMicros() {
            return deadline;
        }

        @Override
        public void cancel() {
            cancelled = true;
        }

        @Override
        public int compareTo(Entry o) {
            int c = Long.compare(deadline, o.deadline);
            return c != 0 ? c : Long.compare(seq, o.seq);
        }
    }
}
