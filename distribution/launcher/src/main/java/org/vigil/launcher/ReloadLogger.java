package org.vigil.launcher;

import org.apache.felix.framework.Logger;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceReference;

/**
 * Felix's framework log (errors to standard output, as by default), but quiet while the launcher
 * reloads the kept bundle cache: a corrupt cache makes Felix log an error with a stack trace per
 * bundle it cannot reload, and the launcher then starts clean and says so in one line, naming the
 * first of them.
 */
final class ReloadLogger extends Logger {
    private volatile boolean reloading;
    private volatile String first;

    void reloading(boolean on) {
        reloading = on;
    }

    /** The first error Felix reported while reloading, or null. */
    String firstError() {
        return first;
    }

    @Override
    protected void doLog(int level, String msg, Throwable throwable) {
        if (reloading) {
            note(level, msg, throwable);
            return;
        }
        super.doLog(level, msg, throwable);
    }

    private void note(int level, String msg, Throwable throwable) {
        if (first == null && level == LOG_ERROR) {
            first = msg + (throwable != null ? " (" + throwable + ")" : "");
        }
    }

    @Override
    protected void doLog(Bundle bundle, ServiceReference sr, int level, String msg, Throwable throwable) {
        if (reloading) {
            note(level, msg, throwable);
            return;
        }
        super.doLog(bundle, sr, level, msg, throwable);
    }
}
