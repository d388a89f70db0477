package org.vigil.launcher;

import java.io.PrintStream;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * The launcher's own log lines (before the framework's logging is up and after it is gone), in
 * the form keepalived writes to the console: {@code Tue Nov 24 14:14:16 2026: message}.
 */
final class KeepalivedLog {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss yyyy", Locale.ROOT);

    private final PrintStream out;

    KeepalivedLog(PrintStream out) {
        this.out = out;
    }

    static String stamp(ZonedDateTime t) {
        return STAMP.format(t);
    }

    void log(String message) {
        if (out != null) {
            out.println(stamp(ZonedDateTime.now()) + ": " + message);
            out.flush();
        }
    }
}
