package org.vigil.vip.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;
import org.vigil.api.vip.VirtualAddress;
import org.vigil.api.vip.VirtualRoute;
import org.vigil.api.vip.VirtualRule;

/** The rtnetlink requests, byte for byte where shared/reference/native.md section 9 has them. */
class RtnlTest {

    private static final HexFormat HEX = HexFormat.of();

    @Test
    void addingAnIpv4AddressWithBroadcastAndLabelIsTheVerifiedMessage() {
        VirtualAddress vip = new VirtualAddress(ip("192.0.2.249"), 24, "lan0", "lan0", null, "+", false);
        byte[] m = Rtnl.addAddress(vip, 2, 101);
        // native.md section 9, verified against the kernel (x86_64, little-endian host order)
        assertThat(HEX.formatHex(m)).isEqualTo("3c000000" + "1400" + "0506" + "65000000" + "00000000"
                + "02180000" + "02000000"
                + "08000200c00002f9" + "08000100c00002f9" + "08000400c00002ff"
                + "090003006c616e3000000000");
    }

    @Test
    void deletingMatchesByAddressAndPrefixOnly() {
        VirtualAddress vip = new VirtualAddress(ip("192.0.2.249"), 24, "lan0", "lan0:1", "link", "+", false);
        byte[] m = Rtnl.deleteAddress(vip, 2, 7);
        ByteBuffer b = ByteBuffer.wrap(m).order(ByteOrder.nativeOrder());
        assertThat(b.getInt(0)).isEqualTo(m.length).isEqualTo(16 + 8 + 8 + 8);
        assertThat(b.getShort(4)).isEqualTo((short) Rtnl.RTM_DELADDR);
        assertThat(b.getShort(6)).isEqualTo((short) (Rtnl.NLM_F_REQUEST | Rtnl.NLM_F_ACK));
        assertThat(b.getInt(8)).isEqualTo(7);
        assertThat(m[17]).isEqualTo((byte) 24);
    }

    @Test
    void scopeIsTheKernelNumber() {
        VirtualAddress vip = new VirtualAddress(ip("192.0.2.249"), 32, "lan0", null, "host", null, false);
        assertThat(Rtnl.addAddress(vip, 2, 1)[19]).isEqualTo((byte) 254);
        assertThat(Rtnl.scope("link", 0)).isEqualTo(253);
        assertThat(Rtnl.scope("site", 0)).isEqualTo(200);
        assertThat(Rtnl.scope(null, 0)).isZero();
    }

    @Test
    void ipv6NodadSetsTheFlagBothWaysAndAHostVipIsDeprecated() {
        VirtualAddress vip = new VirtualAddress(ip("2001:db8::249"), 128, "lan0", null, null, null, true);
        byte[] m = Rtnl.addAddress(vip, 3, 1);
        ByteBuffer b = ByteBuffer.wrap(m).order(ByteOrder.nativeOrder());
        assertThat(m[16]).isEqualTo((byte) Rtnl.AF_INET6);
        assertThat(m[17]).isEqualTo((byte) 128);
        assertThat(m[18]).isEqualTo((byte) Rtnl.IFA_F_NODAD);
        assertThat(b.getInt(20)).isEqualTo(3);
        int flags = attribute(b, Rtnl.IFA_FLAGS);
        assertThat(b.getInt(flags)).isEqualTo(Rtnl.IFA_F_NODAD);
        int cache = attribute(b, Rtnl.IFA_CACHEINFO);
        assertThat(b.getInt(cache)).as("preferred_lft").isZero();
        assertThat(b.getInt(cache + 4)).as("valid_lft forever").isEqualTo(-1);
        assertThat(attribute(b, Rtnl.IFA_LABEL)).isNegative();
    }

    @Test
    void aPrefixedIpv6VipIsPreferredForeverUnlessConfigured() {
        VirtualAddress plain = new VirtualAddress(ip("2001:db8::249"), 64, "lan0", null, null, null, false);
        ByteBuffer b = ByteBuffer.wrap(Rtnl.addAddress(plain, 3, 1)).order(ByteOrder.nativeOrder());
        assertThat(attribute(b, Rtnl.IFA_CACHEINFO)).isNegative();
        assertThat(attribute(b, Rtnl.IFA_FLAGS)).isNegative();
        VirtualAddress host = new VirtualAddress(ip("2001:db8::249"), 128, "lan0", null, null, null, false,
                VirtualAddress.FOREVER);
        b = ByteBuffer.wrap(Rtnl.addAddress(host, 3, 1)).order(ByteOrder.nativeOrder());
        assertThat(attribute(b, Rtnl.IFA_CACHEINFO)).isNegative();
    }

    @Test
    void broadcastPlusMinusAndLiteral() {
        assertThat(Rtnl.broadcast(vip4("192.0.2.249", 24, "+"))).isEqualTo(ip("192.0.2.255").getAddress());
        assertThat(Rtnl.broadcast(vip4("192.0.2.249", 24, "-"))).isEqualTo(ip("192.0.2.0").getAddress());
        assertThat(Rtnl.broadcast(vip4("192.0.2.249", 25, "+"))).isEqualTo(ip("192.0.2.255").getAddress());
        assertThat(Rtnl.broadcast(vip4("192.0.2.9", 28, "+"))).isEqualTo(ip("192.0.2.15").getAddress());
        assertThat(Rtnl.broadcast(vip4("192.0.2.249", 24, "192.0.2.127"))).isEqualTo(ip("192.0.2.127").getAddress());
        assertThat(Rtnl.broadcast(vip4("192.0.2.249", 32, "+"))).isNull();
        assertThat(Rtnl.broadcast(vip4("192.0.2.249", 24, null))).isNull();
        assertThatThrownBy(() -> Rtnl.broadcast(vip4("192.0.2.249", 24, "example"))).isInstanceOf(
                IllegalArgumentException.class);
    }

    @Test
    void aGatewayRouteInAnotherTable() {
        VirtualRoute r = VirtualRoute.parse("src 192.0.2.249 198.51.100.0/24 via 192.0.2.1 table 100 metric 7", "lan0");
        byte[] m = Rtnl.addRoute(r, 0, 9);
        ByteBuffer b = ByteBuffer.wrap(m).order(ByteOrder.nativeOrder());
        assertThat(b.getShort(4)).isEqualTo((short) Rtnl.RTM_NEWROUTE);
        assertThat(b.getShort(6)).isEqualTo((short) 0x605);
        // rtmsg: family, dst_len, src_len, tos, table, protocol, scope, type
        assertThat(HEX.formatHex(m, 16, 24)).isEqualTo("02180000" + "6412" + "0001");
        assertThat(b.getInt(attribute(b, Rtnl.RTA_TABLE))).isEqualTo(100);
        assertThat(bytes(b, Rtnl.RTA_DST, 4)).isEqualTo(ip("198.51.100.0").getAddress());
        assertThat(bytes(b, Rtnl.RTA_GATEWAY, 4)).isEqualTo(ip("192.0.2.1").getAddress());
        assertThat(bytes(b, Rtnl.RTA_PREFSRC, 4)).isEqualTo(ip("192.0.2.249").getAddress());
        assertThat(b.getInt(attribute(b, Rtnl.RTA_PRIORITY))).isEqualTo(7);
        assertThat(attribute(b, Rtnl.RTA_OIF)).as("no dev given: the gateway decides").isNegative();
    }

    @Test
    void aDeviceRouteHasKeepalivedsUniverseScopeAndItsDeleteMatchesAnyScope() {
        VirtualRoute r = VirtualRoute.parse("to 203.0.113.0/24", "lan0");
        byte[] add = Rtnl.addRoute(r, 4, 1);
        ByteBuffer b = ByteBuffer.wrap(add).order(ByteOrder.nativeOrder());
        assertThat(add[22] & 0xff).as("keepalived 2.2.7, not ip route's scope link").isEqualTo(Rtnl.RT_SCOPE_UNIVERSE);
        assertThat(b.getInt(attribute(b, Rtnl.RTA_OIF))).isEqualTo(4);
        byte[] del = Rtnl.deleteRoute(r, 4, 2);
        assertThat(del[22] & 0xff).isEqualTo(Rtnl.RT_SCOPE_NOWHERE);
        assertThat(del[21]).as("any protocol").isZero();
        assertThat(del[23]).as("any type").isZero();
    }

    @Test
    void aBlackholeRouteHasNoDeviceAndABigTableGoesInTheAttribute() {
        VirtualRoute r = VirtualRoute.parse("blackhole 2001:db8:1::/48 table 1000", "lan0");
        byte[] m = Rtnl.addRoute(r, 4, 1);
        ByteBuffer b = ByteBuffer.wrap(m).order(ByteOrder.nativeOrder());
        assertThat(m[16]).isEqualTo((byte) Rtnl.AF_INET6);
        assertThat(m[20]).as("rtm_table unspec").isZero();
        assertThat(m[23]).isEqualTo((byte) Rtnl.RTN_BLACKHOLE);
        assertThat(b.getInt(attribute(b, Rtnl.RTA_TABLE))).isEqualTo(1000);
        assertThat(attribute(b, Rtnl.RTA_OIF)).isNegative();
    }

    /** Offset of the data of the first attribute of this type after the fixed header, or -1. */
    @Test
    void anIpv4RuleIsTheMessageIpRuleAddSends() {
        byte[] m = Rtnl.addRule(VirtualRule.parse("from 198.51.100.0/24 table 100 priority 200"), 1);
        // iproute2's layout (ip/iprule.c) plus keepalived's FRA_PROTOCOL 18; RulesAndRoutesNetnsTest
        // checks the kernel reads it as ip rule's own
        assertThat(HEX.formatHex(m)).isEqualTo("34000000" + "2000" + "0506" + "01000000" + "00000000"
                + "02001800" + "64000001" + "00000000"
                + "08000200c6336400" + "08000600c8000000" + "0500150012000000");
    }

    @Test
    void anIpv6RuleWithABigTableCarriesItInFraTable() {
        byte[] m = Rtnl.deleteRule(VirtualRule.parse("inet6 to 2001:db8:2::/64 pref 810 fwmark 7/0xff table 3000"), 9);
        assertThat(HEX.formatHex(m)).isEqualTo("58000000" + "2100" + "0500" + "09000000" + "00000000"
                + "0a400000" + "00000001" + "00000000"
                + "1400010020010db8000200000000000000000000" + "080006002a030000" + "08000a0007000000"
                + "08001000ff000000" + "08000f00b80b0000" + "0500150012000000");
    }

    @Test
    void ruleActionsAndSelectorsAreTheKernelNumbers() {
        ByteBuffer b = ByteBuffer.wrap(Rtnl.addRule(VirtualRule.parse(
                "not iif lan0 oif lo tos 0x10 pref 530 goto 700 ipproto udp sport 53 dport 1000-2000 uidrange 5-6"), 1))
                .order(ByteOrder.nativeOrder());
        assertThat(b.get(16)).isEqualTo((byte) Rtnl.AF_INET);
        assertThat(b.get(19)).as("tos").isEqualTo((byte) 0x10);
        assertThat(b.get(23)).as("action").isEqualTo((byte) Rtnl.FR_ACT_GOTO);
        assertThat(b.getInt(24)).as("flags").isEqualTo(Rtnl.FIB_RULE_INVERT);
        assertThat(b.getInt(ruleAttribute(b, Rtnl.FRA_GOTO))).isEqualTo(700);
        assertThat(new String(at(b, ruleAttribute(b, Rtnl.FRA_IIFNAME), 5))).isEqualTo("lan0\0");
        assertThat(b.get(ruleAttribute(b, Rtnl.FRA_IP_PROTO))).isEqualTo((byte) 17);
        assertThat(b.getShort(ruleAttribute(b, Rtnl.FRA_SPORT_RANGE))).isEqualTo((short) 53);
        assertThat(b.getShort(ruleAttribute(b, Rtnl.FRA_DPORT_RANGE) + 2)).isEqualTo((short) 2000);
        assertThat(b.getInt(ruleAttribute(b, Rtnl.FRA_UID_RANGE) + 4)).isEqualTo(6);
        for (String action : new String[] {"blackhole", "unreachable", "prohibit", "nop"}) {
            assertThat(Rtnl.addRule(VirtualRule.parse("pref 1 " + action), 1)[23]).as(action)
                    .isEqualTo((byte) switch (action) {
                        case "blackhole" -> Rtnl.FR_ACT_BLACKHOLE;
                        case "unreachable" -> Rtnl.FR_ACT_UNREACHABLE;
                        case "prohibit" -> Rtnl.FR_ACT_PROHIBIT;
                        default -> Rtnl.FR_ACT_NOP;
                    });
        }
        assertThat(Rtnl.addRule(VirtualRule.parse("pref 1 l3mdev"), 1)[20]).as("no table with l3mdev").isZero();
    }

    @Test
    void routeTypesProtocolAndOnlinkAreInTheRtmsg() {
        byte[] m = Rtnl.addRoute(VirtualRoute.parse("unreachable 198.51.100.0/24 table 101 proto static", "lan0"), 0, 1);
        assertThat(m[16 + 5]).as("protocol").isEqualTo((byte) 4);
        assertThat(m[16 + 7]).as("type").isEqualTo((byte) Rtnl.RTN_UNREACHABLE);
        byte[] onlink = Rtnl.addRoute(VirtualRoute.parse("198.51.100.64/26 via 203.0.113.9 dev lan0 onlink", "lan0"), 2, 1);
        assertThat(ByteBuffer.wrap(onlink).order(ByteOrder.nativeOrder()).getInt(16 + 8)).isEqualTo(Rtnl.RTNH_F_ONLINK);
        assertThat(Rtnl.addRoute(VirtualRoute.parse("throw 198.51.100.0/25", "lan0"), 0, 1)[16 + 7])
                .isEqualTo((byte) Rtnl.RTN_THROW);
        assertThat(Rtnl.addRoute(VirtualRoute.parse("prohibit 198.51.100.0/25", "lan0"), 0, 1)[16 + 7])
                .isEqualTo((byte) Rtnl.RTN_PROHIBIT);
    }

    /** The offset of a rule attribute's data (after nlmsghdr and fib_rule_hdr). */
    private static int ruleAttribute(ByteBuffer b, int type) {
        int off = 16 + 12;
        while (off + 4 <= b.limit()) {
            int len = b.getShort(off) & 0xffff;
            if ((b.getShort(off + 2) & 0x3fff) == type) {
                return off + 4;
            }
            off += Rtnl.align4(len);
        }
        throw new AssertionError("no attribute " + type);
    }

    private static byte[] at(ByteBuffer b, int offset, int n) {
        byte[] out = new byte[n];
        b.get(offset, out);
        return out;
    }

    private static int attribute(ByteBuffer b, int type) {
        int off = 16 + (b.getShort(4) >= Rtnl.RTM_NEWROUTE ? Rtnl.RTMSG : Rtnl.IFADDRMSG);
        while (off + 4 <= b.limit()) {
            int len = b.getShort(off) & 0xffff;
            if ((b.getShort(off + 2) & 0x3fff) == type) {
                return off + 4;
            }
            off += Rtnl.align4(len);
        }
        return -1;
    }

    private static byte[] bytes(ByteBuffer b, int type, int n) {
        byte[] out = new byte[n];
        b.get(attribute(b, type), out);
        return out;
    }

    private static VirtualAddress vip4(String a, int prefix, String brd) {
        return new VirtualAddress(ip(a), prefix, "lan0", null, null, brd, false);
    }

    static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
