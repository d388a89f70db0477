package org.vigil.config;

import java.util.List;

/**
 * virtual_server_group: its address ranges and firewall marks, normalised.
 *
 * @param name      the group name
 * @param addresses each entry "FIRST-LAST PORT" (a single address has FIRST = LAST; a CIDR block
 *                  or a last-octet range is expanded to its first and last address; PORT 0 when
 *                  none was written), e.g. "192.0.2.1-192.0.2.10 80"
 * @param fwmarks   each entry "MARK" or "MARK inet" / "MARK inet6"
 * @param origin    where the group starts
 */
public record VirtualServerGroup(String name, List<String> addresses, List<String> fwmarks, Origin origin) {

    public VirtualServerGroup {
        addresses = List.copyOf(addresses);
        fwmarks = List.copyOf(fwmarks);
    }
}
