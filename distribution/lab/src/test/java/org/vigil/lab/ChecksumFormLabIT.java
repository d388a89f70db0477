package org.vigil.lab;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * VRRPv3 over IPv4 with {@code v3_checksum_as_v2} (RFC 9568: no pseudo-header). keepalived 2.2.7 does not
 * know the keyword ("Unknown keyword"), so two Vigils set alike carry the election; against keepalived, Vigil
 * set so still accepts keepalived's pseudo-header form, since receive takes both forms.
 */
class ChecksumFormLabIT extends LabTest {
    private static final Vrrp AS_V2 = Vrrp.v3AsV2("0.1");

    @Test
    void twoVigilsWithV3ChecksumAsV2ElectAndFailOverAndTsharkAgreesWithTheChecksum() {
        Capture cap = capture();
        Daemon r2 = vigil("r2", AS_V2.config("r2", 100));
        Daemon r1 = vigil("r1", AS_V2.config("r1", 150));
        VigilPairLabIT.awaitStates(r1, "MASTER", r2, "BACKUP");
        awaitAdverts(cap, AS_V2, "r1", 5);
        int mark = r2.mark();
        r1.term();
        r2.awaitLog("(VI_1) Entering MASTER STATE", mark, SHORT);
        cap.close();
        KeepalivedInteropLabIT.assertVigilPacketsDecode(cap, AS_V2, lab.mac("r1"));
        // the same packets checked with the pseudo-header do not verify: the form really is message-only
        assertThat(cap.fields("vrrp && ip.src == 192.0.2.11", "vrrp.checksum.status"))
                .allSatisfy(f -> assertThat(f[0]).isEqualTo("0"));
    }

    @Test
    void vigilWithV3ChecksumAsV2AcceptsKeepalivedsPseudoHeaderFormAsBackup() {
        Capture cap = capture();
        Daemon ka = keepalived("r2", Vrrp.v3("0.1").config("ka-r2", 150));
        ka.awaitLog("(VI_1) Entering MASTER STATE", START);
        Daemon vigil = vigil("r1", AS_V2.config("vigil-r1", 100));
        vigil.awaitLog("(VI_1) Entering BACKUP STATE (init)", START);
        // well past Vigil's Master_Down_Interval (0.36 s): it would be MASTER had it dropped the adverts
        awaitAdverts(cap, AS_V2, "r2", 10);
        assertThat(States.last(vigil)).isEqualTo("BACKUP");
        int mark = vigil.mark();
        int kaMark = ka.mark();
        ka.term();
        vigil.awaitLog("(VI_1) Backup received priority 0 advertisement", mark, SHORT);
        vigil.awaitLog("(VI_1) Entering MASTER STATE", mark, SHORT);
        assertThat(vigil.logText()).as("Vigil never took keepalived's adverts for bad ones")
                .doesNotContain("Invalid VRRPv3 checksum");
        assertThat(ka.logText().substring(kaMark)).contains("(VI_1) sent 0 priority");
    }
}
