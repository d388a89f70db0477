package org.vigil.script;

/**
 * How one run of a script ended.
 *
 * @param status what happened
 * @param code the exit status for {@link Status#EXITED}, the signal number for
 *        {@link Status#SIGNALLED}, otherwise 0
 * @param message why it did not run ({@link Status#NOT_STARTED}, {@link Status#REJECTED}), else null
 * @param millis from the start of the process to its end (0 when it never started)
 */
public record ScriptResult(Status status, int code, String message, long millis) {

    /** What happened to a run. */
    public enum Status {
        /** The process exited by itself with {@link #code()}. */
        EXITED,
        /** The process was ended by signal {@link #code()} (not by the runner's timeout). */
        SIGNALLED,
        /** Still running at its timeout: it was sent SIGTERM (and SIGKILL after a grace period). */
        TIMED_OUT,
        /** No process: the program could not be executed, or the run was cancelled before it started. */
        NOT_STARTED,
        /** Refused at once: the runner's queue was full, or the runner was shut down. */
        REJECTED
    }

    public static ScriptResult exited(int status, long millis) {
        return new ScriptResult(Status.EXITED, status, null, millis);
    }

    public static ScriptResult signalled(int signal, long millis) {
        return new ScriptResult(Status.SIGNALLED, signal, null, millis);
    }

    public static ScriptResult timedOut(long millis) {
        return new ScriptResult(Status.TIMED_OUT, 0, null, millis);
    }

    public static ScriptResult notStarted(String why) {
        return new ScriptResult(Status.NOT_STARTED, 0, why, 0);
    }

    public static ScriptResult rejected(String why) {
        return new ScriptResult(Status.REJECTED, 0, why, 0);
    }

    /** Exited with status 0. */
    public boolean succeeded() {
        return status == Status.EXITED && code == 0;
    }
}
