package org.vigil.api.vrrp;

import java.util.List;
import java.util.Objects;

/**
 * A snapshot of one vrrp_sync_group.
 *
 * @param name the group name (vrrp_sync_group NAME)
 * @param state the state the group last published: every member reached it (INIT until then)
 * @param members the member instance names as configured
 * @since 0.5.0
 */
public record SyncGroupStatus(String name, InstanceState state, List<String> members) {
    public SyncGroupStatus {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(state, "state");
        members = List.copyOf(members);
    }
}
