package org.vigil.config;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Map;
import java.util.Optional;

import org.vigil.api.vrrp.ConfigurationPids.Instance;

/**
 * An instance's announcement settings as the typed attributes of its configuration (delays in
 * milliseconds, frame spacing in microseconds), with what it gets from global_defs and garp_group
 * as keepalived 2.2.7 copies them (checked with {@code keepalived -d} in the lab): an instance's
 * own garp_master_* / garp_lower_prio_* win; else the global vrrp_garp_* value; else, with
 * vrrp_min_garp, one frame and no second burst (garp_master_repeat 1, garp_master_delay 0); else
 * keepalived's defaults (the core's: the keys are left out). The spacing of frames is the
 * instance interface's garp_group garp_interval / gna_interval, else the global
 * vrrp_garp_interval / vrrp_gna_interval. garp_extra_if falls back to the global
 * vrrp_garp_extra_if.
 */
final class GarpDefaults {
    private GarpDefaults() {
    }

    /** keepalived's keyword (seconds or a count) and the typed key it becomes. */
    private record Keyword(String keyword, String key, boolean seconds) {
    }

    private static final Keyword[] KEYWORDS = {
        new Keyword("garp_master_delay", Instance.GARP_MASTER_DELAY_MS, true),
        new Keyword("garp_master_repeat", "garp.master.repeat", false),
        new Keyword("garp_master_refresh", Instance.GARP_MASTER_REFRESH_MS, true),
        new Keyword("garp_master_refresh_repeat", "garp.master.refresh.repeat", false),
        new Keyword("garp_lower_prio_delay", Instance.GARP_LOWER_PRIO_DELAY_MS, true),
        new Keyword("garp_lower_prio_repeat", "garp.lower.prio.repeat", false),
    };

    static void apply(Map<String, Object> p, VrrpInstance vi, GlobalDefs global, NetworkBlocks network) {
        boolean minGarp = global.flag("vrrp_min_garp");
        for (Keyword k : KEYWORDS) {
            Integer v = vi.garp().get(k.keyword());
            if (v == null) {
                String g = global.other().get("vrrp_" + k.keyword());
                Integer fromGlobal = g == null ? null : ModelBuilder.parseInt(g.strip());
                v = fromGlobal != null && fromGlobal >= 0 ? fromGlobal : null;
            }
            if (v == null && minGarp) {
                v = k.keyword().equals("garp_master_repeat") ? Integer.valueOf(1)
                        : k.keyword().equals("garp_master_delay") ? Integer.valueOf(0) : null;
            }
            if (v != null) {
                p.put(k.key(), k.seconds() ? (Object) (v * 1000L) : (Object) v);
            }
        }
        String extra = vi.extra().stream().filter(n -> n.keyword().equals("garp_extra_if"))
                .map(n -> String.join(" ", n.args())).reduce((a, b) -> b).orElse(null);
        if (extra == null || extra.isBlank()) {
            extra = global.other().get("vrrp_garp_extra_if");
        }
        if (extra != null && !extra.isBlank()) {
            extraInterfaces(p, extra);
        }
        Optional<NetworkBlocks.GarpGroup> group = vi.interfaceName() == null ? Optional.empty()
                : network.garpGroupOf(vi.interfaceName());
        interval(p, Instance.GARP_INTERVAL_US, "vrrp_garp_interval",
                group.map(NetworkBlocks.GarpGroup::garpInterval).orElse(null), global);
        interval(p, Instance.GNA_INTERVAL_US, "vrrp_gna_interval",
                group.map(NetworkBlocks.GarpGroup::gnaInterval).orElse(null), global);
    }

    /** {@code garp_extra_if [all] SECONDS}: the delay in milliseconds, and whether all interfaces. */
    private static void extraInterfaces(Map<String, Object> p, String words) {
        boolean all = false;
        long ms = 0;
        for (String w : words.trim().split("\\s+")) {
            BigDecimal seconds = ModelBuilder.parseDecimal(w);
            if (w.equalsIgnoreCase("all")) {
                all = true;
            } else if (seconds != null) {
                ms = seconds.movePointRight(3).setScale(0, RoundingMode.HALF_UP).longValue();
            }
        }
        p.put(Instance.GARP_EXTRA_IF_MS, ms);
        p.put(Instance.GARP_EXTRA_IF_ALL, all);
    }

    private static void interval(Map<String, Object> p, String key, String keyword, BigDecimal fromGroup,
            GlobalDefs global) {
        BigDecimal v = fromGroup;
        if (v == null) {
            String g = global.other().get(keyword);
            v = g == null ? null : ModelBuilder.parseDecimal(g.strip());
        }
        if (v != null && v.signum() >= 0) {
            p.put(key, v.movePointRight(6).setScale(0, RoundingMode.HALF_UP).longValue());
        }
    }
}
