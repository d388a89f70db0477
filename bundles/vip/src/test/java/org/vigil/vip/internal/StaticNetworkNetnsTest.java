package org.vigil.vip.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.lang.annotation.Annotation;
import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.vigil.testing.netns.NamespaceThread;
import org.vigil.testing.netns.NetnsLab;

/**
 * static_ipaddress, static_routes and static_rules in a namespace, with what keepalived 2.2.7 did
 * with the same entries in the lab (2026-12-03): added at start, put back within moments when
 * deleted by hand ("Restoring deleted static address ..."), gone after stop; a reload that drops
 * an entry removes it. Needs root.
 */
class StaticNetworkNetnsTest {

    private static final Duration DEADLINE = Duration.ofSeconds(5);
    private static NetnsLab lab;
    private static String ns;

    @BeforeAll
    static void buildLab() throws IOException {
        NetnsLab.requireRootAndIp("the static entries namespace tests");
        lab = new NetnsLab("static");
        lab.createSwitch();
        lab.addHost("r1", "02:00:5e:00:00:0b", "192.0.2.1/24");
        ns = lab.ns("r1");
    }

    @AfterAll
    static void removeLab() {
        if (lab != null) {
            lab.close();
        }
    }

    static StaticNetworkComponent.Config config(String[] addresses, String[] routes, String[] rules) {
        return new StaticNetworkComponent.Config() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return StaticNetworkComponent.Config.class;
            }

            @Override
            public String[] static_ipaddress() {
                return addresses;
            }

            @Override
            public String[] static_routes() {
                return routes;
            }

            @Override
            public String[] static_rules() {
                return rules;
            }

            @Override
            public String default_interface() {
                return "lan0";
            }
        };
    }

    private static String state() throws IOException {
        return NetnsLab.ip("-n", ns, "addr", "show", "lan0") + NetnsLab.ip("-n", ns, "route", "show", "table", "all")
                + NetnsLab.ip("-n", ns, "rule", "show");
    }

    @Test
    void staticEntriesAreAddedKeptAgainstDeletionAndRemovedAtStop() throws Exception {
        String[] addresses = {"198.51.100.5/32"};
        String[] routes = {"203.0.113.0/24 via 192.0.2.254 dev lan0 table 100 metric 7"};
        String[] rules = {"from 198.51.100.0/24 table 100 priority 200"};
        StaticNetworkComponent c = new StaticNetworkComponent(NamespaceThread.factory(ns),
                config(addresses, routes, rules));
        try {
            c.awaitIdle();
            assertThat(state()).contains("inet 198.51.100.5/32 scope global lan0",
                    "203.0.113.0/24 via 192.0.2.254 dev lan0 table 100 proto keepalived metric 7",
                    "200:\tfrom 198.51.100.0/24 lookup 100 proto keepalived");

            // someone deletes them: keepalived puts them back, so does Vigil
            NetnsLab.ip("-n", ns, "rule", "del", "priority", "200");
            NetnsLab.ip("-n", ns, "route", "del", "203.0.113.0/24", "table", "100");
            NetnsLab.ip("-n", ns, "addr", "del", "198.51.100.5/32", "dev", "lan0");
            await().atMost(DEADLINE).untilAsserted(() -> assertThat(state()).contains(
                    "inet 198.51.100.5/32 scope global lan0", "203.0.113.0/24 via 192.0.2.254 dev lan0 table 100",
                    "200:\tfrom 198.51.100.0/24 lookup 100"));

            // a reload without the rule removes it and keeps the rest
            c.modified(config(addresses, routes, new String[0]));
            c.awaitIdle();
            assertThat(state()).doesNotContain("lookup 100").contains("198.51.100.5/32", "203.0.113.0/24");
        } finally {
            c.deactivate();
        }
        assertThat(state()).doesNotContain("198.51.100.5", "203.0.113.0", "lookup 100");
    }
}
