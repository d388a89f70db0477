package org.vigil.vip.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;
import org.vigil.api.vip.VirtualInterface;
import org.vigil.api.vrrp.IpFamily;

/** use_vmac / use_ipvlan requests byte for byte (x86_64: netlink fields little-endian), and the answers parsed. */
class VirtualLinkMessagesTest {

    private static final HexFormat HEX = HexFormat.of();

    @Test
    void aVmacIsAPrivateMacvlanWithTheIpv4VirtualMac() {
        VirtualInterface vi = VirtualInterface.vmac("lan0", 51, IpFamily.IPV4, null, false);
        byte[] m = Rtnl.addVirtualLink(vi, 2, 7);
        assertThat(HEX.formatHex(m)).isEqualTo(
                // nlmsghdr: length 92, RTM_NEWLINK, REQUEST|ACK|EXCL|CREATE, seq 7, pid 0
                "5c000000" + "1000" + "0506" + "07000000" + "00000000"
                // ifinfomsg: AF_UNSPEC, type 0, index 0 (new), flags 0 (created down), change 0
                + "00000000" + "00000000" + "00000000" + "00000000"
                // IFLA_IFNAME "vrrp.51"
                + "0c000300" + "767272702e353100"
                // IFLA_LINK parent ifindex 2
                + "08000500" + "02000000"
                // IFLA_ADDRESS 00:00:5e:00:01:33 (RFC 5798 section 7.3, VRID 51), padded
                + "0a000100" + "00005e000133" + "0000"
                // IFLA_LINKINFO { IFLA_INFO_KIND "macvlan", IFLA_INFO_DATA { IFLA_MACVLAN_MODE private (1) } }
                + "1c001200" + "0c000100" + "6d6163766c616e00" + "0c000200" + "08000100" + "01000000");
    }

    @Test
    void anIpv6VmacCarriesTheIpv6VirtualMacAndAGivenName() {
        VirtualInterface vi = VirtualInterface.vmac("lan0", 61, IpFamily.IPV6, "vmac61", true);
        assertThat(HEX.formatHex(vi.mac())).isEqualTo("00005e00023d");
        assertThat(vi.name()).isEqualTo("vmac61");
        assertThat(vi.advertInterface()).as("vmac_xmit_base: adverts on the parent").isEqualTo("lan0");
        byte[] m = Rtnl.addVirtualLink(vi, 9, 1);
        assertThat(HEX.formatHex(m)).contains("0b000300" + "766d6163363100" + "00", "08000500" + "09000000",
                "0a000100" + "00005e00023d" + "0000");
    }

    @Test
    void anIpvlanIsL2WithItsModeFlagAndNoMac() {
        VirtualInterface vi = new VirtualInterface(VirtualInterface.Kind.IPVLAN, null, "lan0", 52, IpFamily.IPV4,
                false, "192.0.2.13/24", "private");
        assertThat(vi.name()).isEqualTo("vrrp.52");
        assertThat(vi.mac()).isNull();
        byte[] m = Rtnl.addVirtualLink(vi, 2, 3);
        assertThat(HEX.formatHex(m)).isEqualTo("58000000" + "1000" + "0506" + "03000000" + "00000000"
                + "00000000" + "00000000" + "00000000" + "00000000"
                + "0c000300" + "767272702e353200"
                + "08000500" + "02000000"
                // IFLA_LINKINFO { KIND "ipvlan", DATA { IFLA_IPVLAN_MODE l2 (u16 0), IFLA_IPVLAN_FLAGS private (u16 1) } }
                + "24001200" + "0b000100" + "6970766c616e0000" + "14000200" + "06000100" + "00000000"
                + "06000200" + "01000000");
    }

    @Test
    void upDownAddrgenmodeDeleteAndGetAreTheIpLinkRequests() {
        assertThat(HEX.formatHex(Rtnl.linkUp(5, 2))).isEqualTo("20000000" + "1000" + "0500" + "02000000" + "00000000"
                // ifinfomsg index 5, flags IFF_UP, change IFF_UP
                + "00000000" + "05000000" + "01000000" + "01000000");
        assertThat(HEX.formatHex(Rtnl.linkDown(5, 2))).isEqualTo("20000000" + "1000" + "0500" + "02000000" + "00000000"
                // ifinfomsg index 5, flags 0, change IFF_UP
                + "00000000" + "05000000" + "00000000" + "01000000");
        assertThat(HEX.formatHex(Rtnl.addrGenModeNone(5, 3))).isEqualTo("30000000" + "1000" + "0500" + "03000000"
                + "00000000" + "00000000" + "05000000" + "00000000" + "00000000"
                // IFLA_AF_SPEC { AF_INET6 { IFLA_INET6_ADDR_GEN_MODE none (1) } }
                + "10001a00" + "0c000a00" + "05000800" + "01000000");
        assertThat(HEX.formatHex(Rtnl.deleteLink(5, 4))).isEqualTo("20000000" + "1100" + "0500" + "04000000" + "00000000"
                + "00000000" + "05000000" + "00000000" + "00000000");
        assertThat(HEX.formatHex(Rtnl.getLink("vrrp.51", 6))).isEqualTo("2c000000" + "1200" + "0100" + "06000000"
                + "00000000" + "00000000" + "00000000" + "00000000" + "00000000" + "0c000300" + "767272702e353100");
    }

    @Test
    void anRtmNewlinkAnswerGivesIndexParentKindAndMac() {
        String answer = "5c000000" + "1000" + "0000" + "06000000" + "00000000"
                + "00000100" + "03000000" + "43100100" + "00000000"
                + "0c000300" + "767272702e353100"
                + "08000500" + "02000000"
                + "0a000100" + "00005e000133" + "0000"
                + "1c001200" + "0c000100" + "6d6163766c616e00" + "0c000200" + "08000100" + "01000000";
        Rtnl.Link link = Rtnl.link(ByteBuffer.wrap(HEX.parseHex(answer)), 6);
        assertThat(link).isNotNull();
        assertThat(link.index()).isEqualTo(3);
        assertThat(link.name()).isEqualTo("vrrp.51");
        assertThat(link.parent()).isEqualTo(2);
        assertThat(link.kind()).isEqualTo("macvlan");
        assertThat(HEX.formatHex(link.mac())).isEqualTo("00005e000133");
        assertThat(Rtnl.link(ByteBuffer.wrap(HEX.parseHex(answer)), 7)).as("another request's answer").isNull();
    }

    @Test
    void namesFollowTheKernelsLimits() {
        assertThatThrownBy(() -> VirtualInterface.vmac("lan0", 51, IpFamily.IPV4, "a-name-far-too-long", false))
                .hasMessageContaining("at most 15");
        assertThatThrownBy(() -> VirtualInterface.vmac("lan0", 51, IpFamily.IPV4, "lan0", false))
                .hasMessageContaining("own parent");
        assertThatThrownBy(() -> new VirtualInterface(VirtualInterface.Kind.IPVLAN, null, "lan0", 1, IpFamily.IPV4,
                false, null, "l3")).hasMessageContaining("bridge, private, vepa");
    }
}
