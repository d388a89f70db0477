package org.vigil.api.vrrp;

import java.time.Instant;
import java.util.List;

/**
 * A snapshot of one VRRP instance, taken on the election thread.
 *
 * @param name the instance name (vrrp_instance NAME)
 * @param state the current state
 * @param vrid the virtual router id
 * @param family address family
 * @param version VRRP version, 2 or 3
 * @param interfaceName the interface the instance runs on
 * @param basePriority the configured priority
 * @param effectivePriority the priority after tracking adjustments
 * @param masterAddress the primary address of the current master, ours when we are master; null when unknown
 * @param advertIntervalCs the configured advertisement interval in centiseconds
 * @param masterAdverIntervalCs the interval learned from the master (v3) in centiseconds
 * @param skewMicros the current skew time in microseconds
 * @param masterDownMicros the current master down interval in microseconds
 * @param preempt whether a higher priority backup preempts a lower master
 * @param preemptDelayMillis preempt_delay in milliseconds
 * @param virtualAddresses the virtual addresses as configured (address/prefix)
 * @param heldAddresses the virtual addresses currently held on this router
 * @param counters counters since start
 * @param enteredState when the current state was entered
 */
public record InstanceStatus(String name, InstanceState state, int vrid, IpFamily family, int version,
        String interfaceName, int basePriority, int effectivePriority, String masterAddress,
        int advertIntervalCs, int masterAdverIntervalCs, long skewMicros, long masterDownMicros,
        boolean preempt, long preemptDelayMillis, List<String> virtualAddresses,
        List<String> heldAddresses, InstanceCounters counters, Instant enteredState) {

    public InstanceStatus {
        virtualAddresses = List.copyOf(virtualAddresses);
        heldAddresses = List.copyOf(heldAddresses);
    }
}
