package org.vigil.core.internal;

import java.util.ArrayList;
import java.util.List;

import org.vigil.api.vrrp.TrackEntry;

/**
 * An instance's or sync group's track_script, track_interface, track_file and track_process
 * entries, each read by {@link TrackEntry#parse}. A track_script or track_process without a
 * weight takes its block's; track_interface defaults to weight 0 (down means FAULT); track_file
 * names the file by its absolute path (the config bridge resolves a track_file block's name to its
 * file and weight) and defaults to weight 1.
 */
record Tracks(List<TrackEntry> scripts, List<TrackEntry> interfaces, List<TrackEntry> files,
        List<TrackEntry> processes) {
    static final Tracks NONE = new Tracks(List.of(), List.of(), List.of(), List.of());

    /**
     * keepalived's bounds: -253..253 for scripts and interfaces, -254..254 for processes and for a
     * file's entry in an instance; a track_file block's own weight may be any int (the bridge
     * writes it into the entry).
     */
    static final int MAX_WEIGHT = 253;
    static final int MAX_PROCESS_WEIGHT = 254;
    static final int MAX_FILE_WEIGHT = Integer.MAX_VALUE;

    Tracks {
        scripts = List.copyOf(scripts);
        interfaces = List.copyOf(interfaces);
        files = List.copyOf(files);
        processes = List.copyOf(processes);
    }

    Tracks(List<TrackEntry> scripts, List<TrackEntry> interfaces, List<TrackEntry> files) {
        this(scripts, interfaces, files, List.of());
    }

    boolean isEmpty() {
        return scripts.isEmpty() && interfaces.isEmpty() && files.isEmpty() && processes.isEmpty();
    }

    /** The four attributes of a typed configuration; errors name the attribute. */
    static Tracks of(String[] scripts, String[] interfaces, String[] files, String[] processes) {
        return new Tracks(entries(org.vigil.api.vrrp.ConfigurationPids.Instance.TRACK_SCRIPT, scripts, MAX_WEIGHT),
                entries(org.vigil.api.vrrp.ConfigurationPids.Instance.TRACK_INTERFACE, interfaces, MAX_WEIGHT),
                entries(org.vigil.api.vrrp.ConfigurationPids.Instance.TRACK_FILE, files, MAX_FILE_WEIGHT),
                entries(org.vigil.api.vrrp.ConfigurationPids.Instance.TRACK_PROCESS, processes, MAX_PROCESS_WEIGHT));
    }

    /** One attribute's entries (blank ones skipped); errors name the attribute. */
    static List<TrackEntry> entries(String key, String[] lines, int maxWeight) {
        List<TrackEntry> out = new ArrayList<>();
        for (String line : lines) {
            if (!line.isBlank()) {
                out.add(TypedAttributes.attribute(key, () -> TrackEntry.parse(line).checkWeight(maxWeight)));
            }
        }
        return out;
    }
}
