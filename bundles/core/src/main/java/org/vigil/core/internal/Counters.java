package org.vigil.core.internal;

import java.util.Map;
import java.util.TreeMap;

import org.vigil.api.vrrp.InstanceCounters;

/** Mutable counters of one instance; touched only on the loop. */
final class Counters {
    long advertsReceived;
    long advertsSent;
    long becameMaster;
    long releasedMaster;
    long priorityZeroReceived;
    long priorityZeroSent;
    long lateTimers;
    /** Adverts whose address list differs from ours: logged and processed, so not a drop. */
    long addressListMismatch;
    private final Map<String, Long> dropped = new TreeMap<>();

    void drop(String reason) {
        dropped.merge(reason, 1L, Long::sum);
    }

    long dropped(String reason) {
        return dropped.getOrDefault(reason, 0L);
    }

    InstanceCounters snapshot() {
        return new InstanceCounters(advertsReceived, advertsSent, becameMaster, releasedMaster,
                priorityZeroReceived, priorityZeroSent, dropped, lateTimers);
    }
}
