package org.vigil.checker.internal;

import java.util.List;

/** Snapshots for check:list and check:show, taken on the loop. */
final class Status {
    private Status() {
    }

    /**
     * @param latencyMicros the last attempt's duration, -1 before the first
     * @param sharedBy      how many virtual-server memberships share this probe
     */
    record Check(String type, String status, boolean up, int failures, String lastLine, long latencyMicros,
            long lastResultMillis, int sharedBy) {
    }

    record Real(String text, boolean sorry, boolean inPool, int weight, boolean inhibit, List<Check> checks) {
    }

    record Virtual(String key, String text, String scheduler, String method, int quorum, int hysteresis,
            boolean quorumUp, int liveWeight, boolean sorryActive, List<Real> reals, Real sorry) {
    }

    /** Totals for the list header. */
    record Totals(int virtualServers, int realServers, int probes, int active, int waiting, int missing,
            int invalid, List<String> types, long attempts) {
    }
}
