package org.vigil.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * vrrp_sync_group. {@code notifies} is keyed by keyword (notify_master, notify, ...), {@code tracks}
 * by keyword (track_interface, track_script, ...) with the entries as written.
 */
public record VrrpSyncGroup(String name, Origin origin, List<String> group, Map<String, NotifyScript> notifies,
        Boolean smtpAlert, Map<String, List<String>> tracks, List<ConfigNode> extra) {

    public VrrpSyncGroup {
        group = List.copyOf(group);
        notifies = Collections.unmodifiableMap(new LinkedHashMap<>(notifies));
        tracks = Collections.unmodifiableMap(new LinkedHashMap<>(tracks));
        extra = List.copyOf(extra);
    }
}
