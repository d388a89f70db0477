package org.vigil.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.vigil.config.ConfFiles.lines;
import static org.vigil.config.ConfFiles.write;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** keepalived.conf(5) 2.2.7 "Sequence blocks" and "List blocks", with its own examples. */
class SequenceBlocksTest {
    @TempDir
    Path dir;

    private ParseResult parse(String body) {
        return KeepalivedConfig.parse(write(dir, "k.conf", body), "main");
    }

    private static String instanceWith(String vips) {
        return "vrrp_instance VI_1 {\n interface eth0\n virtual_router_id 51\n virtual_ipaddress {\n" + vips + "\n }\n}\n";
    }

    private static java.util.List<String> vips(ParseResult r) {
        return r.model().instance("VI_1").orElseThrow().virtualIpaddress().stream().map(VirtualIp::text).toList();
    }

    @Test
    void seqRepeatsTheRestOfTheLineWithTheVariable() {
        ParseResult r = parse(instanceWith("  ~SEQ(SUBNET, 0, 3) 10.0.${SUBNET}.1/24"));
        assertThat(lines(r.diagnostics())).isEmpty();
        assertThat(vips(r)).containsExactly("10.0.0.1/24", "10.0.1.1/24", "10.0.2.1/24", "10.0.3.1/24");
    }

    @Test
    void seqxIsHexadecimalAndSeveralBlocksNest() {
        ParseResult r = parse(instanceWith("  ~SEQx(AD2, 0x90, 0x10, 0xc0) ~SEQx(AD1, 0x12, -1, 0x11) fe81::10:${AD2}:${AD1}"));
        assertThat(vips(r)).containsExactly("fe81::10:90:12", "fe81::10:90:11", "fe81::10:a0:12", "fe81::10:a0:11",
                "fe81::10:b0:12", "fe81::10:b0:11", "fe81::10:c0:12", "fe81::10:c0:11");
    }

    @Test
    void omittedStartAndStepTakeKeepalivedsDefaults() {
        ParseResult r = parse(instanceWith("  ~SEQ(N, 3) 192.0.2.${N}/24"));
        assertThat(vips(r)).containsExactly("192.0.2.1/24", "192.0.2.2/24", "192.0.2.3/24");
    }

    @Test
    void lstSetsOneOrSeveralVariablesPerValue() {
        ParseResult r = parse(instanceWith("  ~LST({IP, IP1}, {10,1},{20,4}) 198.51.${IP}.${IP1}/24\n"
                + "  ~LST(X, 7, 8) 203.0.113.${X}/24"));
        assertThat(vips(r)).containsExactly("198.51.10.1/24", "198.51.20.4/24", "203.0.113.7/24", "203.0.113.8/24");
    }

    @Test
    void aSequenceOfWholeInstancesFromAMultilineDefinition() {
        ParseResult r = parse("""
                $VI= \\
                vrrp_instance VI_${ID} { \\
                    interface eth0 \\
                    virtual_router_id ${ID} \\
                    @main priority 130 \\
                    @^main priority 120 \\
                    virtual_ipaddress { \\
                        192.0.2.${ID}/24 \\
                    } \\
                }
                ~SEQ(ID, 1, 3) $VI
                """);
        assertThat(lines(r.diagnostics())).isEmpty();
        assertThat(r.model().instances()).extracting(VrrpInstance::name).containsExactly("VI_1", "VI_2", "VI_3");
        assertThat(r.model().instance("VI_3").orElseThrow().priority()).isEqualTo(130);
        assertThat(r.model().instance("VI_2").orElseThrow().virtualRouterId()).isEqualTo(2);
    }

    @Test
    void aBadSpecificationIsAnErrorWithItsLine() {
        ParseResult r = parse(instanceWith("  ~SEQ(N, 1, 0, 5) 192.0.2.${N}/24"));
        assertThat(lines(r.errors())).singleElement().asString().endsWith("k.conf:5: ~SEQ from 1 by 0 never reaches 5 - ignoring line");
    }

    @Test
    void randomIsInItsRange() {
        ParseResult r = parse(instanceWith("  192.0.2.${_RANDOM 10 12}/24"));
        assertThat(vips(r)).singleElement().satisfies(v -> assertThat(v).matches("192\\.0\\.2\\.1[0-2]/24"));
    }
}
