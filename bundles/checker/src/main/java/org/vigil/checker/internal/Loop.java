package org.vigil.checker.internal;

/**
 * The one thread that owns the engine's state, or virtual time in tests. Everything the engine
 * does runs on it; other threads only {@link #execute} work onto it.
 */
interface Loop {

    /** Monotonic time in nanoseconds. */
    long nanoTime();

    /** Runs {@code task} on the loop after {@code delayNanos}. */
    Timer schedule(long delayNanos, Runnable task);

    /** Runs {@code task} on the loop as soon as it can; callable from any thread. */
    void execute(Runnable task);

    /** A scheduled task; cancelling one that already ran does nothing. */
    interface Timer {
        void cancel();
    }
}
