package org.vigil.core.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.vigil.api.vrrp.InstanceState;
import org.vigil.api.vrrp.SyncGroupStatus;
import org.vigil.api.vrrp.TransitionEvent;

/**
 * vrrp_sync_group (keepalived-behaviour.md a.3): members move together (one MASTER, all MASTER;
 * one back to BACKUP, all back), one member unable to run holds them all in FAULT, and the group's
 * own transition is published once every member has reached the same state. Loop-confined.
 */
final class SyncGroups {
    private final Map<String, Group> groups = new LinkedHashMap<>();
    /** The engine's instances by name (the same map, read only here). */
    private final Map<String, InstanceRuntime> instances;
    private final Notifier notifier;
    /** Set while a transition is being passed on to the other members, so it is not passed on again. */
    private boolean propagating;

    SyncGroups(Map<String, InstanceRuntime> instances, Notifier notifier) {
        this.instances = instances;
        this.notifier = notifier;
    }

    Group put(String name, List<String> members, boolean trackingWeight, Tracks tracks) {
        Group group = new Group(name, members, trackingWeight, tracks);
        groups.put(name, group);
        return group;
    }

    Group remove(String name) {
        return groups.remove(name);
    }

    Group groupOf(String instanceName) {
        for (Group g : groups.values()) {
            if (g.memberNames.contains(instanceName)) {
                return g;
            }
        }
        return null;
    }

    /** Every group with the state it last published, ordered by name (management). */
    List<SyncGroupStatus> status() {
        return groups.values().stream().map(g -> new SyncGroupStatus(g.name, g.published, g.memberNames))
                .sorted(java.util.Comparator.comparing(SyncGroupStatus::name)).toList();
    }

    /** A member's transition: the others follow, and the group's state is published when settled. */
    void transitioned(InstanceRuntime rt, InstanceState from, InstanceState to, boolean stopping) {
        transitioned(rt, from, to, stopping, false);
    }

    /**
     * {@code stopping}: the member stopped (it is no longer among the instances); when it was the
     * last running member of its group and it was not deleted at a reload, the group reports its
     * stop (keepalived's group notify_stop and "Stopping" mail).
     */
    void transitioned(InstanceRuntime rt, InstanceState from, InstanceState to, boolean stopping, boolean deleted) {
        Group group = groupOf(rt.config.name());
        if (group == null) {
            return;
        }
        if (stopping) {
            boolean running = group.members(instances).stream().anyMatch(m -> m.machine.state() != InstanceState.INIT);
            if (!running && !deleted && group.published != InstanceState.INIT) {
                InstanceState before = group.published;
                group.published = InstanceState.INIT;
                notifier.publish(new TransitionEvent(TransitionEvent.Kind.GROUP, group.name, before, InstanceState.INIT,
                        0, true, Instant.now()));
            }
            return;
        }
        if (!propagating) {
            propagating = true;
            try {
                for (InstanceRuntime other : group.members(instances)) {
                    if (other == rt) {
                        continue;
                    }
                    if (to == InstanceState.MASTER) {
                        other.machine.followMaster();
                    } else if (to == InstanceState.BACKUP && from == InstanceState.MASTER) {
                        other.machine.followBackup();
                    }
                }
            } finally {
                propagating = false;
            }
        }
        publishIfSettled(group);
    }

    private void publishIfSettled(Group group) {
        List<InstanceRuntime> members = group.members(instances);
        if (members.isEmpty()) {
            return;
        }
        InstanceState common = members.get(0).machine.state();
        for (InstanceRuntime m : members) {
            if (m.machine.state() != common) {
                return;
            }
        }
        if (common != group.published) {
            InstanceState before = group.published;
            group.published = common;
            notifier.publish(new TransitionEvent(TransitionEvent.Kind.GROUP, group.name, before, common, 0, false,
                    Instant.now()));
        }
    }

    /** Recomputes FAULT conditions of the instance and, if grouped, of its whole group. */
    void applyConditions(InstanceRuntime rt) {
        Group group = groupOf(rt.config.name());
        if (group == null) {
            rt.machine.setConditions(rt.usable(), false);
            return;
        }
        boolean held = held(rt);
        for (InstanceRuntime m : group.members(instances)) {
            m.machine.setConditions(m.usable(), held);
        }
    }

    /** Whether any member of the instance's group cannot run (keepalived: one FAULT, all FAULT). */
    boolean held(InstanceRuntime rt) {
        Group group = groupOf(rt.config.name());
        if (group == null) {
            return false;
        }
        for (InstanceRuntime m : group.members(instances)) {
            if (!m.usable()) {
                return true;
            }
        }
        return false;
    }

    static final class Group {
        final String name;
        final List<String> memberNames;
        /** sync_group_tracking_weight: members keep their trackers' weights. */
        final boolean trackingWeight;
        final Tracks tracks;
        InstanceState published = InstanceState.INIT;

        Group(String name, List<String> memberNames, boolean trackingWeight, Tracks tracks) {
            this.name = Objects.requireNonNull(name);
            this.memberNames = List.copyOf(memberNames);
            this.trackingWeight = trackingWeight;
            this.tracks = tracks == null ? Tracks.NONE : tracks;
        }

        List<InstanceRuntime> members(Map<String, InstanceRuntime> instances) {
            List<InstanceRuntime> out = new ArrayList<>();
            for (String n : memberNames) {
                InstanceRuntime rt = instances.get(n);
                if (rt != null) {
                    out.add(rt);
                }
            }
            return out;
        }
    }
}
