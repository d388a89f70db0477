package org.vigil.config;

import java.util.Objects;

/**
 * One finding about a configuration, printed as keepalived does: {@code file:line: message}.
 * Line 0 means the finding concerns the file as a whole (it could not be read, for example).
 */
public record Diagnostic(Severity severity, String file, int line, String message) {

    public enum Severity {
        /** Vigil's own notice; keepalived -t would not fail on it. */
        WARNING,
        /** A bad value or construct: {@code -t} fails and the file is not applied. */
        ERROR,
        /**
         * What keepalived reports as a configuration error and then corrects (a default it sets, a
         * duplicate it drops): {@code -t} fails as keepalived's does, but the file is applied with
         * keepalived's correction, as keepalived runs it.
         */
        CORRECTED
    }

    public Diagnostic {
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(message, "message");
        file = file == null ? "" : file;
    }

    public static Diagnostic error(Origin origin, String message) {
        return new Diagnostic(Severity.ERROR, origin.file(), origin.line(), message);
    }

    public static Diagnostic warning(Origin origin, String message) {
        return new Diagnostic(Severity.WARNING, origin.file(), origin.line(), message);
    }

    /** keepalived's corrections: see {@link Severity#CORRECTED}. */
    public static Diagnostic corrected(Origin origin, String message) {
        return new Diagnostic(Severity.CORRECTED, origin.file(), origin.line(), message);
    }

    /** An error: the configuration is not applied. */
    public boolean isError() {
        return severity == Severity.ERROR;
    }

    /** Whether {@code -t} fails on this, as keepalived -t does: an error or a correction. */
    public boolean failsCheck() {
        return severity != Severity.WARNING;
    }

    @Override
    public String toString() {
        return file + ":" + line + ": " + message;
    }
}
