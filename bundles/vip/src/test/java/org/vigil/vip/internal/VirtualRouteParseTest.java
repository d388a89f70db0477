package org.vigil.vip.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.vigil.vip.internal.RtnlTest.ip;

import org.junit.jupiter.api.Test;
import org.vigil.api.vip.VirtualRoute;

/** keepalived's virtual_routes syntax, as org.vigil.api.vip.VirtualRoute parses it. */
class VirtualRouteParseTest {

    @Test
    void everyKeywordItCarries() {
        VirtualRoute r = VirtualRoute.parse("src 192.0.2.249 to 198.51.100.0/24 via 192.0.2.1 dev lan1 scope link "
                + "table 100 metric 5 no_track protocol bird onlink", "lan0");
        assertThat(r).isEqualTo(new VirtualRoute(ip("198.51.100.0"), 24, ip("192.0.2.1"), "lan1", ip("192.0.2.249"),
                100, "link", 5, VirtualRoute.UNICAST, 12, true, true));
        assertThat(VirtualRoute.parse("198.51.100.0/24 via 192.0.2.1", "lan0")).as("the record of Vigil 0.2")
                .isEqualTo(new VirtualRoute(ip("198.51.100.0"), 24, ip("192.0.2.1"), null, null, 254, null, 0, false));
    }

    @Test
    void routeTypesWithoutNextHopAndIpv6Default() {
        for (String type : new String[] {"unreachable", "prohibit", "throw", "blackhole"}) {
            VirtualRoute r = VirtualRoute.parse(type + " 198.51.100.0/24 table 7", "lan0");
            assertThat(r.type()).isEqualTo(type);
            assertThat(r.withoutNextHop()).isTrue();
            assertThat(r.device()).as("no default device for a " + type + " route").isNull();
            assertThat(r.toString()).isEqualTo(type + " 198.51.100.0/24 table 7");
        }
        assertThat(VirtualRoute.parse("default dev lan0 inet6", "lan0").cidr()).isEqualTo("0:0:0:0:0:0:0:0/0");
        assertThat(VirtualRoute.parse("198.51.100.0/24 dev lan0 proto 99", "lan0").protocol()).isEqualTo(99);
    }

    @Test
    void defaultsAndShortForms() {
        VirtualRoute direct = VirtualRoute.parse("203.0.113.0/24", "lan0");
        assertThat(direct.device()).as("no gateway: the instance's interface").isEqualTo("lan0");
        assertThat(direct.table()).isEqualTo(VirtualRoute.MAIN_TABLE);
        VirtualRoute viaGw = VirtualRoute.parse("default gw 192.0.2.1", "lan0");
        assertThat(viaGw.cidr()).isEqualTo("0.0.0.0/0");
        assertThat(viaGw.device()).as("the gateway finds the device").isNull();
        assertThat(VirtualRoute.parse("default via 2001:db8::1", "lan0").cidr()).isEqualTo("0:0:0:0:0:0:0:0/0");
        assertThat(VirtualRoute.parse("192.0.2.7 table main", "lan0").prefixLength()).isEqualTo(32);
        VirtualRoute hole = VirtualRoute.parse("blackhole 198.51.100.0/24", "lan0");
        assertThat(hole.blackhole()).isTrue();
        assertThat(hole.device()).isNull();
    }

    @Test
    void badEntriesAreRefusedWithTheReason() {
        assertThatThrownBy(() -> VirtualRoute.parse("via 192.0.2.1", "lan0")).hasMessageContaining("destination");
        assertThatThrownBy(() -> VirtualRoute.parse("198.51.100.0/33", "lan0")).hasMessageContaining("prefix");
        assertThatThrownBy(() -> VirtualRoute.parse("www.example.com/24", "lan0")).hasMessageContaining("IP address");
        assertThatThrownBy(() -> VirtualRoute.parse("198.51.100.0/24 via 2001:db8::1", "lan0"))
                .hasMessageContaining("family");
        assertThatThrownBy(() -> VirtualRoute.parse("198.51.100.0/24 table", "lan0")).hasMessageContaining("value");
    }
}
