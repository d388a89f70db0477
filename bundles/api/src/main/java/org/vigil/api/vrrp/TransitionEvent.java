package org.vigil.api.vrrp;

import java.time.Instant;

/**
 * A state change of an instance or of a sync group, delivered to {@link TransitionListener}s off
 * the election thread.
 *
 * @param kind whether an instance or a sync group changed
 * @param name the instance or group name
 * @param from the previous state
 * @param to the new state
 * @param effectivePriority the instance's effective priority (0 for groups, as keepalived passes)
 * @param stopping true when the change is the instance stopping (keepalived's STOP notification)
 * @param time when it happened
 */
public record TransitionEvent(Kind kind, String name, InstanceState from, InstanceState to,
        int effectivePriority, boolean stopping, Instant time) {

    public enum Kind { INSTANCE, GROUP }
}
