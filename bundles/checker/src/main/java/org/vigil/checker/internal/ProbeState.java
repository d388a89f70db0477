package org.vigil.checker.internal;

/**
 * The verdict of one check, keepalived's rules (checker.md section 1): an UP server is retried
 * every delay_before_retry and goes DOWN after retry + 1 consecutive failures; a DOWN server is
 * checked every delay_loop and one success brings it UP. A check that has not reached a verdict
 * yet (an alpha start) is retried like an UP one. Pure and single-threaded.
 */
final class ProbeState {

    enum Change {
        /** Nothing the pool sees. */
        NONE,
        /** DOWN (or not yet known) to UP. */
        UP,
        /** UP to DOWN after retry + 1 failures. */
        DOWN,
        /** A first verdict of DOWN for a check that started down (alpha): logged, the pool is unchanged. */
        CONFIRMED_DOWN
    }

    private final Schedule schedule;
    private boolean up;
    private boolean decided;
    private int failures;

    ProbeState(Schedule schedule, boolean startUp) {
        this.schedule = schedule;
        this.up = startUp;
        this.decided = startUp;
    }

    /** A check replacing {@code before} (its settings changed): the same verdict, new timing. */
    ProbeState(Schedule schedule, ProbeState before) {
        this.schedule = schedule;
        this.up = before.up;
        this.decided = before.decided;
        this.failures = before.up ? 0 : before.failures;
    }

    Change record(boolean success) {
        if (success) {
            failures = 0;
            decided = true;
            if (!up) {
                up = true;
                return Change.UP;
            }
            return Change.NONE;
        }
        failures++;
        if (retrying() && failures > schedule.retry()) {
            boolean wasUp = up;
            up = false;
            decided = true;
            return wasUp ? Change.DOWN : Change.CONFIRMED_DOWN;
        }
        return Change.NONE;
    }

    /** The wait before the next attempt, after the attempt just recorded. */
    long nextDelay() {
        return retrying() && failures > 0 ? schedule.delayBeforeRetry() : schedule.delayLoop();
    }

    /** Whether failures are being retried: an UP server, or one without a verdict yet. */
    private boolean retrying() {
        return up || !decided;
    }

    boolean up() {
        return up;
    }

    boolean decided() {
        return decided;
    }

    int failures() {
        return failures;
    }

    Schedule schedule() {
        return schedule;
    }
}
