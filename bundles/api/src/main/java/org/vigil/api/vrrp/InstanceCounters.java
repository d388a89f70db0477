package org.vigil.api.vrrp;

import java.util.Map;

/**
 * Counters of one instance, as a snapshot.
 *
 * @param advertsReceived adverts that passed every receive check
 * @param advertsSent adverts sent, including priority-0 adverts
 * @param becameMaster transitions into MASTER
 * @param releasedMaster transitions out of MASTER
 * @param priorityZeroReceived priority-0 adverts received
 * @param priorityZeroSent priority-0 adverts sent
 * @param dropped packets dropped by a receive check, keyed by reason name
 * @param lateTimers timers that fired later than the warning threshold
 */
public record InstanceCounters(long advertsReceived, long advertsSent, long becameMaster,
        long releasedMaster, long priorityZeroReceived, long priorityZeroSent,
        Map<String, Long> dropped, long lateTimers) {

    public InstanceCounters {
        dropped = Map.copyOf(dropped);
    }

    public long droppedTotal() {
        return dropped.values().stream().mapToLong(Long::longValue).sum();
    }
}
