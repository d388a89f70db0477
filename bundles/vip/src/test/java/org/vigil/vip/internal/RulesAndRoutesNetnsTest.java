package org.vigil.vip.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.vigil.api.vip.AnnouncePolicy;
import org.vigil.api.vip.VirtualRoute;
import org.vigil.api.vip.VirtualRule;
import org.vigil.testing.netns.NamespaceThread;
import org.vigil.testing.netns.NetnsLab;

/**
 * The RTM_NEWRULE / RTM_NEWROUTE requests Vigil sends, judged by iproute2: each rule and route is
 * added by Vigil in namespace "vigil" and by {@code ip rule add} / {@code ip route add} (the same
 * words, plus keepalived's "proto 18") in namespace "iproute2", two namespaces built alike; then
 * {@code ip -d rule show} and {@code ip -d route show table all} must print the same in both.
 * Removing through Vigil (RTM_DELRULE / RTM_DELROUTE) must leave nothing behind. Needs root.
 */
class RulesAndRoutesNetnsTest {

    /** keepalived's virtual_rules / static_rules words, which are ip rule's. */
    static final List<String> RULES = List.of(
            "from 198.51.100.0/24 table 100 priority 200",
            "to 203.0.113.0/24 table 101 preference 300",
            "not from 192.0.2.0/24 to 198.51.100.7 iif lan0 oif lo tos 0x10 fwmark 0x24/0xff table 1000 pref 400",
            "from 203.0.113.0/25 pref 500 blackhole",
            "pref 510 unreachable",
            "pref 520 prohibit",
            "pref 530 goto 700",
            "pref 600 nop",
            "pref 700 lookup main suppress_prefixlength 0",
            "pref 720 uidrange 1000-2000 table 5",
            "pref 730 ipproto tcp sport 1000-2000 dport 80 table 6",
            "pref 740 realms 3/4 table 7",
            "pref 750 fwmark 7 table 8 protocol static",
            "pref 760 l3mdev",
            "from 2001:db8:1::/48 table 100 pref 800",
            "inet6 to 2001:db8:2::/64 pref 810 fwmark 7 table 3000");

    /**
     * keepalived's virtual_routes / static_routes words, which are ip route's. A gateway must be
     * reachable in the route's own table (the kernel: "Nexthop has invalid gateway"), so routes
     * through one are in main or onlink.
     */
    static final List<String> ROUTES = List.of(
            "203.0.113.0/24 via 192.0.2.254 dev lan0 metric 7 src 192.0.2.1",
            "unreachable 198.51.100.0/24 table 101",
            "prohibit 198.51.100.0/25 table 102 metric 3",
            "throw 198.51.100.128/25 table 103",
            "blackhole 2001:db8:5::/48 table 104",
            "2001:db8:6::/64 via 2001:db8::fe dev lan0 metric 9",
            "198.51.100.64/26 via 203.0.113.9 dev lan0 onlink table 1006",
            "203.0.113.128/25 dev lan0 scope link table 107 proto static",
            "default via 192.0.2.254 metric 50");

    private static NetnsLab vigilLab;
    private static NetnsLab ipLab;
    private static String vigil;
    private static String iproute2;

    @BeforeAll
    static void buildLabs() throws IOException {
        NetnsLab.requireRootAndIp("the rule and route comparison with iproute2");
        vigilLab = new NetnsLab("rules-v");
        ipLab = new NetnsLab("rules-i");
        for (NetnsLab lab : List.of(vigilLab, ipLab)) {
            lab.createSwitch();
            lab.addHost("r", "02:00:5e:00:00:0a", "192.0.2.1/24", "2001:db8::1/64");
            NetnsLab.ip("-n", lab.ns("r"), "link", "set", "lo", "up");
        }
        vigil = vigilLab.ns("r");
        iproute2 = ipLab.ns("r");
    }

    @AfterAll
    static void removeLabs() {
        for (NetnsLab lab : new NetnsLab[] {vigilLab, ipLab}) {
            if (lab != null) {
                lab.close();
            }
        }
    }

    private static String withKeepalivedProtocol(String words, String keyword) {
        return words.contains(" protocol ") || words.contains(" proto ") ? words : words + " " + keyword + " 18";
    }

    private static List<String> split(String words) {
        return List.of(words.trim().split("\\s+"));
    }

    private static String rules(String ns) throws IOException {
        return NetnsLab.ip("-n", ns, "-d", "rule", "show") + NetnsLab.ip("-n", ns, "-d", "-6", "rule", "show");
    }

    private static String routes(String ns) throws IOException {
        return NetnsLab.ip("-n", ns, "-d", "route", "show", "table", "all")
                + NetnsLab.ip("-n", ns, "-d", "-6", "route", "show", "table", "all");
    }

    @Test
    void vigilsRulesAndRoutesAreWhatIpRuleAndIpRouteMake() throws Exception {
        String rulesBefore = rules(vigil);
        String routesBefore = routes(vigil);
        List<VirtualRule> rules = RULES.stream().map(VirtualRule::parse).toList();
        List<VirtualRoute> routes = ROUTES.stream().map(r -> VirtualRoute.parse(r, "lan0")).toList();
        NetlinkVipManager manager = new NetlinkVipManager(NamespaceThread.factory(vigil), false);
        try {
            manager.acquire("T", List.of(), routes, rules, AnnouncePolicy.NONE);
            manager.awaitIdle();
            // routes first, as Vigil adds them: the unreachable rules would fail a gateway check
            for (String r : ROUTES) {
                List<String> command = new ArrayList<>(List.of("-n", iproute2, "route", "add"));
                command.addAll(split(withKeepalivedProtocol(r, "proto")));
                NetnsLab.ip(command.toArray(String[]::new));
            }
            for (String r : RULES) {
                List<String> command = new ArrayList<>(List.of("-n", iproute2, "rule", "add"));
                if (r.contains(":")) {
                    command.add(2, "-6");
                }
                command.addAll(split(withKeepalivedProtocol(r.replace("inet6 ", ""), "protocol")));
                NetnsLab.ip(command.toArray(String[]::new));
            }
            String vigilRules = rules(vigil);
            System.out.println("rules added by Vigil:\n" + vigilRules);
            assertThat(vigilRules).isEqualTo(rules(iproute2));
            String vigilRoutes = routes(vigil);
            System.out.println("routes added by Vigil:\n" + vigilRoutes);
            assertThat(vigilRoutes).isEqualTo(routes(iproute2));

            manager.release("T", List.of(), routes, rules);
            manager.awaitIdle();
            assertThat(rules(vigil)).isEqualTo(rulesBefore);
            assertThat(routes(vigil)).isEqualTo(routesBefore);
        } finally {
            manager.deactivate();
        }
    }
}
