package org.vigil.config;

import java.math.BigDecimal;
import java.util.Map;
import java.util.Optional;

/**
 * The announcement settings an instance gets from global_defs and garp_group, as keepalived 2.2.7
 * copies them (checked with {@code keepalived -d} in the lab): an instance's own garp_master_* /
 * garp_lower_prio_* win; else the global vrrp_garp_* value; else, with vrrp_min_garp, one frame
 * and no second burst (garp_master_repeat 1, garp_master_delay 0); else keepalived's defaults
 * (the core's). The spacing of frames is the instance interface's garp_group garp_interval /
 * gna_interval, else the global vrrp_garp_interval / vrrp_gna_interval. garp_extra_if falls back to
 * the global vrrp_garp_extra_if.
 */
final class GarpDefaults {
    private GarpDefaults() {
    }

    static void apply(Map<String, Object> p, VrrpInstance vi, GlobalDefs global, NetworkBlocks network) {
        for (String keyword : ModelBuilder.GARP_KEYWORDS) {
            String key = Configurations.key(keyword);
            String globalValue = global.other().get("vrrp_" + keyword);
            Integer v = globalValue == null ? null : ModelBuilder.parseInt(globalValue.strip());
            if (!p.containsKey(key) && v != null && v >= 0) {
                p.put(key, v);
            }
        }
        String extra = global.other().get("vrrp_garp_extra_if");
        if (extra != null && !extra.isBlank()) {
            p.putIfAbsent(Configurations.key("garp_extra_if"), extra.strip());
        }
        if (global.flag("vrrp_min_garp")) {
            p.putIfAbsent(Configurations.key("garp_master_repeat"), 1);
            p.putIfAbsent(Configurations.key("garp_master_delay"), 0);
        }
        Optional<NetworkBlocks.GarpGroup> group = vi.interfaceName() == null ? Optional.empty()
                : network.garpGroupOf(vi.interfaceName());
        interval(p, "vrrp_garp_interval", group.map(NetworkBlocks.GarpGroup::garpInterval).orElse(null), global);
        interval(p, "vrrp_gna_interval", group.map(NetworkBlocks.GarpGroup::gnaInterval).orElse(null), global);
    }

    private static void interval(Map<String, Object> p, String keyword, BigDecimal fromGroup, GlobalDefs global) {
        BigDecimal v = fromGroup;
        if (v == null) {
            String g = global.other().get(keyword);
            v = g == null ? null : ModelBuilder.parseDecimal(g.strip());
        }
        if (v != null && v.signum() >= 0) {
            p.putIfAbsent(Configurations.key(keyword), v.stripTrailingZeros().toPlainString());
        }
    }
}
