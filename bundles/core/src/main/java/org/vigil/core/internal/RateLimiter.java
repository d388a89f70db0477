package org.vigil.core.internal;

import java.util.HashMap;
import java.util.Map;

/**
 * One log line per key per window, with the number of events swallowed since the last line, so
 * a flood of junk cannot fill the disk (ARCHITECTURE, receive rule). Loop-confined.
 */
final class RateLimiter {
    static final long DEFAULT_WINDOW_MICROS = 10 * VrrpTimes.MICROS_PER_SECOND;

    private final long windowMicros;
    private final Map<String, Window> windows = new HashMap<>();

    RateLimiter(long windowMicros) {
        this.windowMicros = windowMicros;
    }

    /**
     * Records an event. Returns -1 when the line must be suppressed, else the number of events
     * suppressed since the last line (0 for the first).
     */
    long admit(String key, long nowMicros) {
        return admit(key, nowMicros, windowMicros);
    }

    /** {@link #admit(String, long)} with a window of its own for this key. Allocates only for a new key. */
    long admit(String key, long nowMicros, long windowMicros) {
        Window w = windows.get(key);
        if (w == null) {
            windows.put(key, new Window(nowMicros));
            return 0;
        }
        if (nowMicros - w.lastLogged >= windowMicros) {
            long suppressed = w.suppressed;
            w.lastLogged = nowMicros;
            w.suppressed = 0;
            return suppressed;
        }
        w.suppressed++;
        return -1;
    }

    /** The line with a suffix saying how many like it were swallowed. */
    static String withCount(String line, long suppressed) {
        return suppressed > 0 ? line + " (" + suppressed + " more suppressed)" : line;
    }

    private static final class Window {
        long lastLogged;
        long suppressed;

        Window(long lastLogged) {
            this.lastLogged = lastLogged;
        }
    }
}
