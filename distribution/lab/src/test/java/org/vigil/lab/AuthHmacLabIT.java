package org.vigil.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * auth_hmac (keepalived 2.4.1's HMAC-SHA256 trailer) between two Vigils on real raw sockets, with an
 * attacker in c1 replaying, forging and injecting adverts (src/test/resources/vrrp-replay.py).
 * keepalived 2.2.7, Debian's, predates auth_hmac: it can only show that it does not accept a signed advert.
 */
class AuthHmacLabIT extends LabTest {
    private static final Vrrp V3 = Vrrp.v3("0.5");
    private static final Vrrp V3_IPV6 = Vrrp.v3Ipv6("0.5");
    private static final String KEY = "hex:6c61622d6b65792d666f722d617574682d686d61632d7665727920736563726574";
    private static final String BLOCK = "    auth_hmac {\n        key 3 " + KEY + "\n        active_key 3\n    }\n";

    private static String signed(Vrrp v, String router, int priority) {
        return v.config(router, priority).replace("    virtual_ipaddress {", BLOCK + "    virtual_ipaddress {");
    }

    @Test
    void signedPairElectsAndDropsReplayedForgedAndUnsignedAdverts() throws Exception {
        Capture cap = capture();
        Daemon r2 = vigil("r2", signed(V3, "r2", 100));
        Daemon r1 = vigil("r1", signed(V3, "r1", 150));
        VigilPairLabIT.awaitStates(r1, "MASTER", r2, "BACKUP");
        awaitAdverts(cap, V3, "r1", 3);
        // IPv4 header 20 + VRRPv3 with one VIP 12 + trailer 28
        assertThat(cap.fields("vrrp && ip.src == 192.0.2.11", "ip.len")).isNotEmpty()
                .allSatisfy(f -> assertThat(f[0]).isEqualTo("60"));

        int mark1 = r1.mark();
        int mark2 = r2.mark();
        Sh.Result attack = Sh.run(List.of("ip", "netns", "exec", lab.ns("c1"), "timeout", "30", "python3",
                script().toString(), "192.0.2.11", "1", "192.0.2.100"));
        assertThat(attack.out()).as(attack.err()).contains("sent replay", "sent forged", "sent unsigned");

        r2.awaitLog("(VI_1) auth_hmac: replayed sequence number from 192.0.2.11 - dropped", mark2, SHORT);
        r2.awaitLog("(VI_1) auth_hmac: invalid HMAC from 192.0.2.11 - dropped", mark2, SHORT);
        r1.awaitLog("(VI_1) auth_hmac: advert without a trailer from 192.0.2.100 - dropped", mark1, SHORT);
        // the unsigned priority-254 advert would have demoted r1: it did not, and nobody moved
        await("two more seconds of r1's adverts").atMost(SHORT).pollDelay(Duration.ofSeconds(2)).until(() -> true);
        assertThat(r1.logText().substring(mark1)).doesNotContain("Entering BACKUP STATE");
        assertThat(r2.logText().substring(mark2)).doesNotContain("Entering MASTER STATE");
        assertThat(States.last(r1)).isEqualTo("MASTER");
    }

    @Test
    void signedIpv6PairElectsAndTheBackupTakesOverAfterACrash() {
        Capture cap = capture();
        Daemon r2 = vigil("r2", signed(V3_IPV6, "r2", 100));
        Daemon r1 = vigil("r1", signed(V3_IPV6, "r1", 150));
        VigilPairLabIT.awaitStates(r1, "MASTER", r2, "BACKUP");
        awaitAdverts(cap, V3_IPV6, "r1", 3);
        // VRRPv3 with one IPv6 VIP 24 + trailer 28; the kernel's checksum covers both
        assertThat(cap.fields("vrrp && eth.src == " + lab.mac("r1"), "ipv6.plen")).isNotEmpty()
                .allSatisfy(f -> assertThat(f[0]).isEqualTo("52"));
        int mark = r2.mark();
        r1.crash();
        r2.awaitLog("(VI_1) Entering MASTER STATE", mark, SHORT);
        assertThat(r2.logText()).doesNotContain("auth_hmac:");
    }

    @Test
    void keepalived227CannotBeThePeerItDropsSignedAdvertsAndVigilDropsItsUnsignedOnes() {
        Daemon r1 = vigil("r1", signed(V3, "r1", 150));
        Daemon r2 = keepalived("r2", V3.config("r2", 100));
        await("both masters: neither accepts the other's adverts").atMost(START).pollInterval(Duration.ofMillis(200))
                .until(() -> States.last(r1).equals("MASTER") && States.last(r2).equals("MASTER"));
        r1.awaitLog("(VI_1) auth_hmac: advert without a trailer from 192.0.2.12 - dropped", SHORT);
    }

    private Path script() throws URISyntaxException {
        return Path.of(getClass().getResource("/vrrp-replay.py").toURI());
    }
}
