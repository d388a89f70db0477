package org.vigil.api.vrrp;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Whiteboard: notifiers register this service to hear {@link PriorityEvent}s, on the same
 * notification thread as transitions (so each listener sees them in order with those), never on
 * the election thread. (0.5.0)
 */
@ConsumerType
public interface PriorityListener {
    void priorityEvent(PriorityEvent event);
}
