package org.vigil.core.internal;

/**
 * The single thread that runs every state machine, as the state machines see it. Times are in
 * microseconds on a monotonic clock. {@link #execute} and {@link #ready} may be called from any
 * thread; everything else is called on the loop itself.
 *
 * <p>Order of work (ARCHITECTURE, scaling rule): due timers first, then posted tasks, then the
 * receive queues in turn, a bounded batch each, with due timers checked again before every task
 * and batch. So neither a flood on one channel nor a burst of 510 adverts can hold back an
 * advert timer, and one busy channel cannot starve another.
 */
public interface Loop {

    /** Packets one receive queue may process before the loop looks at timers and other queues. */
    int RECEIVE_BATCH = 16;

    long nowMicros();

    /**
     * A {@link System#nanoTime()} reading (a driver's receive stamp) on this loop's clock, never
     * later than now. A backup re-arms Master_Down from when the driver read the advert, not from
     * when the loop got to it: the hand-over between the two threads would otherwise delay every
     * takeover by one thread wake-up (about 0.7 ms measured on an idle 2-core VM at 1 s adverts).
     */
    default long receivedMicros(long nanoTime) {
        return nowMicros();
    }

    /**
     * A reusable timer running {@code task} on the loop: armed, re-armed and cancelled any number
     * of times without allocating (a backup re-arms its master-down timer on every advert).
     */
    Timer timer(Runnable task);

    /** A one-shot timer: runs {@code task} on the loop at {@code deadlineMicros} (or as soon as possible after it). */
    default TimerHandle schedule(long deadlineMicros, Runnable task) {
        Timer timer = timer(task);
        timer.arm(deadlineMicros);
        return timer;
    }

    /** Runs {@code task} on the loop soon; callable from any thread. */
    void execute(Runnable task);

    /**
     * On the loop only: runs {@code task} as soon as every timer due now has run, before posted
     * tasks and receive queues. A takeover sends its advert in its timer and leaves the slower
     * rest (log lines, VIPs, notifications) to this, so when hundreds of backups time out
     * together every takeover advert leaves before any of that work.
     */
    void afterDueTimers(Runnable task);

    /**
     * Says that {@code queue} has work; callable from any thread, without allocating. The loop
     * calls {@link ReceiveSource#drain} until it reports nothing left.
     */
    void ready(ReceiveSource queue);

    /** Whether the caller is running on the loop. */
    boolean inLoop();

    /** Whether the loop has stopped for good: nothing runs on it any more, so nothing can race a caller. */
    default boolean stopped() {
        return false;
    }

    /** A scheduled task. */
    interface TimerHandle {
        /** The deadline, or -1 when not armed. */
        long deadlineMicros();

        /** Cancels the task if it has not run yet; harmless afterwards. */
        void cancel();
    }

    /** A timer that can be armed again. */
    interface Timer extends TimerHandle {
        /** Sets (or moves) the deadline; the task runs once at it unless re-armed or cancelled first. */
        void arm(long deadlineMicros);

        /**
         * Like {@link #arm(long)}, but the task may also run up to {@code earlyMicros} before the
         * deadline when the loop is awake then anyway. Timer slack, as the kernel and systemd
         * know it: a master's adverts for hundreds of instances share a wake-up instead of
         * waking the thread once each. Never for a timer that must not fire early (master down).
         */
        default void arm(long deadlineMicros, long earlyMicros) {
            arm(deadlineMicros);
        }

        boolean armed();
    }

    /** Work that arrives from another thread in a bounded queue: received packets. */
    interface ReceiveSource {
        /** Processes at most {@code budget} items on the loop; returns whether more are waiting. */
        boolean drain(int budget);
    }
}
