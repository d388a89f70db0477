package org.vigil.checker.internal;

import java.util.PriorityQueue;
import java.util.concurrent.TimeUnit;

/** Virtual time for the engine: nothing runs until the test advances the clock. Single-threaded. */
final class VirtualLoop implements Loop {
    private final PriorityQueue<Task> queue = new PriorityQueue<>();
    private long now = TimeUnit.SECONDS.toNanos(1000);
    private long seq;

    private final class Task implements Comparable<Task>, Timer {
        final long at;
        final long order = seq++;
        final Runnable run;
        boolean cancelled;

        Task(long at, Runnable run) {
            this.at = at;
            this.run = run;
        }

        @Override
        public int compareTo(Task o) {
            return at != o.at ? Long.compare(at, o.at) : Long.compare(order, o.order);
        }

        @Override
        public void cancel() {
            cancelled = true;
        }
    }

    /** The start of virtual time, so tests can speak in seconds since then. */
    final long origin = now;

    @Override
    public long nanoTime() {
        return now;
    }

    @Override
    public Timer schedule(long delayNanos, Runnable task) {
        Task t = new Task(now + Math.max(0, delayNanos), task);
        queue.add(t);
        return t;
    }

    @Override
    public void execute(Runnable task) {
        schedule(0, task);
    }

    /** Runs everything due within the next {@code seconds}, in time order, and moves the clock there. */
    void advance(double seconds) {
        long end = now + Math.round(seconds * 1e9);
        while (!queue.isEmpty() && queue.peek().at <= end) {
            Task t = queue.poll();
            now = t.at;
            if (!t.cancelled) {
                t.run.run();
            }
        }
        now = end;
    }

    /** Seconds since the origin. */
    double seconds() {
        return (now - origin) / 1e9;
    }
}
