package org.vigil.checker.internal;

import java.util.List;

/**
 * One virtual_server_group as the bridge writes it: {@code addresses} "FIRST-LAST port" (a
 * single address is FIRST-FIRST; keepalived's a.b.c.d-e and CIDR forms already expanded to their
 * ends), {@code fwmarks} "mark [inet|inet6]". Used to give a load-balancer driver one service per
 * address.
 */
record GroupSettings(String name, List<String> addresses, List<String> fwmarks) {
    GroupSettings {
        addresses = List.copyOf(addresses);
        fwmarks = List.copyOf(fwmarks);
    }
}
