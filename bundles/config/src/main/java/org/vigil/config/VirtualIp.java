package org.vigil.config;

import java.net.InetAddress;
import java.util.List;

import org.vigil.api.vrrp.IpFamily;

/**
 * A virtual_ipaddress (or _excluded) entry: the address, its prefix length (-1 when none was
 * written) and the entry as written, options included ("192.0.2.249/24 dev lan0 label lan0:1").
 */
public record VirtualIp(InetAddress address, int prefixLength, List<String> options, String text, Origin origin) {

    public VirtualIp {
        options = List.copyOf(options);
    }

    public IpFamily family() {
        return IpFamily.of(address);
    }
}
