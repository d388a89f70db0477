package org.vigil.api.lb;

import java.net.InetSocketAddress;

/**
 * One real server in a service's pool.
 *
 * @param address the real server
 * @param weight  0 (inhibited: kept, given no new connections) or more
 * @param method  forwarding: "NAT", "DR" or "TUN" (lvs_method, per real server or the service's)
 */
public record Destination(InetSocketAddress address, int weight, String method) {
}
