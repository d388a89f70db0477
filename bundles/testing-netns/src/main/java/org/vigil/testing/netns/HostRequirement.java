package org.vigil.testing.netns;

import static org.junit.jupiter.api.Assertions.fail;

import org.junit.jupiter.api.Assumptions;

/**
 * The one rule for tests that need something from the host (root, a Debian package, a tool):
 * without it the calling test is skipped with the reason, except under {@code CI=true}, where
 * the run is root with the lab packages installed (see .ci/run), so a skip would let a broken
 * setup pass: it fails instead.
 */
public final class HostRequirement {

    private HostRequirement() {
    }

    /** {@code CI=true} in the environment. */
    public static boolean ci() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    /** Returns when {@code met}; otherwise skips the calling test, or fails it under CI=true. */
    public static void require(boolean met, String reason) {
        if (met) {
            return;
        }
        if (ci()) {
            fail(reason + "; CI=true, so this fails instead of skipping");
        }
        Assumptions.abort(reason + "; skipped");
    }
}
