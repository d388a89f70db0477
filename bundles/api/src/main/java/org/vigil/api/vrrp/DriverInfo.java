package org.vigil.api.vrrp;

import java.util.Objects;

/**
 * One interface driver present in the framework, as management sees it.
 *
 * @param name the driver's name ("linux", "pcap", "sim")
 * @param ranking its service ranking; without a selected name the highest ranked one is used
 * @param active whether the election core uses it now
 */
public record DriverInfo(String name, int ranking, boolean active) {
    public DriverInfo {
        Objects.requireNonNull(name, "name");
    }
}
