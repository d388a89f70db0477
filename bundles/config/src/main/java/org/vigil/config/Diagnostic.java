package org.vigil.config;

import java.util.Objects;

/**
 * One finding about a configuration, printed as keepalived does: {@code file:line: message}.
 * Line 0 means the finding concerns the file as a whole (it could not be read, for example).
 */
public record Diagnostic(Severity severity, String file, int line, String message) {

    public enum Severity {
        WARNING,
        ERROR
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

    public boolean isError() {
        return severity == Severity.ERROR;
    }

    @Override
    public String toString() {
        return file + ":" + line + ": " + message;
    }
}
