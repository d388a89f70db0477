package org.vigil.metrics.internal;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToLongFunction;

import org.vigil.api.metrics.MetricWriter;
import org.vigil.api.metrics.MetricWriter.Type;
import org.vigil.api.vrrp.InstanceStatus;
import org.vigil.api.vrrp.KeepalivedStats;

/**
 * The VRRP families: mehdy/keepalived-exporter's names and labels, so its dashboards and alerts
 * work unchanged, then Vigil's own; keepalived's counters come from {@link KeepalivedStats}.
 */
final class VrrpMetrics {
    private VrrpMetrics() {
    }

    static void collect(List<InstanceStatus> instances, MetricWriter out) {
        out.family("keepalived_up", Type.GAUGE, "Status of the VRRP service: 1 running");
        out.sample(1);
        out.family("keepalived_vrrp_state", Type.GAUGE,
                "State of the VRRP instance per virtual address: 0 INIT, 1 BACKUP, 2 MASTER, 3 FAULT");
        for (InstanceStatus i : instances) {
            for (String vip : i.virtualAddresses()) {
                out.sample(KeepalivedStats.stateNumber(i.state()), "iname", i.name(), "intf", i.interfaceName(), "vrid",
                        Integer.toString(i.vrid()), "ip_address", vip);
            }
        }
        // each instance's labels and keepalived counters once, not once per family
        int n = instances.size();
        String[][] labels = new String[n][];
        KeepalivedStats[] stats = new KeepalivedStats[n];
        for (int k = 0; k < n; k++) {
            labels[k] = labels(instances.get(k));
            stats[k] = KeepalivedStats.of(instances.get(k).counters());
        }
        counter(out, stats, labels, "keepalived_advertisements_received_total", "Advertisements received",
                KeepalivedStats::advertRcvd);
        counter(out, stats, labels, "keepalived_advertisements_sent_total", "Advertisements sent",
                KeepalivedStats::advertSent);
        counter(out, stats, labels, "keepalived_become_master_total", "Times the instance became master",
                KeepalivedStats::becomeMaster);
        counter(out, stats, labels, "keepalived_release_master_total", "Times the instance released master",
                KeepalivedStats::releaseMaster);
        counter(out, stats, labels, "keepalived_packet_length_errors_total", "Packets with a bad length",
                KeepalivedStats::packetLenErr);
        counter(out, stats, labels, "keepalived_authentication_invalid_total",
                "Packets with an invalid authentication type", KeepalivedStats::invalidAuthtype);
        counter(out, stats, labels, "keepalived_authentication_mismatch_total",
                "Packets with an authentication type other than the instance's", KeepalivedStats::authtypeMismatch);
        counter(out, stats, labels, "keepalived_authentication_failure_total", "Packets that failed authentication",
                KeepalivedStats::authFailure);
        counter(out, stats, labels, "keepalived_priority_zero_received_total", "Priority 0 advertisements received",
                KeepalivedStats::priZeroRcvd);
        counter(out, stats, labels, "keepalived_priority_zero_sent_total", "Priority 0 advertisements sent",
                KeepalivedStats::priZeroSent);

        out.family("vigil_vrrp_priority", Type.GAUGE, "Effective priority (after tracking)");
        for (int k = 0; k < n; k++) {
            out.sample(instances.get(k).effectivePriority(), labels[k]);
        }
        out.family("vigil_vrrp_base_priority", Type.GAUGE, "Configured priority");
        for (int k = 0; k < n; k++) {
            out.sample(instances.get(k).basePriority(), labels[k]);
        }
        out.family("vigil_vrrp_addresses_held", Type.GAUGE, "Virtual addresses this router holds now");
        for (int k = 0; k < n; k++) {
            out.sample(instances.get(k).heldAddresses().size(), labels[k]);
        }
        out.family("vigil_vrrp_late_timers_total", Type.COUNTER, "Timers that ran later than the warning threshold");
        for (int k = 0; k < n; k++) {
            out.sample(instances.get(k).counters().lateTimers(), labels[k]);
        }
        out.family("vigil_vrrp_dropped_total", Type.COUNTER, "Packets for the instance dropped, by reason");
        for (InstanceStatus i : instances) {
            if (i.counters().dropped().isEmpty()) {
                continue;
            }
            for (Map.Entry<String, Long> e : new TreeMap<>(i.counters().dropped()).entrySet()) {
                out.sample(e.getValue(), "iname", i.name(), "intf", i.interfaceName(), "vrid",
                        Integer.toString(i.vrid()), "reason", e.getKey());
            }
        }
    }

    private static String[] labels(InstanceStatus i) {
        return new String[] { "iname", i.name(), "intf", i.interfaceName(), "vrid", Integer.toString(i.vrid()) };
    }

    private static void counter(MetricWriter out, KeepalivedStats[] stats, String[][] labels, String name, String help,
            ToLongFunction<KeepalivedStats> value) {
        out.family(name, Type.COUNTER, help);
        for (int k = 0; k < stats.length; k++) {
            out.sample(value.applyAsLong(stats[k]), labels[k]);
        }
    }
}
