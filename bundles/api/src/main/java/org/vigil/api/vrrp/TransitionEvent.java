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
 * @param deleted true when the instance left because its configuration was deleted at a reload:
 *        keepalived then notifies FAULT ({@code to} is FAULT), or DELETED where notify_deleted is
 *        configured, and never STOP (0.5.0)
 */
public record TransitionEvent(Kind kind, String name, InstanceState from, InstanceState to,
        int effectivePriority, boolean stopping, Instant time, boolean deleted) {

    public enum Kind { INSTANCE, GROUP }

    /** A transition that is not a deletion. */
    public TransitionEvent(Kind kind, String name, InstanceState from, InstanceState to, int effectivePriority,
            boolean stopping, Instant time) {
        this(kind, name, from, to, effectivePriority, stopping, time, false);
    }
}
