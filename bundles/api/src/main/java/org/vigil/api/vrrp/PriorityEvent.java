package org.vigil.api.vrrp;

import java.time.Instant;

/**
 * An instance event that is not a state change (keepalived's notify FIFO words): a master heard
 * a lower priority advert (notify_master_rx_lower_pri), or the effective priority of a master or
 * backup changed (notify_priority_changes). Delivered to {@link PriorityListener}s off the
 * election thread. (0.5.0)
 *
 * @param name the instance
 * @param kind what happened
 * @param effectivePriority the instance's effective priority after it
 * @param time when it happened
 */
public record PriorityEvent(String name, Kind kind, int effectivePriority, Instant time) {

    public enum Kind {
        /** A master received an advert with a lower priority than its own. */
        MASTER_RX_LOWER_PRI,
        /** The effective priority of a master changed. */
        MASTER_PRIORITY,
        /** The effective priority of a backup changed. */
        BACKUP_PRIORITY
    }
}
