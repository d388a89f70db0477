package org.vigil.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * The opt-in metrics endpoint of a running appliance, scraped with curl inside the router's
 * namespace as Prometheus would scrape it: the VRRP state under keepalived-exporter's names, and
 * a real server (python3 http.server on r2) leaving and rejoining its pool.
 */
class MetricsLabIT extends LabTest {
    static final String SCRAPE = "http://127.0.0.1:9165/metrics";

    /** A copy of the distribution whose deploy/ enables the endpoint (the shared one stays as shipped). */
    private Path distWithMetrics() {
        return distWith("deploy/org.vigil.metrics.cfg", "port = 9165\n");
    }

    private String scrape() {
        Sh.Result r = Sh.quiet("ip", "netns", "exec", lab.ns("r1"), "curl", "-sS", "--max-time", "3", SCRAPE);
        return r.exit() == 0 ? r.out() : "";
    }

    @Test
    void aScrapeShowsTheMasterUnderKeepalivedExportersNamesAndTheRealServersHealth() {
        Bench.Helper web = webServerOnR2();
        String config = """
                vrrp_instance VI_1 {
                    state BACKUP
                    interface lan0
                    virtual_router_id 51
                    priority 150
                    advert_int 1
                    virtual_ipaddress {
                        203.0.113.51/32 dev lan0
                    }
                }
                """ + virtualServerOnR2("203.0.113.51");
        Daemon r1 = track(new Daemon.Vigil(lab, "r1", dir("vigil-r1"), config, distWithMetrics()));
        await().atMost(START).until(() -> States.last(r1).equals("MASTER"));
        String vs = "vs=\"[203.0.113.51]:tcp:8080\",rs=\"[192.0.2.12]:tcp:8080\"";
        await().atMost(SHORT).until(() -> scrape().contains("vigil_real_server_up{" + vs + "} 1"));
        List<String> lines = scrape().lines().toList();
        assertThat(lines).contains("keepalived_up 1",
                "keepalived_vrrp_state{iname=\"VI_1\",intf=\"lan0\",vrid=\"51\",ip_address=\"203.0.113.51/32\"} 2",
                "keepalived_become_master_total{iname=\"VI_1\",intf=\"lan0\",vrid=\"51\"} 1",
                "vigil_vrrp_addresses_held{iname=\"VI_1\",intf=\"lan0\",vrid=\"51\"} 1",
                "vigil_virtual_server_quorum_up{vs=\"[203.0.113.51]:tcp:8080\"} 1");
        assertThat(lines).anyMatch(l -> l.matches(
                "keepalived_advertisements_sent_total\\{iname=\"VI_1\",intf=\"lan0\",vrid=\"51\"} [1-9][0-9]*"));
        // the histograms: every advert timer's lateness (the first advert after the takeover is not a
        // timer's, so wait for the next), every check attempt's duration
        await().atMost(SHORT).untilAsserted(() -> assertThat(scrape())
                .containsPattern("vigil_vrrp_timer_lateness_seconds_count\\{timer=\"advert\"} [1-9][0-9]*"));
        lines = scrape().lines().toList();
        assertThat(lines).contains("vigil_vrrp_timer_lateness_seconds_count{timer=\"master_down\"} 1");
        assertThat(lines).anyMatch(l -> l.matches(
                "vigil_vrrp_timer_lateness_seconds_bucket\\{timer=\"advert\",le=\"0.02\"} [1-9][0-9]*"));
        assertThat(lines).anyMatch(l -> l.matches(
                "vigil_checker_check_duration_seconds_count\\{check=\"TCP_CHECK\"} [1-9][0-9]*"));
        assertThat(Sh.quiet("ip", "netns", "exec", lab.ns("r1"), "curl", "-sS", "--max-time", "3",
                "http://192.0.2.11:9165/metrics").exit()).as("loopback only by default").isNotZero();

        web.close();
        await().atMost(SHORT).until(() -> scrape().contains("vigil_real_server_up{" + vs + "} 0"));
        assertThat(scrape()).contains("vigil_virtual_server_quorum_up{vs=\"[203.0.113.51]:tcp:8080\"} 0");
        assertThat(r1.linesWith("Metrics endpoint listening on http://127.0.0.1:9165/metrics", 0)).hasSize(1);
    }
}
