package org.vigil.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * keepalived's use_vmac with Vigil on r1 and Debian's keepalived 2.2.7 on r2, both with use_vmac: each
 * creates macvlan vrrp.51 with the virtual MAC, the VIP goes on it, adverts and gratuitous ARPs leave
 * from the virtual MAC (RFC 5798 section 7.2) as tcpdump on the switch sees them; failover both ways;
 * Vigil removes vrrp.51 when it stops and takes it over after a crash. IPv6 too (00:00:5e:00:02:VRID),
 * vmac_xmit_base (adverts from lan0's MAC), and use_ipvlan on a kernel without ipvlan.
 */
class VmacLabIT extends LabTest {

    private static final String VMAC4 = "00:00:5e:00:01:33";
    private static final String VMAC6 = "00:00:5e:00:02:33";
    private static final Duration FAILOVER = Duration.ofSeconds(10);

    @BeforeEach
    void removeVmacsAfterwards() {
        // tracked first, so closed last: after the daemons have stopped
        track(() -> {
            for (String h : List.of("r1", "r2")) {
                Sh.quiet("ip", "-n", lab.ns(h), "link", "del", "vrrp.51");
            }
        });
    }

    static String config(String routerId, int priority, boolean ipv6, String extra) {
        return "global_defs {\n    router_id " + routerId + "\n}\n"
                + "vrrp_instance VI_1 {\n    state BACKUP\n    interface lan0\n    virtual_router_id 51\n"
                + "    priority " + priority + "\n    version 3\n    advert_int 0.1\n    use_vmac\n" + extra
                + "    virtual_ipaddress {\n        " + (ipv6 ? Lab.VIP6 + "/64" : Lab.VIP4 + "/24") + "\n    }\n}\n";
    }

    /** IGMP, and IPv6 behind a hop-by-hop header (MLD reports). */
    private static final String REPORTS = "igmp or (ip6 and ip6[6] == 0)";

    @Test
    void ipv4VigilAndKeepalivedFailOverBothWaysOnVrrp51FromTheVirtualMac() {
        Capture cap = capture();
        // Vigil's frames only (what r1 sends into its switch port): the check is on Vigil, not on keepalived
        Capture reports = track(Capture.from(lab, "r1", dir("reports"), REPORTS));
        Daemon vigil = vigil("r1", config("vigil-r1", 150, false, ""));
        vigil.awaitLog("(VI_1): Success creating VMAC interface vrrp.51", START);
        vigil.awaitLog("(VI_1) Entering BACKUP STATE (init)", START);
        Daemon ka = keepalived("r2", config("ka-r2", 100, false, ""));
        VigilPairLabIT.awaitStates(vigil, "MASTER", ka, "BACKUP");
        assertThat(ka.logText()).contains("(VI_1): Success creating VMAC interface vrrp.51");

        // the interface as keepalived makes it, on both routers; the VIP on Vigil's vrrp.51 only
        String r1Link = Sh.ok("ip", "-n", lab.ns("r1"), "-d", "link", "show", "vrrp.51");
        assertThat(r1Link).contains("vrrp.51@lan0", "link/ether " + VMAC4, "macvlan mode private", "addrgenmode none");
        assertThat(Sh.ok("ip", "-n", lab.ns("r2"), "-d", "link", "show", "vrrp.51")).contains("link/ether " + VMAC4,
                "macvlan mode private");
        awaitVipOn("r1", Lab.VIP4);
        assertThat(addresses("r1", "lan0")).doesNotContain(Lab.VIP4);
        assertThat(addresses("r2", "vrrp.51")).doesNotContain(Lab.VIP4);

        // 2. Vigil stops: keepalived takes over on its vrrp.51; Vigil's vrrp.51 is gone
        int kaMark = ka.mark();
        vigil.term();
        assertThat(vigil.logText()).contains("(VI_1) Success removing VMAC interface vrrp.51");
        ka.awaitLog("(VI_1) Entering MASTER STATE", kaMark, FAILOVER);
        awaitVipOn("r2", Lab.VIP4);
        assertThat(Sh.quiet("ip", "-n", lab.ns("r1"), "link", "show", "vrrp.51").exit()).as("vrrp.51 on r1").isNotZero();

        // 3. Vigil at 50 backs keepalived up, then crashes: vrrp.51 stays behind
        Daemon low = vigil("r1", config("vigil-r1", 50, false, ""));
        low.awaitLog("(VI_1) Entering BACKUP STATE", START);
        awaitAdverts(cap, "192.0.2.12", 5);
        low.crash();
        String left = Sh.ok("ip", "-n", lab.ns("r1"), "link", "show", "vrrp.51");
        String index = left.substring(0, left.indexOf(':'));

        // 4. Vigil at 150 again takes the left interface over and preempts keepalived
        kaMark = ka.mark();
        Daemon high = vigil("r1", config("vigil-r1", 150, false, ""));
        high.awaitLog("(VI_1) Found matching interface vrrp.51", START);
        ka.awaitLog("(VI_1) Entering BACKUP STATE", kaMark, START);
        awaitVipOn("r1", Lab.VIP4);
        assertThat(Sh.ok("ip", "-n", lab.ns("r1"), "link", "show", "vrrp.51")).startsWith(index + ":");
        assertThat(high.logText()).doesNotContain("Success creating VMAC interface");
        assertThat(States.last(high)).isEqualTo("MASTER");
        awaitAdverts(cap, "192.0.2.11", 5);
        cap.close();

        // on the wire: every advert and gratuitous ARP of either router leaves from the virtual MAC
        List<String[]> adverts = cap.fields("vrrp", "ip.src", "eth.src", "vrrp.prio");
        assertThat(adverts).as("adverts from Vigil (192.0.2.11)").anyMatch(f -> f[0].equals("192.0.2.11"));
        assertThat(adverts).as("adverts from keepalived (192.0.2.12)").anyMatch(f -> f[0].equals("192.0.2.12"));
        assertThat(adverts).as("source MAC of each advert (ip.src, eth.src, prio)")
                .allSatisfy(f -> assertThat(f[1]).as("from %s", f[0]).isEqualTo(VMAC4));
        assertThat(adverts).as("Vigil's priority-0 advert on stop")
                .anyMatch(f -> f[0].equals("192.0.2.11") && f[2].equals("0"));
        List<String[]> garps = cap.fields("arp && arp.src.proto_ipv4 == " + Lab.VIP4, "eth.src", "arp.src.hw_mac");
        assertThat(garps).as("gratuitous ARPs for the VIP").isNotEmpty()
                .allSatisfy(f -> assertThat(f).containsExactly(VMAC4, VMAC4));
        KeepalivedInteropLabIT.assertVigilPacketsDecode(cap, Vrrp.v3("0.1"), VMAC4 + " && ip.src == 192.0.2.11");
        // joining 224.0.0.18 on vrrp.51 as a backup: no IGMP report leaves from the virtual MAC (keepalived's nft rule)
        reports.close();
        assertThat(reports.fields("igmp && eth.src == " + VMAC4, "frame.number")).isEmpty();
    }

    @Test
    void ipv6AdvertsLeaveFromTheIpv6VirtualMacAndTheParentsLinkLocalAddress() {
        Capture cap = capture();
        // Vigil's frames only (what r1 sends into its switch port): the check is on Vigil, not on keepalived
        Capture reports = track(Capture.from(lab, "r1", dir("reports"), REPORTS));
        Daemon vigil = vigil("r1", config("vigil-r1", 150, true, ""));
        vigil.awaitLog("(VI_1) Entering BACKUP STATE (init)", START);
        Daemon ka = keepalived("r2", config("ka-r2", 100, true, ""));
        VigilPairLabIT.awaitStates(vigil, "MASTER", ka, "BACKUP");
        assertThat(Sh.ok("ip", "-n", lab.ns("r1"), "-d", "link", "show", "vrrp.51")).contains("link/ether " + VMAC6,
                "addrgenmode none");
        awaitVipOn("r1", Lab.VIP6);
        String linkLocal = linkLocal("r1", "lan0");
        assertThat(addresses("r1", "vrrp.51")).as("vrrp.51 has lan0's link-local, none from the virtual MAC")
                .contains(linkLocal).noneMatch(a -> a.startsWith("fe80::200:5eff"));

        int kaMark = ka.mark();
        vigil.term();
        ka.awaitLog("(VI_1) Entering MASTER STATE", kaMark, FAILOVER);
        awaitVipOn("r2", Lab.VIP6);
        Daemon again = vigil("r1", config("vigil-r1", 150, true, ""));
        again.awaitLog("(VI_1) Entering MASTER STATE", START);
        awaitVipOn("r1", Lab.VIP6);
        cap.close();

        List<String[]> adverts = cap.fields("vrrp", "ipv6.src", "eth.src", "vrrp.prio");
        assertThat(adverts).as("Vigil's adverts").anyMatch(f -> f[0].equals(linkLocal));
        assertThat(adverts).as("keepalived's adverts").anyMatch(f -> f[0].equals(linkLocal("r2", "lan0")));
        assertThat(adverts).allSatisfy(f -> assertThat(f[1]).as("source MAC of the advert from %s", f[0]).isEqualTo(VMAC6));
        List<String[]> nas = cap.fields("icmpv6.type == 136 && icmpv6.nd.na.target_address == " + Lab.VIP6, "eth.src");
        assertThat(nas).as("unsolicited neighbour adverts for the VIP").isNotEmpty()
                .allSatisfy(f -> assertThat(f[0]).isEqualTo(VMAC6));
        KeepalivedInteropLabIT.assertVigilPacketsDecode(cap, Vrrp.v3Ipv6("0.1"), VMAC6 + " && ipv6.src == " + linkLocal);
        reports.close();
        assertThat(reports.fields("icmpv6.type == 143 && eth.src == " + VMAC6, "frame.number"))
                .as("MLDv2 reports from the virtual MAC").isEmpty();
    }

    @Test
    void withVmacXmitBaseTheAdvertsLeaveFromLan0AndTheVipStaysOnVrrp51() {
        Capture cap = capture();
        Daemon vigil = vigil("r1", config("vigil-r1", 150, false, "    vmac_xmit_base\n"));
        vigil.awaitLog("(VI_1) Entering MASTER STATE", START);
        awaitVipOn("r1", Lab.VIP4);
        awaitAdverts(cap, "192.0.2.11", 5);
        cap.close();
        assertThat(cap.fields("vrrp && ip.src == 192.0.2.11", "eth.src"))
                .allSatisfy(f -> assertThat(f[0]).isEqualTo(lab.mac("r1")));
        assertThat(cap.fields("arp && arp.src.proto_ipv4 == " + Lab.VIP4, "eth.src")).isNotEmpty()
                .allSatisfy(f -> assertThat(f[0]).as("the gratuitous ARPs still carry the virtual MAC").isEqualTo(VMAC4));
    }

    @Test
    void useIpvlanOnAKernelWithoutIpvlanSaysWhyAndStaysInFault() {
        String conf = config("vigil-r1", 150, false, "").replace("    use_vmac\n", "    use_ipvlan 192.0.2.13/24\n");
        Daemon vigil = vigil("r1", conf);
        boolean kernelHasIpvlan = Sh.quiet("ip", "-n", lab.ns("r1"), "link", "add", "link", "lan0", "name", "probe0",
                "type", "ipvlan").exit() == 0;
        Sh.quiet("ip", "-n", lab.ns("r1"), "link", "del", "probe0");
        if (kernelHasIpvlan) {
            vigil.awaitLog("(VI_1): Success creating ipvlan interface vrrp.51", START);
            vigil.awaitLog("(VI_1) Entering MASTER STATE", START);
            awaitVipOn("r1", Lab.VIP4);
            assertThat(addresses("r1", "vrrp.51")).contains("192.0.2.13");
        } else {
            // lab.md section 1: this kernel has no ipvlan ("Unknown device type")
            // keepalived 2.2.7 here: "(VI_1): Unable to create ipvlan interface vrrp.51", then FAULT
            vigil.awaitLog("(VI_1): Unable to create ipvlan interface vrrp.51 on lan0: Operation not supported (errno 95)",
                    START);
            vigil.awaitLog("(VI_1) Entering FAULT STATE", START);
            assertThat(lab.holders(Lab.VIP4)).isEmpty();
        }
    }

    @Test
    void anInterfaceOfTheVmacNameThatIsNotAMacvlanIsNeitherUsedNorRemoved() {
        Sh.ok("ip", "-n", lab.ns("r1"), "link", "add", "vrrp.51", "type", "veth", "peer", "name", "vrrp51peer");
        Sh.ok("ip", "-n", lab.ns("r1"), "link", "set", "vrrp.51", "up");
        Daemon vigil = vigil("r1", config("vigil-r1", 150, false, ""));
        vigil.awaitLog("(VI_1): Unable to create VMAC interface vrrp.51 on lan0: interface vrrp.51 exists and is not a"
                + " macvlan on lan0", START);
        vigil.awaitLog("(VI_1) Entering FAULT STATE (init)", START);
        vigil.term();
        assertThat(Sh.ok("ip", "-n", lab.ns("r1"), "-d", "link", "show", "vrrp.51")).contains("veth");
        assertThat(addresses("r1", "vrrp.51")).doesNotContain(Lab.VIP4);
    }

    private void awaitVipOn(String router, String vip) {
        String other = router.equals("r1") ? "r2" : "r1";
        await(vip + " on " + router + "'s vrrp.51 only").atMost(SHORT).pollInterval(Duration.ofMillis(100))
                .until(() -> addresses(router, "vrrp.51").contains(vip) && !addresses(other, "vrrp.51").contains(vip)
                        && lab.holders(vip).isEmpty());
    }

    /** The addresses on a host's interface; none when it does not exist. */
    private List<String> addresses(String host, String ifname) {
        Sh.Result r = Sh.quiet("ip", "-n", lab.ns(host), "-j", "addr", "show", "dev", ifname);
        Matcher m = Pattern.compile("\"local\":\"([^\"]+)\"").matcher(r.exit() == 0 ? r.out() : "");
        List<String> out = new java.util.ArrayList<>();
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    private String linkLocal(String host, String ifname) {
        return addresses(host, ifname).stream().filter(a -> a.startsWith("fe80:")).findFirst()
                .orElseThrow(() -> new AssertionError("no link-local address on " + host + " " + ifname));
    }

    private void awaitAdverts(Capture cap, String source, int n) {
        String filter = "vrrp && ip.src == " + source;
        int before = cap.fields(filter, "frame.number").size();
        await(n + " more adverts from " + source).atMost(SHORT).pollInterval(Duration.ofMillis(200))
                .until(() -> cap.fields(filter, "frame.number").size() >= before + n);
    }
}
