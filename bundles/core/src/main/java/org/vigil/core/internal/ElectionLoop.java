package org.vigil.core.internal;

import java.util.ArrayDeque;
import java.util.PriorityQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The real {@link Loop}: one dedicated thread, a queue of posted tasks and a priority queue of
 * deadlines on {@link System#nanoTime()}. Posted tasks run before due timers of the same turn so
 * a received advert is never starved by a burst of timers.
 */
public final class ElectionLoop implements Loop {
    private static final Logger LOG = LoggerFactory.getLogger(ElectionLoop.class);

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wake = lock.newCondition();
    private final ArrayDeque<Runnable> posted = new ArrayDeque<>();
    private final PriorityQueue<Timer> timers = new PriorityQueue<>();
    private final long originNanos = System.nanoTime();
    private final Thread thread;
    private long sequence;
    private volatile boolean running = true;

    public ElectionLoop(String threadName) {
        thread = new Thread(this::run, threadName);
        thread.setDaemon(true);
        // adverts must not wait behind checkers or notifiers sharing the JVM
        thread.setPriority(Thread.MAX_PRIORITY);
        thread.start();
    }

    @Override
    public long nowMicros() {
        return (System.nanoTime() - originNanos) / 1_000;
    }

    @Override
    public TimerHandle schedule(long deadlineMicros, Runnable task) {
        Timer timer;
        lock.lock();
        try {
            timer = new Timer(deadlineMicros, sequence++, task);
            timers.add(timer);
            wake.signal();
        } finally {
            lock.unlock();
        }
        return timer;
    }

    @Override
    public void execute(Runnable task) {
        lock.lock();
        try {
            posted.add(task);
            wake.signal();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean inLoop() {
        return Thread.currentThread() == thread;
    }

    /** Stops the thread after the task it is running; waits at most {@code timeoutMillis}. */
    public void stop(long timeoutMillis) {
        running = false;
        lock.lock();
        try {
            wake.signal();
        } finally {
            lock.unlock();
        }
        if (!inLoop()) {
            try {
                thread.join(timeoutMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void run() {
        while (running) {
            Runnable task = next();
            if (task == null) {
                continue;
            }
            try {
                task.run();
            } catch (RuntimeException | Error e) {
                // one broken task must not stop every instance
                LOG.error("Election loop task failed", e);
            }
        }
    }

    /** Waits for the next posted task or due timer; null when woken for nothing. */
    private Runnable next() {
        lock.lock();
        try {
            while (running) {
                Runnable task = posted.poll();
                if (task != null) {
                    return task;
                }
                Timer first = timers.peek();
                if (first != null && first.cancelled) {
                    timers.poll();
                    continue;
                }
                long now = nowMicros();
                if (first != null && first.deadline <= now) {
                    timers.poll();
                    first.fired = true;
                    return first.task;
                }
                try {
                    if (first == null) {
                        wake.await();
                    } else {
                        wake.await(first.deadline - now, TimeUnit.MICROSECONDS);
                    }
                } catch (InterruptedException e) {
                    running = false;
                }
            }
            return null;
        } finally {
            lock.unlock();
        }
    }

    private static final class Timer implements TimerHandle, Comparable<Timer> {
        final long deadline;
        final long seq;
        final Runnable task;
        volatile boolean cancelled;
        boolean fired;

        Timer(long deadline, long seq, Runnable task) {
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
        public int compareTo(Timer o) {
            int c = Long.compare(deadline, o.deadline);
            return c != 0 ? c : Long.compare(seq, o.seq);
        }
    }
}
