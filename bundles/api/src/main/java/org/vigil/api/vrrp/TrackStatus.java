package org.vigil.api.vrrp;

import java.util.Objects;

/**
 * One tracked object of an instance (track_script, track_interface, track_file), as management
 * sees it.
 *
 * @param kind what is tracked
 * @param name the script, interface or file name as configured
 * @param status the object's current verdict in keepalived's words: "up"/"down" for an
 *        interface, "good"/"bad" (or "init" before the first result) for a script, the number
 *        read for a file
 * @param weight the configured weight (0: FAULT while it fails)
 * @param reverse whether the weight applies reversed (keepalived's {@code reverse})
 * @param contribution what it adds to the effective priority now; for weight 0, 0
 * @param fault whether it holds the instance in FAULT now
 * @since 0.5.0
 */
public record TrackStatus(Kind kind, String name, String status, int weight, boolean reverse, int contribution,
        boolean fault) {

    public enum Kind { SCRIPT, INTERFACE, FILE, PROCESS }

    public TrackStatus {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(status, "status");
    }
}
