package org.vigil.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * virtual_routes / virtual_rules following the master and static_* staying put, with Debian's
 * keepalived 2.2.7 as the peer; and the announcements with global vrrp_garp_* defaults, counted
 * on the wire for Vigil and for keepalived with the same configuration.
 */
class RoutingLabIT extends LabTest {

    /** The same instance for both routers: a route in table 101 with metric and src, a rule for it. */
    static String config(String router, int priority, String global) {
        return """
                global_defs {
                  router_id %1$s
                %3$s}
                static_ipaddress {
                  198.51.100.%4$s/32 dev lan0
                }
                static_routes {
                  203.0.113.0/26 dev lan0 table 200 scope link metric 3
                }
                static_rules {
                  from 198.51.100.0/24 table 200 priority 100
                }
                vrrp_instance VI_1 {
                  state BACKUP
                  interface lan0
                  virtual_router_id 51
                  priority %2$d
                  advert_int 1
                  virtual_ipaddress {
                    192.0.2.249/24
                  }
                  virtual_routes {
                    203.0.113.128/25 dev lan0 table 101 src 192.0.2.249 metric 5
                  }
                  virtual_rules {
                    to 203.0.113.128/25 table 101 priority 300
                  }
                }
                """.formatted(router, priority, global, router.substring(1));
    }

    /** Table 101's routes; empty also when the table does not exist (yet, or any more). */
    private String virtualRoute(String host) {
        Sh.Result r = Sh.quiet("ip", "-n", lab.ns(host), "route", "show", "table", "101");
        return r.exit() == 0 ? r.out().trim() : "";
    }

    private String rule(String host, String pref) {
        return Sh.ok("ip", "-n", lab.ns(host), "rule", "show").lines().filter(l -> l.startsWith(pref + ":"))
                .findFirst().orElse("");
    }

    private String staticState(String host) {
        Sh.Result table = Sh.quiet("ip", "-n", lab.ns(host), "route", "show", "table", "200");
        return Sh.ok("ip", "-n", lab.ns(host), "addr", "show", "lan0") + table.out() + rule(host, "100");
    }

    @Test
    void virtualRoutesAndRulesMoveWithTheMasterWhileStaticOnesStay() {
        Daemon vigil = vigil("r1", config("r1", 150, ""));
        vigil.awaitLog("(VI_1) Entering BACKUP STATE (init)", START);
        Daemon ka = keepalived("r2", config("r2", 100, ""));
        VigilPairLabIT.awaitStates(vigil, "MASTER", ka, "BACKUP");

        await("Vigil's virtual route and rule").atMost(SHORT).until(() -> !virtualRoute("r1").isEmpty()
                && !rule("r1", "300").isEmpty());
        String vigilRoute = virtualRoute("r1");
        String vigilRule = rule("r1", "300");
        assertThat(vigilRoute).isEqualTo("203.0.113.128/25 dev lan0 proto keepalived src 192.0.2.249 metric 5");
        assertThat(vigilRule).isEqualTo("300:\tfrom all to 203.0.113.128/25 lookup 101 proto keepalived");
        assertThat(virtualRoute("r2")).as("keepalived backup holds no virtual route").isEmpty();
        assertThat(rule("r2", "300")).isEmpty();
        for (String r : List.of("r1", "r2")) {
            assertThat(staticState(r)).as("static entries on " + r).contains("198.51.100." + r.substring(1) + "/32",
                    "203.0.113.0/26 dev lan0 proto keepalived scope link metric 3",
                    "100:\tfrom 198.51.100.0/24 lookup 200 proto keepalived");
        }

        // Vigil stops: keepalived takes over the route and the rule; Vigil's statics go (keepalived's exit too)
        int mark = ka.mark();
        vigil.term();
        ka.awaitLog("(VI_1) Entering MASTER STATE", mark, SHORT);
        await("keepalived's virtual route and rule").atMost(SHORT).until(() -> !virtualRoute("r2").isEmpty()
                && !rule("r2", "300").isEmpty());
        assertThat(virtualRoute("r2")).as("keepalived adds the route Vigil added").isEqualTo(vigilRoute);
        assertThat(rule("r2", "300")).as("keepalived adds the rule Vigil added").isEqualTo(vigilRule);
        assertThat(virtualRoute("r1")).isEmpty();
        assertThat(rule("r1", "300")).isEmpty();
        assertThat(staticState("r1")).as("Vigil removes its static entries at stop")
                .doesNotContain("198.51.100.1/32", "203.0.113.0/26", "lookup 200");
        assertThat(staticState("r2")).contains("198.51.100.2/32", "203.0.113.0/26", "lookup 200");

        // Vigil back at 200 takes over again, and keeps its statics against deletion as keepalived does
        Daemon back = vigil("r1", config("r1", 200, ""));
        back.awaitLog("(VI_1) Entering MASTER STATE", START);
        await("the route and rule back on r1 only").atMost(SHORT).until(() -> virtualRoute("r1").equals(vigilRoute)
                && virtualRoute("r2").isEmpty() && rule("r2", "300").isEmpty());
        int vMark = back.mark();
        Sh.ok("ip", "-n", lab.ns("r1"), "addr", "del", "198.51.100.1/32", "dev", "lan0");
        back.awaitLog("Restoring deleted static address 198.51.100.1/32 dev lan0", vMark, SHORT);
        assertThat(staticState("r1")).contains("198.51.100.1/32");
    }

    /** Frame times (s) of the gratuitous ARPs for the VIP sent from this router's MAC. */
    private List<Double> garps(Capture cap, String router) {
        return cap.fields("arp.isgratuitous == 1 && arp.src.proto_ipv4 == 192.0.2.249 && eth.src == "
                + lab.mac(router), "frame.time_epoch").stream().map(f -> Double.parseDouble(f[0])).toList();
    }

    /**
     * Global vrrp_garp_master_repeat / vrrp_garp_master_delay copied onto the instance: 3 frames at
     * once and 3 more 2 s later, from Vigil and from keepalived alike. (keepalived 2.2.7 with a
     * vrrp_garp_interval sent fewer frames than garp_master_repeat in the lab, 2 or 1 per burst:
     * Vigil sends them all, spaced, as keepalived.conf(5) says; the spacing is checked on Vigil alone.)
     */
    @Test
    void globalGarpDefaultsGiveTheSameBurstsAsKeepalived() {
        String global = "  vrrp_garp_master_repeat 3\n  vrrp_garp_master_delay 2\n";
        Capture cap = capture();
        Daemon vigil = vigil("r1", config("r1", 150, global).replace("state BACKUP", "state MASTER"));
        vigil.awaitLog("(VI_1) Entering MASTER STATE", START);
        await("Vigil's two bursts").atMost(Duration.ofSeconds(10)).until(() -> garps(cap, "r1").size() >= 6);
        vigil.term();
        Daemon ka = keepalived("r2", config("r2", 150, global).replace("state BACKUP", "state MASTER"));
        ka.awaitLog("(VI_1) Entering MASTER STATE", START);
        await("keepalived's two bursts").atMost(Duration.ofSeconds(10)).until(() -> garps(cap, "r2").size() >= 6);
        ka.term();
        // the spacing from a garp_group over the global setting
        int before = garps(cap, "r1").size();
        Daemon spaced = vigil("r1", config("r1", 150, global + "  vrrp_garp_interval 0.05\n").replace("state BACKUP",
                "state MASTER") + "garp_group {\n  garp_interval 0.2\n  interface lan0\n}\n");
        spaced.awaitLog("(VI_1) Entering MASTER STATE", START);
        await("Vigil's spaced bursts").atMost(Duration.ofSeconds(10)).until(() -> garps(cap, "r1").size() >= before + 6);
        spaced.term();
        cap.close();

        List<Double> v = garps(cap, "r1").subList(0, before);
        List<Double> k = garps(cap, "r2");
        List<Double> s = garps(cap, "r1").subList(before, garps(cap, "r1").size());
        System.out.printf("GARP offsets from the first, s (vrrp_garp_master_repeat 3, delay 2; garp_group interval 0.2)%n");
        System.out.printf("| frame | Vigil | keepalived | Vigil, interval 0.2 |%n| --- | --- | --- | --- |%n");
        for (int i = 0; i < Math.max(v.size(), Math.max(k.size(), s.size())); i++) {
            System.out.printf("| %d | %s | %s | %s |%n", i + 1, offset(v, i), offset(k, i), offset(s, i));
        }
        assertThat(v).as("Vigil's GARPs").hasSize(6);
        assertThat(k).as("keepalived's GARPs").hasSize(6);
        assertThat(s).as("Vigil's spaced GARPs").hasSize(6);
        for (List<Double> t : List.of(v, k)) {
            assertThat(t.get(2) - t.get(0)).as("a burst is back to back").isLessThan(0.1);
            assertThat(t.get(3) - t.get(0)).as("the second burst after garp_master_delay").isBetween(1.8, 2.6);
        }
        assertThat(s.get(1) - s.get(0)).as("garp_group's interval").isBetween(0.15, 0.35);
        assertThat(s.get(2) - s.get(1)).isBetween(0.15, 0.35);
        assertThat(s.get(3) - s.get(0)).isBetween(1.8, 2.8);
    }

    private static String offset(List<Double> t, int i) {
        return i < t.size() ? String.format("%.3f", t.get(i) - t.get(0)) : "-";
    }
}
