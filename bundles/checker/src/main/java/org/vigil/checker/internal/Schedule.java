package org.vigil.checker.internal;

import java.util.concurrent.TimeUnit;

/**
 * A check's timing, resolved from the check block, the real server, the virtual server and the
 * type's defaults, in that order (keepalived's inheritance).
 *
 * @param delayLoop        between rounds, and between checks of a DOWN server
 * @param retry            failures an UP server survives: it goes DOWN at retry + 1
 * @param delayBeforeRetry between the failed attempts of an UP server
 * @param warmup           the first check comes 1 s + random(0..warmup) after start
 * @param connectTimeout   the attempt's deadline, enforced by the engine
 */
record Schedule(long delayLoop, int retry, long delayBeforeRetry, long warmup, long connectTimeout) {

    static final long FIRST_CHECK = TimeUnit.SECONDS.toNanos(1);
    static final double DEFAULT_CONNECT_TIMEOUT = 5;

    static long nanos(double seconds) {
        return Math.round(seconds * 1e9);
    }

    /** keepalived's default retry per type: DNS_CHECK 3, MISC_CHECK 0, every other 1. */
    static int defaultRetry(String type) {
        return switch (type) {
            case "DNS_CHECK" -> 3;
            case "MISC_CHECK" -> 0;
            default -> 1;
        };
    }

    /** keepalived's default delay_before_retry: HTTP_GET and SSL_GET 3 s, DNS_CHECK its delay_loop, else 1 s. */
    static double defaultDelayBeforeRetry(String type, double delayLoop) {
        return switch (type) {
            case "HTTP_GET", "SSL_GET" -> 3;
            case "DNS_CHECK" -> delayLoop;
            default -> 1;
        };
    }

    /**
     * The wait after a failed attempt of an UP server: delay_before_retry, except HTTP_GET and
     * SSL_GET, which keepalived retries after max(delay_before_retry, delay_loop) (checker.md section 1).
     */
    static double retryWait(String type, double delayLoop, double delayBeforeRetry) {
        return switch (type) {
            case "HTTP_GET", "SSL_GET" -> Math.max(delayBeforeRetry, delayLoop);
            default -> delayBeforeRetry;
        };
    }

    /**
     * Time the engine allows past the check's own timeout before it cancels: MISC_CHECK's runner
     * sends SIGTERM at misc_timeout and SIGKILL a second later, and reports that itself.
     */
    static long deadlineGrace(String type) {
        return type.equals("MISC_CHECK") ? TimeUnit.SECONDS.toNanos(2) : 0;
    }

    /** The first value that is set (not negative), else the fallback. */
    static double first(double fallback, double... values) {
        for (double v : values) {
            if (v >= 0) {
                return v;
            }
        }
        return fallback;
    }
}
