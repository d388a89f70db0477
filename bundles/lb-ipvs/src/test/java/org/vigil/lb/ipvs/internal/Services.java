package org.vigil.lb.ipvs.internal;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.List;

import org.vigil.api.lb.Destination;
import org.vigil.api.lb.ServiceKey;
import org.vigil.api.lb.VirtualService;

/** Short builders for the tests' virtual services (the same shape as lb-nft's). */
final class Services {
    private Services() {
    }

    static InetAddress ip(String s) {
        try {
            return InetAddress.getByName(s);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(s, e);
        }
    }

    static ServiceKey key(String address, String protocol, int port) {
        return ServiceKey.of(ip(address), port, protocol);
    }

    static Destination rs(String address, int port, int weight) {
        return rs(address, port, weight, "NAT");
    }

    static Destination rs(String address, int port, int weight, String method) {
        return new Destination(new InetSocketAddress(ip(address), port), weight, method);
    }

    static VirtualService vs(ServiceKey key, String scheduler, Destination... dests) {
        return new VirtualService(key, scheduler, List.of(), 0, "", List.of(dests), false);
    }

    static VirtualService persistent(ServiceKey key, String scheduler, long timeout, String granularity,
            Destination... dests) {
        return new VirtualService(key, scheduler, List.of(), timeout, granularity, List.of(dests), false);
    }

    static VirtualService sorry(ServiceKey key, Destination sorry) {
        return new VirtualService(key, "wlc", List.of(), 0, "", List.of(sorry), true);
    }

    static VirtualService flags(VirtualService v, String... flags) {
        return new VirtualService(v.key(), v.scheduler(), List.of(flags), v.persistenceTimeout(),
                v.persistenceGranularity(), v.destinations(), v.sorry());
    }
}
