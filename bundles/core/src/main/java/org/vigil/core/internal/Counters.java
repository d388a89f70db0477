package org.vigil.core.internal;

import java.util.Map;
import java.util.TreeMap;

import org.vigil.api.vrrp.InstanceCounters;

/** Mutable counters of one instance; touched only on the loop. Counting allocates nothing. */
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
    /** Lower-priority adverts heard as master within one interval of the last answer: not answered again. */
    long lowerPriorityIgnored;
    private final long[] dropped = new long[ReceiveDrop.values().length];

    /** keepalived's STATS_CLEAR: every count back to zero. */
    void clear() {
        advertsReceived = 0;
        advertsSent = 0;
        becameMaster = 0;
        releasedMaster = 0;
        priorityZeroReceived = 0;
        priorityZeroSent = 0;
        lateTimers = 0;
        addressListMismatch = 0;
        lowerPriorityIgnored = 0;
        java.util.Arrays.fill(dropped, 0);
    }

    void drop(ReceiveDrop reason) {
        dropped[reason.ordinal()]++;
    }

    /** Adds drops counted elsewhere (a driver thread's queue overflow). */
    void drop(ReceiveDrop reason, long count) {
        dropped[reason.ordinal()] += count;
    }

    long dropped(ReceiveDrop reason) {
        return dropped[reason.ordinal()];
    }

    InstanceCounters snapshot(Map<String, Long> channelDropped) {
        return new InstanceCounters(advertsReceived, advertsSent, becameMaster, releasedMaster,
                priorityZeroReceived, priorityZeroSent, asMap(dropped), lateTimers, addressListMismatch,
                channelDropped);
    }

    InstanceCounters snapshot() {
        return snapshot(Map.of());
    }

    /** The non-zero counts by reason name. */
    static Map<String, Long> asMap(long[] counts) {
        Map<String, Long> out = null;
        ReceiveDrop[] reasons = ReceiveDrop.values();
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] != 0) {
                if (out == null) {
                    out = new TreeMap<>();
                }
                out.put(reasons[i].name(), counts[i]);
            }
        }
        return out == null ? Map.of() : out;
    }
}
