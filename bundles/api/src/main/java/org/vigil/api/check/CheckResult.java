package org.vigil.api.check;

import java.util.Objects;

/**
 * The outcome of one attempt.
 *
 * @param success whether the real server passed
 * @param line    the per-attempt line in keepalived's words, with the real server as
 *                {@link CheckSpec#realServerText()} ("TCP connection to [192.0.2.21]:tcp:80 success.",
 *                "Timeout connecting server [192.0.2.21]:tcp:80."); the checker logs it on a
 *                change of verdict, and every failure with log_all_failures
 * @param weight  a new weight for the real server (MISC_CHECK misc_dynamic), or -1 for none
 */
public record CheckResult(boolean success, String line, int weight) {

    public CheckResult {
        Objects.requireNonNull(line, "line");
        if (weight < -1) {
            throw new IllegalArgumentException("weight " + weight);
        }
    }

    public static CheckResult success(String line) {
        return new CheckResult(true, line, -1);
    }

    public static CheckResult failure(String line) {
        return new CheckResult(false, line, -1);
    }
}
