package org.vigil.core.internal;

/**
 * The single thread that runs every state machine, as the state machines see it. Times are in
 * microseconds on a monotonic clock. Everything but {@link #execute} is called on the loop itself.
 */
public interface Loop {

    long nowMicros();

    /** Runs {@code task} on the loop at {@code deadlineMicros} (or as soon as possible after it). */
    TimerHandle schedule(long deadlineMicros, Runnable task);

    /** Runs {@code task} on the loop soon; callable from any thread. */
    void execute(Runnable task);

    /** Whether the caller is running on the loop. */
    boolean inLoop();

    /** A scheduled task. */
    interface TimerHandle {
        long deadlineMicros();

        /** Cancels the task if it has not run yet; harmless afterwards. */
        void cancel();
    }
}
