package org.vigil.launcher;

import java.util.Locale;
import java.util.Optional;

import sun.misc.Signal;

/**
 * keepalived's {@code --signum=SIGFUNC}: the signal that asks the daemon for one function, so
 * scripts can say {@code kill -s $(vigil --signum=JSON) PID}. STOP, RELOAD, DATA and STATS are
 * keepalived's signals. keepalived puts JSON and STATS_CLEAR on real-time signals (36 and 63 on
 * Linux), which a JVM cannot catch, so Vigil uses two signals nothing else sends a daemon:
 * SIGPWR for JSON and SIGSTKFLT (unused on Linux) for STATS_CLEAR.
 */
enum SignalFunction {
    STOP("TERM", null),
    RELOAD("HUP", "vigil:reload"),
    DATA("USR1", "vigil:dump"),
    STATS("USR2", "vigil:stats"),
    STATS_CLEAR("STKFLT", "vigil:stats clear"),
    JSON("PWR", "vigil:json");

    /** The signal's name without "SIG", as {@link Signal} takes it. */
    final String signal;
    /** The console command the signal runs; null for STOP, which the JVM's shutdown handles. */
    final String command;

    SignalFunction(String signal, String command) {
        this.signal = signal;
        this.command = command;
    }

    int number() {
        return new Signal(signal).getNumber();
    }

    static Optional<SignalFunction> named(String name) {
        try {
            return Optional.of(valueOf(name.trim().toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
