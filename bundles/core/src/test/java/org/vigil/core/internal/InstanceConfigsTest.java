package org.vigil.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.vigil.core.internal.TestConfigs.ip;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.vigil.api.auth.AuthKey;
import org.vigil.api.auth.AuthType;
import org.vigil.api.vip.AnnouncePolicy;
import org.vigil.api.vip.VirtualAddress;
import org.vigil.api.vrrp.IpFamily;

class InstanceConfigsTest {

    @Test
    void aFullVirtualIpaddressEntry() {
        VirtualAddress vip = VirtualAddress.parse("192.0.2.249/24 dev eth1 label eth1:1 scope global brd +",
                "eth0");
        assertThat(vip).isEqualTo(new VirtualAddress(ip("192.0.2.249"), 24, "eth1", "eth1:1", "global", "+", false));
    }

    @Test
    void defaultsAreTheInstanceInterfaceAndAHostPrefix() {
        assertThat(VirtualAddress.parse("192.0.2.249", "eth0"))
                .isEqualTo(new VirtualAddress(ip("192.0.2.249"), 32, "eth0", null, null, null, false));
        assertThat(VirtualAddress.parse("2001:db8::249 -nodad", "eth0"))
                .isEqualTo(new VirtualAddress(ip("2001:db8::249"), 128, "eth0", null, null, null, true));
    }

    @Test
    void flagsAndUnusedKeywordsAreSkipped() {
        VirtualAddress vip = VirtualAddress.parse("192.0.2.249/24 home peer 192.0.2.1 no_track dev eth0",
                "lan0");
        assertThat(vip.device()).isEqualTo("eth0");
    }

    @Test
    void badEntriesAreRejected() {
        assertThatThrownBy(() -> VirtualAddress.parse("192.0.2.249/33", "eth0"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> VirtualAddress.parse("www.example.com", "eth0"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> VirtualAddress.parse("192.0.2.249 dev", "eth0"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void configurationPropertiesBecomeAnInstance() {
        Map<String, Object> p = new HashMap<>();
        p.put("name", "VI_1");
        p.put("state", "MASTER");
        p.put("interface", "lan0");
        p.put("virtual.router.id", 51);
        p.put("priority", "150");
        p.put("advert.int.cs", 100);
        p.put("auth.type", "PASS");
        p.put("auth.pass", "lab51pw");
        p.put("virtual.ipaddress", new String[] { "192.0.2.249/24" });
        p.put("unicast.peer", List.of("192.0.2.12"));
        p.put("unicast.src.ip", "192.0.2.11");
        p.put("preempt.delay.ms", 5000L);

        InstanceConfig c = TypedConfigs.instance(p);
        assertThat(c.name()).isEqualTo("VI_1");
        assertThat(c.initialMaster()).isTrue();
        assertThat(c.interfaceName()).isEqualTo("lan0");
        assertThat(c.vrid()).isEqualTo(51);
        assertThat(c.priority()).isEqualTo(150);
        assertThat(c.version()).isEqualTo(2);
        assertThat(c.family()).isEqualTo(IpFamily.IPV4);
        assertThat(c.authType()).isEqualTo(AuthType.PASS);
        assertThat(c.authKey()).isEqualTo(AuthKey.of("lab51pw"));
        assertThat(c.virtualAddresses()).extracting(VirtualAddress::cidr).containsExactly("192.0.2.249/24");
        assertThat(c.virtualAddresses().get(0).device()).isEqualTo("lan0");
        assertThat(c.unicastPeers()).containsExactly(ip("192.0.2.12"));
        assertThat(c.unicastSource()).isEqualTo(ip("192.0.2.11"));
        assertThat(c.preempt()).isTrue();
        assertThat(c.preemptDelayMillis()).isEqualTo(5000);
        assertThat(c.toString()).doesNotContain("lab51pw");
    }

    @Test
    void routesExcludedAddressesAndTheGarpScheduleAreRead() {
        Map<String, Object> p = new HashMap<>();
        p.put("name", "VI_1");
        p.put("interface", "lan0");
        p.put("virtual.router.id", 51);
        p.put("virtual.ipaddress", new String[] { "192.0.2.249/24" });
        p.put("virtual.ipaddress.excluded", new String[] { "2001:db8::249/128 -nodad preferred_lft forever" });
        p.put("virtual.routes", new String[] { "src 192.0.2.249 198.51.100.0/24 via 192.0.2.1 table 100",
                "blackhole 203.0.113.0/24" });
        p.put("virtual.rules", new String[] { "from 192.0.2.249 table 100 preference 16384" });
        p.put("garp.master.delay.ms", 3_000L);
        p.put("garp.master.repeat", 2);
        p.put("garp.master.refresh.ms", 60_000L);
        p.put("garp.lower.prio.repeat", 1);
        p.put("vrrp.garp.interval.us", 1_000L);
        p.put("garp.extra.if.ms", 100_000L);
        p.put("garp.extra.if.all", true);

        InstanceConfig c = TypedConfigs.instance(p);
        assertThat(c.excludedAddresses()).singleElement().satisfies(v -> {
            assertThat(v.noDad()).isTrue();
            assertThat(v.effectivePreferredLifetime()).isEqualTo(VirtualAddress.FOREVER);
        });
        assertThat(c.virtualRoutes()).hasSize(2);
        assertThat(c.virtualRoutes().get(0).table()).isEqualTo(100);
        assertThat(c.virtualRoutes().get(1).blackhole()).isTrue();
        assertThat(c.virtualRules()).singleElement().satisfies(r -> {
            assertThat(r.table()).isEqualTo(100);
            assertThat(r.preference()).isEqualTo(16384);
            assertThat(r.fromLength()).isEqualTo(32);
        });
        assertThat(c.masterAnnounce()).isEqualTo(new AnnouncePolicy(Duration.ofSeconds(3), 2, Duration.ofSeconds(60), 1,
                Duration.ofMillis(1), Duration.ZERO, Duration.ofSeconds(100), true, c.interfaceName()));
        assertThat(c.lowerPrioAnnounce().delay()).isEqualTo(Duration.ofSeconds(3));
        assertThat(c.lowerPrioAnnounce().repeat()).isEqualTo(1);
        assertThat(c.lowerPrioAnnounce().refresh()).isZero();
    }

    @Test
    void withoutGarpKeysKeepalivedsDefaultsApply() {
        Map<String, Object> p = new HashMap<>();
        p.put("name", "VI_1");
        p.put("interface", "lan0");
        p.put("virtual.router.id", 51);
        InstanceConfig c = TypedConfigs.instance(p);
        assertThat(c.masterAnnounce()).isEqualTo(AnnouncePolicy.DEFAULT);
        assertThat(c.virtualRoutes()).isEmpty();
        // an IPv6 host VIP is added deprecated unless preferred_lft says otherwise
        assertThat(VirtualAddress.parse("2001:db8::249/128", "lan0").effectivePreferredLifetime())
                .isZero();
    }

    @Test
    void ipv6InstancesDefaultToVersion3() {
        Map<String, Object> p = new HashMap<>();
        p.put("name", "VI_6");
        p.put("interface", "lan0");
        p.put("virtual.router.id", 52);
        p.put("virtual.ipaddress", new String[] { "2001:db8::249/64" });
        InstanceConfig c = TypedConfigs.instance(p);
        assertThat(c.family()).isEqualTo(IpFamily.IPV6);
        assertThat(c.version()).isEqualTo(3);
    }

    @Test
    void invalidValuesAreRejected() {
        Map<String, Object> p = new HashMap<>();
        p.put("interface", "lan0");
        p.put("virtual.router.id", 0);
        assertThatThrownBy(() -> TypedConfigs.instance(p)).hasMessageContaining("attribute virtual.router.id");
        p.put("virtual.router.id", 51);
        p.put("advert.int.cs", 50);
        assertThatThrownBy(() -> TypedConfigs.instance(p)).hasMessageContaining("advert interval");
        p.put("advert.int.cs", 100);
        p.put("priority", "high");
        assertThatThrownBy(() -> TypedConfigs.instance(p)).hasMessageStartingWith("attribute priority:");
        p.put("priority", 100);
        p.remove("interface");
        assertThatThrownBy(() -> TypedConfigs.instance(p)).hasMessage("attribute interface: required");
    }
}
