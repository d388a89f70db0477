package org.vigil.core.internal;

import java.util.function.Consumer;

/**
 * A vrrp_script's verdict with keepalived's rise/fall hysteresis: a counter from 0 to
 * rise + fall - 1, good from rise up. From good, {@code fall} consecutive failures make it bad;
 * from bad, {@code rise} consecutive successes make it good. The very first failure counts as a
 * change at once (keepalived treats the first run specially). Starts good, or bad with init_fail.
 */
final class ScriptState {

    /** How one run ended. */
    record Outcome(Kind kind, int code) {
        enum Kind { EXITED, SIGNALLED, TIMED_OUT }

        static Outcome exited(int status) {
            return new Outcome(Kind.EXITED, status);
        }

        static Outcome signalled(int signal) {
            return new Outcome(Kind.SIGNALLED, signal);
        }

        static Outcome timedOut() {
            return new Outcome(Kind.TIMED_OUT, 0);
        }

        boolean success() {
            return kind == Kind.EXITED && code == 0;
        }

        /** keepalived's wording after "VRRP_Script(name) ". */
        String describe() {
            return switch (kind) {
                case EXITED -> code == 0 ? "succeeded" : "failed (exited with status " + code + ")";
                case SIGNALLED -> "failed (due to signal " + code + ")";
                case TIMED_OUT -> "timed_out";
            };
        }
    }

    private final String name;
    private final int rise;
    private final int fall;
    private int result;
    private boolean firstRun = true;
    private Integer lastStatus;

    ScriptState(ScriptSpec spec) {
        this.name = spec.name();
        this.rise = spec.rise();
        this.fall = spec.fall();
        this.result = spec.initFail() ? 0 : rise;
    }

    boolean good() {
        return result >= rise;
    }

    /** Applies one run's outcome, logging as keepalived does; true when {@link #good()} changed. */
    boolean apply(Outcome outcome, Consumer<String> log) {
        boolean before = good();
        if (outcome.kind() == Outcome.Kind.EXITED) {
            if (lastStatus != null && lastStatus != outcome.code()) {
                log.accept("Script `" + name + "` now returning " + outcome.code());
            }
            lastStatus = outcome.code();
        }
        int top = rise + fall - 1;
        if (outcome.success()) {
            if (result < rise - 1) {
                result++;
            } else if (result != top) {
                if (result < rise) {
                    log.accept("VRRP_Script(" + name + ") " + outcome.describe());
                }
                result = top;
            }
        } else if (result > rise) {
            result--;
        } else {
            if (result == rise || firstRun) {
                log.accept("VRRP_Script(" + name + ") " + outcome.describe());
            }
            result = 0;
        }
        firstRun = false;
        return before != good();
    }
}
