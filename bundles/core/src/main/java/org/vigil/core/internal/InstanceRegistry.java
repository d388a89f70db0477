package org.vigil.core.internal;

import java.util.List;

/** How configuration components hand instances and sync groups to the core (internal service). */
public interface InstanceRegistry {

    void addInstance(InstanceConfig config);

    /**
     * Applies a changed configuration: same identity (VRID, family, interface) keeps state, timers
     * and counters; another identity means remove and add.
     */
    void updateInstance(String previousName, InstanceConfig config);

    /** Stops (priority 0 from a master) and forgets the instance; returns when done or timed out. */
    void removeInstance(String name);

    /** As {@link #removeInstance(String)}; {@code deleted}: its configuration was deleted (a reload). */
    default void removeInstance(String name, boolean deleted) {
        removeInstance(name);
    }

    void addSyncGroup(String name, List<String> members);

    /**
     * With sync_group_tracking_weight (the members' trackers keep their weights) and the group's own
     * track_* entries, which every member tracks.
     */
    void addSyncGroup(String name, List<String> members, boolean trackingWeight, Tracks tracks);

    void removeSyncGroup(String name);

    /** A vrrp_script added or changed (a changed script starts over). */
    void addScript(ScriptSpec spec);

    void removeScript(String name);

    /** A vrrp_track_process added or changed. */
    void addTrackedProcess(ProcessSpec spec);

    void removeTrackedProcess(String name);

    /** global_defs enable_script_security and script_user (null when unset). */
    void scriptSecurity(boolean enabled, org.vigil.script.RunAs scriptUser);

    /** global_defs vrrp_rt_priority, vrrp_priority, vrrp_no_swap, vrrp_rlimit_rttime for the election thread. */
    default void scheduling(SchedulingSettings settings) {
    }
}
