package org.vigil.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Vigil on r1 and Debian's keepalived 2.2.7 on r2, each in turn master and backup: the right master (both
 * logs), the VIP on exactly one router, failover both ways, keepalived's own transition lines, and every
 * Vigil packet decoded by tshark with a good checksum and TTL / hop limit 255.
 */
class KeepalivedInteropLabIT extends LabTest {

    static Stream<Vrrp> flavours() {
        // v2 needs whole seconds; v3 runs at 0.1 s to keep the lab quick
        return Stream.of(Vrrp.v2Pass(), Vrrp.v3("0.1"), Vrrp.v3Ipv6("0.1"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("flavours")
    void vigilAndKeepalivedTakeTurnsAsMasterAndBackup(Vrrp v) {
        scenario(v);
    }

    @Test
    void withAhVigilAndKeepalivedTakeTurnsAsMasterAndBackup() {
        Capture cap = scenario(Vrrp.v2Ah());
        // Vigil's AH advert is laid out as keepalived's (lab.md section 7): same header fields and sizes,
        // SPI = the sender's IPv4 address, Vigil's sequence number from 1 at its first start
        String[] fields = { "ah.spi", "ah.sequence", "ah.next_header", "ah.length", "ip.dsfield", "ip.ttl",
            "ip.flags.df", "frame.len", "vrrp.auth_type", "vrrp.checksum.status" };
        List<String[]> vigil = cap.fields("ah && ip.src == 192.0.2.11", fields);
        List<String[]> ka = cap.fields("ah && ip.src == 192.0.2.12", fields);
        assertThat(vigil).isNotEmpty();
        assertThat(ka).isNotEmpty();
        assertThat(vigil.get(0)).containsExactly("0xc000020b", "1", "112", "4", ka.get(0)[4], ka.get(0)[5], ka.get(0)[6],
                ka.get(0)[7], ka.get(0)[8], "1");
        // keepalived's first one is not at 1: a backup syncs its sequence number from the master's adverts
        assertThat(ka.get(0)[0]).isEqualTo("0xc000020c");
    }

    /** Lines with which keepalived (and Vigil, in keepalived's words) report a packet they dropped. */
    private static final String DROPPED = "(?i).*(invalid|wrong version|expecting|expected|mismatch|AH header"
            + "|already processed|checksum).*";

    private Capture scenario(Vrrp v) {
        Capture cap = capture();
        Duration failover = Duration.ofMillis((long) (v.masterDownSeconds(50) * 1000) + 5000);

        // 1. Vigil 150 master, keepalived 100 backup
        Daemon vigil = vigil("r1", v.config("vigil-r1", 150));
        vigil.awaitLog("(VI_1) Entering BACKUP STATE (init)", START);
        Daemon ka = keepalived("r2", v.config("ka-r2", 100));
        VigilPairLabIT.awaitStates(vigil, "MASTER", ka, "BACKUP");
        assertThat(ka.logText()).contains("(VI_1) Entering BACKUP STATE");
        awaitVipOnlyOn(v, "r1");

        // 2. Vigil stops (priority 0): keepalived takes over
        int kaMark = ka.mark();
        vigil.term();
        ka.awaitLog("(VI_1) Entering MASTER STATE", kaMark, failover);
        awaitVipOnlyOn(v, "r2");

        // 3. Vigil back at 50: keepalived stays master, Vigil backup
        Daemon low = vigil("r1", v.config("vigil-r1", 50));
        low.awaitLog("(VI_1) Entering BACKUP STATE (init)", START);
        awaitAdverts(cap, v, "r2", 3 + (int) Math.ceil(v.masterDownSeconds(50) / v.advertSeconds()));
        assertThat(States.last(low)).as("Vigil at 50 under keepalived at 100").isEqualTo("BACKUP");
        assertThat(States.last(ka)).isEqualTo("MASTER");
        awaitVipOnlyOn(v, "r2");

        // 4. keepalived stops: Vigil takes over; keepalived logs its own way out
        int vMark = low.mark();
        ka.term();
        assertThat(ka.logText()).contains("(VI_1) sent 0 priority");
        low.awaitLog("(VI_1) Backup received priority 0 advertisement", vMark, SHORT);
        low.awaitLog("(VI_1) Entering MASTER STATE", vMark, SHORT);
        awaitVipOnlyOn(v, "r1");
        awaitAdverts(cap, v, "r1", 2);
        cap.close();

        assertVigilPacketsDecode(cap, v, lab.mac("r1"));
        for (Daemon d : List.of(vigil, ka, low)) {
            assertThat(d.logText().lines()).as(d.label + " dropped none of its peer's packets").noneMatch(
                    l -> l.matches(DROPPED));
        }
        return cap;
    }

    /** The VIP on this router's lan0 and on no other router's. */
    private void awaitVipOnlyOn(Vrrp v, String router) {
        await("the VIP " + v.vip() + " on " + router + " only").atMost(SHORT).pollInterval(Duration.ofMillis(100))
                .until(() -> lab.holders(v.vip()).equals(List.of(router)));
    }

    /** Every VRRP packet from Vigil's MAC is VRRP to tshark, with a good checksum and TTL / hop limit 255. */
    static void assertVigilPacketsDecode(Capture cap, Vrrp v, String mac) {
        List<String> opts = v.checksumAsV2() ? List.of("-o", "vrrp.v3_checksum_as_in_v2:TRUE") : List.of();
        String from = "eth.src == " + mac;
        String proto = v.ipv6() ? "ipv6.nxt == 112" : v.auth() != null && v.auth().equals("AH") ? "ip.proto == 51"
                : "ip.proto == 112";
        List<String[]> all = cap.fields(opts, from + " && " + proto, "frame.number", "vrrp.version", "vrrp.prio",
                "vrrp.checksum.status", v.ipv6() ? "ipv6.hlim" : "ip.ttl", "vrrp.virt_rtr_id");
        assertThat(all).as("Vigil's adverts in " + cap.pcap).hasSizeGreaterThan(3);
        assertThat(all).as("tshark on Vigil's packets (frame, version, prio, checksum status, ttl, vrid)")
                .allSatisfy(f -> {
                    assertThat(f[1]).as("frame %s version", f[0]).isEqualTo(Integer.toString(v.version()));
                    assertThat(f[3]).as("frame %s checksum status (1 = good)", f[0]).isEqualTo("1");
                    assertThat(f[4]).as("frame %s TTL / hop limit", f[0]).isEqualTo("255");
                    assertThat(f[5]).as("frame %s VRID", f[0]).isEqualTo("51");
                });
        assertThat(all).as("Vigil's priority-0 advert").anySatisfy(f -> assertThat(f[2]).isEqualTo("0"));
    }
}
