package org.vigil.lb.nft.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.vigil.lb.nft.internal.Services.flags;
import static org.vigil.lb.nft.internal.Services.grep;
import static org.vigil.lb.nft.internal.Services.key;
import static org.vigil.lb.nft.internal.Services.persistent;
import static org.vigil.lb.nft.internal.Services.rs;
import static org.vigil.lb.nft.internal.Services.sorry;
import static org.vigil.lb.nft.internal.Services.vs;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.vigil.api.lb.ServiceKey;
import org.vigil.api.lb.VirtualService;

/** The nft script text for each kind of virtual service and each kind of change. */
class NftScriptTest {
    private static final ServiceKey WEB = key("192.0.2.249", "tcp", 80);
    private static final String VS = "vs_192_0_2_249_tcp_80";
    private static final String RS1 = "rs_192_0_2_249_tcp_80__192_0_2_21_8080";
    private static final String RS2 = "rs_192_0_2_249_tcp_80__192_0_2_22_8080";
    private final NftScript script = new NftScript("vigil");

    private List<String> create(VirtualService v) {
        return script.put(null, Plan.of(v));
    }

    @Test
    void resetDeletesAnyOldTableAndBuildsTheSkeletonInOneScript() {
        List<String> c = script.reset();
        assertThat(c.subList(0, 3)).containsExactly("add table inet vigil", "delete table inet vigil",
                "add table inet vigil");
        assertThat(c).contains(
                "add map inet vigil services4 { type ipv4_addr . inet_proto . inet_service : verdict; }",
                "add map inet vigil services6 { type ipv6_addr . inet_proto . inet_service : verdict; }",
                "add map inet vigil fwmark4 { type mark : verdict; }",
                "add rule inet vigil services ip daddr . meta l4proto . th dport vmap @services4",
                "add chain inet vigil prerouting { type nat hook prerouting priority dstnat; policy accept; }",
                "add rule inet vigil prerouting jump services",
                "add chain inet vigil output { type nat hook output priority -100; policy accept; }");
        // fwmark services are looked up before address services, as IPVS does
        assertThat(c.indexOf("add rule inet vigil services meta nfproto ipv4 meta mark vmap @fwmark4"))
                .isLessThan(c.indexOf("add rule inet vigil services ip daddr . meta l4proto . th dport vmap @services4"));
        assertThat(script.drop()).containsExactly("add table inet vigil", "delete table inet vigil");
    }

    @Test
    void wrrGivesEachServerItsWeightOfANumgenCycle() {
        List<String> c = create(vs(WEB, "wrr", rs("192.0.2.21", 8080, 3), rs("192.0.2.22", 8080, 1)));
        assertThat(c).containsExactly(
                "add chain inet vigil " + VS,
                "add chain inet vigil " + RS1,
                "add rule inet vigil " + RS1 + " meta l4proto tcp counter dnat ip to 192.0.2.21:8080",
                "add chain inet vigil " + RS2,
                "add rule inet vigil " + RS2 + " meta l4proto tcp counter dnat ip to 192.0.2.22:8080",
                "add rule inet vigil " + VS + " numgen inc mod 4 vmap { 0-2 : jump " + RS1 + ", 3 : jump " + RS2 + " }",
                "add element inet vigil services4 { 192.0.2.249 . tcp . 80 : jump " + VS + " }");
    }

    @Test
    void weightsAreReducedByTheirCommonDivisorAndRrIgnoresThem() {
        assertThat(grep(create(vs(WEB, "wrr", rs("192.0.2.21", 8080, 200), rs("192.0.2.22", 8080, 100))), "numgen"))
                .containsExactly("add rule inet vigil " + VS + " numgen inc mod 3 vmap { 0-1 : jump " + RS1 + ", 2 : jump "
                        + RS2 + " }");
        assertThat(grep(create(vs(WEB, "rr", rs("192.0.2.21", 8080, 5), rs("192.0.2.22", 8080, 1))), "numgen"))
                .containsExactly("add rule inet vigil " + VS + " numgen inc mod 2 vmap { 0 : jump " + RS1 + ", 1 : jump "
                        + RS2 + " }");
    }

    @Test
    void weightZeroIsNeverChosen() {
        List<String> c = create(vs(WEB, "wrr", rs("192.0.2.21", 8080, 2), rs("192.0.2.22", 8080, 0)));
        assertThat(grep(c, "192.0.2.22")).isEmpty();
        assertThat(c).contains("add rule inet vigil " + VS + " jump " + RS1);
    }

    @Test
    void anEmptyPoolTranslatesNothing() {
        List<String> c = create(vs(WEB, "wrr", rs("192.0.2.21", 8080, 0)));
        assertThat(grep(c, "dnat")).isEmpty();
        assertThat(c).contains("add rule inet vigil " + VS + " counter comment \"no live real server\"");
    }

    @Test
    void shAndMhHashTheSourceWithAFixedSeed() {
        VirtualService sh = vs(WEB, "sh", rs("192.0.2.21", 8080, 1), rs("192.0.2.22", 8080, 1));
        assertThat(grep(create(sh), "jhash")).containsExactly("add rule inet vigil " + VS
                + " jhash ip saddr mod 2 seed 0x5649474c vmap { 0 : jump " + RS1 + ", 1 : jump " + RS2 + " }");
        assertThat(grep(create(flags(sh, "sh-port")), "jhash")).singleElement().asString()
                .contains("jhash ip saddr . th sport mod 2 seed 0x5649474c");
        assertThat(Scheduling.of("mh", List.of()).note()).hasValueSatisfying(n -> assertThat(n).startsWith("mh mapped to sh"));
    }

    @Test
    void connectionCountingSchedulersAreMappedAndSaySo() {
        assertThat(Scheduling.of("wlc", List.of()).kind()).isEqualTo(Scheduling.Kind.WEIGHTED_ROUND_ROBIN);
        assertThat(Scheduling.of("wlc", List.of()).note()).hasValue(
                "wlc mapped to wrr: nftables cannot count a real server's active connections");
        assertThat(Scheduling.of("lc", List.of()).kind()).isEqualTo(Scheduling.Kind.ROUND_ROBIN);
        assertThat(Scheduling.of("ovf", List.of()).kind()).isEqualTo(Scheduling.Kind.FAILOVER);
        assertThat(Scheduling.of("rr", List.of()).note()).isEmpty();
        assertThat(Scheduling.of("bogus", List.of()).note()).hasValue("unknown scheduler 'bogus' mapped to wrr");
    }

    @Test
    void failoverSendsEverythingToTheHighestWeight() {
        List<String> c = create(vs(WEB, "fo", rs("192.0.2.21", 8080, 1), rs("192.0.2.22", 8080, 5)));
        assertThat(grep(c, "192.0.2.21")).isEmpty();
        assertThat(c).contains("add rule inet vigil " + VS + " jump " + RS2);
    }

    @Test
    void persistenceKeepsAClientOnItsServerThroughATimedSetPerServer() {
        List<String> c = create(persistent(WEB, "rr", 300, "255.255.255.0", rs("192.0.2.21", 8080, 1),
                rs("192.0.2.22", 8080, 1)));
        String set1 = "p_192_0_2_249_tcp_80__192_0_2_21_8080";
        assertThat(c).contains(
                "add set inet vigil " + set1 + " { type ipv4_addr; size 262144; flags dynamic, timeout; timeout 300s; }",
                "add rule inet vigil " + RS1 + " meta l4proto tcp update @" + set1
                        + " { ip saddr & 255.255.255.0 } counter dnat ip to 192.0.2.21:8080",
                "add rule inet vigil " + VS + " ip saddr & 255.255.255.0 @" + set1 + " jump " + RS1);
        // the lookups come before the scheduler
        assertThat(c.indexOf("add rule inet vigil " + VS + " ip saddr & 255.255.255.0 @" + set1 + " jump " + RS1))
                .isLessThan(c.indexOf(grep(c, "numgen").get(0)));
        assertThat(Plan.persistKey("ip", "")).isEqualTo("ip saddr");
        assertThat(Plan.persistKey("ip", "24")).isEqualTo("ip saddr & 255.255.255.0");
        assertThat(Plan.persistKey("ip6", "64")).isEqualTo("ip6 saddr & ffff:ffff:ffff:ffff::");
    }

    @Test
    void ipv6ServicesUseIp6AndBracketedTargets() {
        ServiceKey k = key("2001:db8::249", "tcp", 80);
        List<String> c = create(vs(k, "wrr", rs("2001:db8::21", 80, 1)));
        assertThat(c).contains(
                "add rule inet vigil rs_2001_db8__249_tcp_80__2001_db8__21_80 meta l4proto tcp counter dnat ip6 to [2001:db8::21]:80",
                "add element inet vigil services6 { 2001:db8::249 . tcp . 80 : jump vs_2001_db8__249_tcp_80 }");
    }

    @Test
    void fwmarkServicesAreDispatchedByMarkPerFamily() {
        ServiceKey k = ServiceKey.fwmark(10, false, "tcp");
        List<String> c = create(vs(k, "rr", rs("192.0.2.21", 0, 1), rs("192.0.2.22", 80, 1)));
        assertThat(c).contains(
                "add element inet vigil fwmark4 { 10 : jump vs_fwm_10_ip }",
                "add rule inet vigil rs_fwm_10_ip__192_0_2_21_0 counter dnat ip to 192.0.2.21",
                "add rule inet vigil rs_fwm_10_ip__192_0_2_22_80 meta l4proto tcp counter dnat ip to 192.0.2.22:80");
        assertThat(create(vs(ServiceKey.fwmark(11, true, "udp"), "rr", rs("2001:db8::21", 53, 1))))
                .contains("add element inet vigil fwmark6 { 11 : jump vs_fwm_11_ip6 }");
    }

    @Test
    void udpAndAnyPortServices() {
        assertThat(create(vs(key("192.0.2.249", "udp", 53), "rr", rs("192.0.2.21", 53, 1))))
                .contains("add element inet vigil services4 { 192.0.2.249 . udp . 53 : jump vs_192_0_2_249_udp_53 }",
                        "add rule inet vigil rs_192_0_2_249_udp_53__192_0_2_21_53 meta l4proto udp counter dnat ip to 192.0.2.21:53");
        assertThat(create(persistent(key("192.0.2.249", "tcp", 0), "rr", 360, "", rs("192.0.2.21", 0, 1))))
                .contains("add element inet vigil anyport4 { 192.0.2.249 . tcp : jump vs_192_0_2_249_tcp_0 }");
    }

    @Test
    void theSorryServerIsTheOnlyDestinationWhateverItsWeight() {
        List<String> c = create(sorry(WEB, rs("192.0.2.30", 80, 0)));
        assertThat(c).contains("add rule inet vigil rs_192_0_2_249_tcp_80__192_0_2_30_80 meta l4proto tcp counter dnat ip to 192.0.2.30:80",
                "add rule inet vigil " + VS + " jump rs_192_0_2_249_tcp_80__192_0_2_30_80");
    }

    @Test
    void aPoolChangeReplacesOnlyTheServiceChainAndTheServersThatCameOrWent() {
        Plan before = Plan.of(vs(WEB, "wrr", rs("192.0.2.21", 8080, 1), rs("192.0.2.22", 8080, 1)));
        Plan after = Plan.of(vs(WEB, "wrr", rs("192.0.2.21", 8080, 1), rs("192.0.2.23", 8080, 1)));
        String rs3 = "rs_192_0_2_249_tcp_80__192_0_2_23_8080";
        assertThat(script.put(before, after)).containsExactly(
                "flush chain inet vigil " + VS,
                "add chain inet vigil " + rs3,
                "add rule inet vigil " + rs3 + " meta l4proto tcp counter dnat ip to 192.0.2.23:8080",
                "add rule inet vigil " + VS + " numgen inc mod 2 vmap { 0 : jump " + RS1 + ", 1 : jump " + rs3 + " }",
                "flush chain inet vigil " + RS2,
                "delete chain inet vigil " + RS2);
        // RS1 kept its chain (its counter, its persistence set): nothing of it in the script
        assertThat(grep(script.put(before, after), RS1 + " ")).isEmpty();
        assertThat(script.put(before, before)).isEmpty();
    }

    @Test
    void aShapeChangeRebuildsTheServiceInTheSameScript() {
        Plan before = Plan.of(vs(WEB, "wrr", rs("192.0.2.21", 8080, 1)));
        Plan after = Plan.of(persistent(WEB, "wrr", 60, "", rs("192.0.2.21", 8080, 1)));
        List<String> c = script.put(before, after);
        assertThat(c.get(0)).isEqualTo("delete element inet vigil services4 { 192.0.2.249 . tcp . 80 }");
        assertThat(c).contains("delete chain inet vigil " + VS, "add chain inet vigil " + VS,
                "add element inet vigil services4 { 192.0.2.249 . tcp . 80 : jump " + VS + " }");
    }

    @Test
    void removingAServiceDeletesItsElementThenItsChainsAndSets() {
        Plan p = Plan.of(persistent(WEB, "rr", 60, "", rs("192.0.2.21", 8080, 1)));
        assertThat(script.remove(p)).containsExactly(
                "delete element inet vigil services4 { 192.0.2.249 . tcp . 80 }",
                "flush chain inet vigil " + VS,
                "flush chain inet vigil " + RS1,
                "delete chain inet vigil " + VS,
                "delete chain inet vigil " + RS1,
                "delete set inet vigil p_192_0_2_249_tcp_80__192_0_2_21_8080");
    }

    @Test
    void hugeWeightsKeepTheirProportionsUnderTheModulusLimit() {
        Plan p = Plan.of(vs(WEB, "wrr", rs("192.0.2.21", 8080, Integer.MAX_VALUE), rs("192.0.2.22", 8080, 1)));
        assertThat(p.slots()).hasSize(2);
        assertThat(p.slots().get(1).to() - p.slots().get(1).from()).isZero();
        assertThat(p.slots().get(1).to()).isLessThanOrEqualTo(Plan.MAX_TOTAL + 1);
    }
}
