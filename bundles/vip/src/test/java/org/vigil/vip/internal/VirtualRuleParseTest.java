package org.vigil.vip.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.vigil.vip.internal.RtnlTest.ip;

import org.junit.jupiter.api.Test;
import org.vigil.api.vip.VirtualRoute;
import org.vigil.api.vip.VirtualRule;

/** keepalived's virtual_rules / static_rules syntax (keepalived.conf(5), ip-rule(8)), as VirtualRule parses it. */
class VirtualRuleParseTest {

    @Test
    void theManPageExampleIsReadWordForWord() {
        VirtualRule r = VirtualRule.parse("from 192.168.28.0/24 to 192.168.29.0/26 table small iif p33p1 oif wlan0 "
                .replace("small", "6909") + "tos 22 fwmark 24/12 preference 39 realms 30/20");
        assertThat(r.from()).isEqualTo(ip("192.168.28.0"));
        assertThat(r.fromLength()).isEqualTo(24);
        assertThat(r.to()).isEqualTo(ip("192.168.29.0"));
        assertThat(r.toLength()).isEqualTo(26);
        assertThat(r.table()).isEqualTo(6909);
        assertThat(r.iif()).isEqualTo("p33p1");
        assertThat(r.oif()).isEqualTo("wlan0");
        assertThat(r.tos()).isEqualTo(22);
        assertThat(r.fwmark()).isEqualTo(24);
        assertThat(r.fwmask()).isEqualTo(12);
        assertThat(r.preference()).isEqualTo(39);
        assertThat(r.realms()).isEqualTo(30L << 16 | 20);
        assertThat(r.protocol()).isEqualTo(VirtualRoute.PROTOCOL_KEEPALIVED);
        assertThat(r.inet6()).isFalse();
    }

    @Test
    void familyDefaultsToIpv4AndFollowsTheAddressesOrInet6() {
        assertThat(VirtualRule.parse("fwmark 7 table 1").inet6()).isFalse();
        assertThat(VirtualRule.parse("inet6 fwmark 7 table 1").inet6()).isTrue();
        VirtualRule v6 = VirtualRule.parse("to 1:2:3:4:6:6:7:0/112 from 8:6:5:4:3:2::/96 l3mdev protocol 12 "
                + "ip_proto UDP sport 10-20 dport 20-30");
        assertThat(v6.inet6()).isTrue();
        assertThat(v6.l3mdev()).isTrue();
        assertThat(v6.protocol()).isEqualTo(12);
        assertThat(v6.ipProto()).isEqualTo(17);
        assertThat(v6.sport()).isEqualTo("10-20");
        assertThat(VirtualRule.parse("from 192.0.2.0/24 table main").table()).isEqualTo(254);
        assertThat(VirtualRule.parse("from 192.0.2.0/24").table()).as("ip rule's default").isEqualTo(254);
    }

    @Test
    void badRulesAreRefusedWithTheReason() {
        assertThatThrownBy(() -> VirtualRule.parse("to 192.168.100./24 table 1")).hasMessageContaining("not an IP address");
        assertThatThrownBy(() -> VirtualRule.parse("from 192.0.2.0/24 to 2001:db8::/32")).hasMessageContaining("mixes");
        assertThatThrownBy(() -> VirtualRule.parse("from 192.0.2.0/24 frobnicate")).hasMessageContaining("frobnicate");
        assertThatThrownBy(() -> VirtualRule.parse("pref")).hasMessageContaining("needs a value");
        assertThatThrownBy(() -> VirtualRule.parse("sport 70000")).hasMessageContaining("sport");
    }

    @Test
    void aRuleWithoutPreferenceCanBeGivenOne() {
        VirtualRule r = VirtualRule.parse("from 192.0.2.0/24 table 2");
        assertThat(r.preference()).isEqualTo(-1);
        assertThat(r.withPreference(16384).preference()).isEqualTo(16384);
        assertThat(r.withPreference(16384).toString()).isEqualTo("from 192.0.2.0/24 priority 16384 lookup 2");
    }
}
