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
 * @param dropped packets for this instance dropped by a receive check or a full receive queue,
 *        keyed by reason name
 * @param lateTimers timers that fired later than the warning threshold
 * @param addressListMismatch adverts whose address list differs from ours (logged and processed,
 *        as keepalived does, so not in {@code dropped})
 * @param channelDropped drops on the receive channel this instance shares with others that belong
 *        to no instance (an unknown VRID, a packet too short to name one), keyed by reason; the
 *        same figures appear on every instance of that channel
 */
public record InstanceCounters(long advertsReceived, long advertsSent, long becameMaster,
        long releasedMaster, long priorityZeroReceived, long priorityZeroSent,
        Map<String, Long> dropped, long lateTimers, long addressListMismatch, Map<String, Long> channelDropped) {

    public InstanceCounters {
        dropped = Map.copyOf(dropped);
        channelDropped = Map.copyOf(channelDropped);
    }

    /** The 0.1 form, without the address-list and channel figures. */
    public InstanceCounters(long advertsReceived, long advertsSent, long becameMaster, long releasedMaster,
            long priorityZeroReceived, long priorityZeroSent, Map<String, Long> dropped, long lateTimers) {
        this(advertsReceived, advertsSent, becameMaster, releasedMaster, priorityZeroReceived, priorityZeroSent,
                dropped, lateTimers, 0, Map.of());
    }

    public long droppedTotal() {
        return dropped.values().stream().mapToLong(Long::longValue).sum();
    }
}
