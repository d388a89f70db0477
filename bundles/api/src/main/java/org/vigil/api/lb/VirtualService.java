package org.vigil.api.lb;

import java.util.List;

/**
 * A virtual service as the kernel should hold it now.
 *
 * @param key                    identity
 * @param scheduler              lvs_sched: rr, wrr, lc, wlc, sh, mh, ... (keepalived's default wlc)
 * @param schedulerFlags         hashed, sh-port, sh-fallback, mh-port, mh-fallback, ops, flag-1..3
 * @param persistenceTimeout     seconds, 0 for none
 * @param persistenceGranularity netmask for persistence, or "" for the host
 * @param destinations           the live real servers, or the sorry server when none is
 *                               (sorry = true); empty: nothing to send to
 * @param sorry                  whether destinations is the sorry server
 */
public record VirtualService(ServiceKey key, String scheduler, List<String> schedulerFlags, long persistenceTimeout,
        String persistenceGranularity, List<Destination> destinations, boolean sorry) {

    public VirtualService {
        schedulerFlags = List.copyOf(schedulerFlags);
        destinations = List.copyOf(destinations);
    }
}
