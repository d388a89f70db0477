package org.vigil.vip.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.vigil.api.vip.VirtualInterface;
import org.vigil.api.vrrp.IpFamily;

/** The nft scripts: keepalived 2.2.7's rules as `nft list ruleset` showed them, in Vigil's own tables. */
class VmacFilterTest {

    @Test
    void ipv4RedirectsIgmpOfMacvlansToTheirParent() {
        String s = VmacFilter.addScript(VirtualInterface.vmac("lan0", 51, IpFamily.IPV4, null, false));
        assertThat(s.lines()).containsExactly("add table ip vigil",
                "add map ip vigil vmac_map { type iface_index : iface_index ; }",
                "add chain ip vigil out { type filter hook output priority filter - 1 ; policy accept ; }",
                "flush chain ip vigil out",
                "add rule ip vigil out ip protocol igmp meta oifkind \"macvlan\" dup to ip daddr device oif map @vmac_map drop",
                "add element ip vigil vmac_map { \"vrrp.51\" : \"lan0\" }");
        assertThat(VmacFilter.removeScript(VirtualInterface.vmac("lan0", 51, IpFamily.IPV4, null, false)))
                .isEqualTo("delete element ip vigil vmac_map { \"vrrp.51\" }\n");
    }

    @Test
    void ipv6RedirectsMldAndDropsRouterSolicitations() {
        String s = VmacFilter.addScript(VirtualInterface.vmac("lan0", 61, IpFamily.IPV6, null, false));
        assertThat(s).contains("add set ip6 vigil vmac_set { type iface_index ; }",
                "icmpv6 type mld2-listener-report meta oifkind \"macvlan\" dup to ip6 daddr device oif map @vmac_map drop",
                "icmpv6 type nd-router-solicit meta oifkind \"macvlan\" oif @vmac_set drop",
                "add element ip6 vigil vmac_set { \"vrrp.61\" }");
    }
}
