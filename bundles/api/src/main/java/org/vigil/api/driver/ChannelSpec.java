package org.vigil.api.driver;

import java.net.InetAddress;
import java.util.List;

import org.vigil.api.vrrp.IpFamily;

/**
 * What a channel carries.
 *
 * @param interfaceName the interface to send and receive on
 * @param family address family
 * @param protocol IP protocol number: 112 (VRRP) or 51 (AH)
 * @param group the multicast group (224.0.0.18, ff02::12 by default), null in unicast mode
 * @param unicastPeers the peers in unicast mode, empty for multicast
 * @param source the source address to send from; null for the interface's primary address
 */
public record ChannelSpec(String interfaceName, IpFamily family, int protocol, InetAddress group,
        List<InetAddress> unicastPeers, InetAddress source) {

    public ChannelSpec {
        unicastPeers = List.copyOf(unicastPeers);
    }

    public boolean unicast() {
        return group == null;
    }
}
