package org.vigil.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.vigil.api.vip.VirtualAddress;
import org.vigil.api.vip.VirtualInterface;
import org.vigil.api.vrrp.IpFamily;

/** use_vmac, vmac_xmit_base and use_ipvlan as the config bundle writes them, read into the instance. */
class VirtualInterfaceConfigTest {

    private static Map<String, Object> instance(String vip) {
        Map<String, Object> p = new HashMap<>();
        p.put("interface", "lan0");
        p.put("virtual.router.id", 51);
        p.put("virtual.ipaddress", new String[] { vip, "192.0.2.248/24 dev lan1" });
        p.put("virtual.routes", new String[] { "198.51.100.0/24 via 192.0.2.1" });
        return p;
    }

    @Test
    void useVmacPutsAddressesAndAdvertsOnVrrpVrid() {
        Map<String, Object> p = instance("192.0.2.249/24");
        p.put("use.vmac", true);
        InstanceConfig c = TypedConfigs.instance(p);
        assertThat(c.virtualInterface()).isEqualTo(VirtualInterface.vmac("lan0", 51, IpFamily.IPV4, null, false));
        assertThat(c.advertInterface()).isEqualTo("vrrp.51");
        assertThat(c.interfaceName()).as("keepalived matches instances by the configured interface").isEqualTo("lan0");
        assertThat(c.virtualAddresses()).extracting(VirtualAddress::device).containsExactly("vrrp.51", "lan1");
        assertThat(c.virtualRoutes().get(0).device()).isNull();
    }

    @Test
    void aNamedIpv6VmacWithXmitBaseSendsOnTheParent() {
        Map<String, Object> p = instance("2001:db8::249/64");
        p.put("virtual.ipaddress", new String[] { "2001:db8::249/64" });
        p.put("use.vmac", true);
        p.put("use.vmac.name", "vmac6");
        p.put("vmac.xmit.base", true);
        InstanceConfig c = TypedConfigs.instance(p);
        assertThat(c.virtualInterface().name()).isEqualTo("vmac6");
        assertThat(c.virtualInterface().family()).isEqualTo(IpFamily.IPV6);
        assertThat(c.advertInterface()).isEqualTo("lan0");
        assertThat(c.virtualAddresses().get(0).device()).isEqualTo("vmac6");
    }

    @Test
    void useIpvlanTakesNameAddressAndModeAsAttributes() {
        Map<String, Object> p = instance("192.0.2.249/24");
        p.put("use.ipvlan", true);
        p.put("use.ipvlan.name", "ipv1");
        p.put("use.ipvlan.address", "192.0.2.13/24");
        p.put("use.ipvlan.mode", "private");
        VirtualInterface vi = TypedConfigs.instance(p).virtualInterface();
        assertThat(vi.kind()).isEqualTo(VirtualInterface.Kind.IPVLAN);
        assertThat(vi.name()).isEqualTo("ipv1");
        assertThat(vi.address()).isEqualTo("192.0.2.13/24");
        assertThat(vi.mode()).isEqualTo("private");
        p.remove("use.ipvlan.name");
        assertThat(TypedConfigs.instance(p).virtualInterface().name()).isEqualTo("vrrp.51");
    }

    @Test
    void withoutEitherKeywordNothingChanges() {
        InstanceConfig c = TypedConfigs.instance(instance("192.0.2.249/24"));
        assertThat(c.virtualInterface()).isNull();
        assertThat(c.advertInterface()).isEqualTo("lan0");
        assertThat(c.virtualAddresses().get(0).device()).isEqualTo("lan0");
    }
}
