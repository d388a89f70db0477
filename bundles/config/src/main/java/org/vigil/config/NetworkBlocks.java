package org.vigil.config;

import java.math.BigDecimal;
import java.util.List;

/**
 * The top-level blocks about the machine's network rather than one instance: static_routes and
 * static_rules (entries as written; each rule with a preference, keepalived's assigned one when
 * it had none) and the garp_group blocks. static_ipaddress is {@link KeepalivedModel#staticAddresses()}.
 */
public record NetworkBlocks(List<ConfigNode> staticRoutes, List<String> staticRules, List<GarpGroup> garpGroups) {

    public static final NetworkBlocks EMPTY = new NetworkBlocks(List.of(), List.of(), List.of());

    public NetworkBlocks {
        staticRoutes = List.copyOf(staticRoutes);
        staticRules = List.copyOf(staticRules);
        garpGroups = List.copyOf(garpGroups);
    }

    /**
     * One garp_group: the spacing of gratuitous ARPs and unsolicited NAs on its interfaces (null
     * when not given: the global vrrp_garp_interval / vrrp_gna_interval then apply).
     */
    public record GarpGroup(BigDecimal garpInterval, BigDecimal gnaInterval, List<String> interfaces, Origin origin) {
        public GarpGroup {
            interfaces = List.copyOf(interfaces);
        }
    }

    /** The garp_group naming {@code device}, if any. */
    public java.util.Optional<GarpGroup> garpGroupOf(String device) {
        return garpGroups.stream().filter(g -> g.interfaces().contains(device)).findFirst();
    }
}
