package org.vigil.metrics.internal;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToLongFunction;

import org.vigil.api.metrics.MetricWriter;
import org.vigil.api.metrics.MetricWriter.Type;
import org.vigil.api.vrrp.InstanceCounters;
import org.vigil.api.vrrp.InstanceState;
import org.vigil.api.vrrp.InstanceStatus;

/**
 * The VRRP families: mehdy/keepalived-exporter's names and labels, so its dashboards and alerts
 * work unchanged, then Vigil's own. keepalived's stats map onto Vigil's receive drops as below;
 * Vigil counts an unknown authentication type as a mismatch, so
 * {@code keepalived_authentication_invalid_total} stays 0.
 */
final class VrrpMetrics {
    private VrrpMetrics() {
    }

    /** keepalived's numbering of states in its JSON dump, which the exporter publishes. */
    static int keepalivedState(InstanceState s) {
        return switch (s) {
            case INIT -> 0;
            case BACKUP -> 1;
            case MASTER -> 2;
            case FAULT -> 3;
        };
    }

    static void collect(List<InstanceStatus> instances, MetricWriter out) {
        out.family("keepalived_up", Type.GAUGE, "Status of the VRRP service: 1 running");
        out.sample(1);
        out.family("keepalived_vrrp_state", Type.GAUGE,
                "State of the VRRP instance per virtual address: 0 INIT, 1 BACKUP, 2 MASTER, 3 FAULT");
        for (InstanceStatus i : instances) {
            for (String vip : i.virtualAddresses()) {
                out.sample(keepalivedState(i.state()), "iname", i.name(), "intf", i.interfaceName(), "vrid",
                        Integer.toString(i.vrid()), "ip_address", vip);
            }
        }
        counter(out, instances, "keepalived_advertisements_received_total", "Advertisements received",
                InstanceCounters::advertsReceived);
        counter(out, instances, "keepalived_advertisements_sent_total", "Advertisements sent",
                InstanceCounters::advertsSent);
        counter(out, instances, "keepalived_become_master_total", "Times the instance became master",
                InstanceCounters::becameMaster);
        counter(out, instances, "keepalived_release_master_total", "Times the instance released master",
                InstanceCounters::releasedMaster);
        counter(out, instances, "keepalived_packet_length_errors_total", "Packets with a bad length",
                c -> drops(c, "BAD_LENGTH") + drops(c, "TRUNCATED"));
        counter(out, instances, "keepalived_authentication_invalid_total", "Packets with an invalid authentication type",
                c -> 0);
        counter(out, instances, "keepalived_authentication_mismatch_total",
                "Packets with an authentication type other than the instance's", c -> drops(c, "AUTH_TYPE_MISMATCH"));
        counter(out, instances, "keepalived_authentication_failure_total", "Packets that failed authentication",
                c -> drops(c, "AUTH_FAILED"));
        counter(out, instances, "keepalived_priority_zero_received_total", "Priority 0 advertisements received",
                InstanceCounters::priorityZeroReceived);
        counter(out, instances, "keepalived_priority_zero_sent_total", "Priority 0 advertisements sent",
                InstanceCounters::priorityZeroSent);

        out.family("vigil_vrrp_priority", Type.GAUGE, "Effective priority (after tracking)");
        instances.forEach(i -> out.sample(i.effectivePriority(), labels(i)));
        out.family("vigil_vrrp_base_priority", Type.GAUGE, "Configured priority");
        instances.forEach(i -> out.sample(i.basePriority(), labels(i)));
        out.family("vigil_vrrp_addresses_held", Type.GAUGE, "Virtual addresses this router holds now");
        instances.forEach(i -> out.sample(i.heldAddresses().size(), labels(i)));
        counter(out, instances, "vigil_vrrp_late_timers_total", "Timers that ran later than the warning threshold",
                InstanceCounters::lateTimers);
        out.family("vigil_vrrp_dropped_total", Type.COUNTER, "Packets for the instance dropped, by reason");
        for (InstanceStatus i : instances) {
            for (Map.Entry<String, Long> e : new TreeMap<>(i.counters().dropped()).entrySet()) {
                out.sample(e.getValue(), "iname", i.name(), "intf", i.interfaceName(), "vrid",
                        Integer.toString(i.vrid()), "reason", e.getKey());
            }
        }
    }

    private static long drops(InstanceCounters c, String reason) {
        return c.dropped().getOrDefault(reason, 0L);
    }

    private static String[] labels(InstanceStatus i) {
        return new String[] { "iname", i.name(), "intf", i.interfaceName(), "vrid", Integer.toString(i.vrid()) };
    }

    private static void counter(MetricWriter out, List<InstanceStatus> instances, String name, String help,
            ToLongFunction<InstanceCounters> value) {
        out.family(name, Type.COUNTER, help);
        instances.forEach(i -> out.sample(value.applyAsLong(i.counters()), labels(i)));
    }
}
