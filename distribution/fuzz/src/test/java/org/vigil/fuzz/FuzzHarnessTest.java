package org.vigil.fuzz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.vigil.codec.DecodeStatus;
import org.vigil.config.ConfigurationRecord;
import org.vigil.config.Diagnostic;
import org.vigil.config.Diagnostic.Severity;

/** The harness's own oracles: they accept what is right and reject what is wrong. */
class FuzzHarnessTest {
    private static final HexFormat HEX = HexFormat.of();
    /** keepalived 2.2.7, VRRPv3 over IPv4, VRID 51, priority 150, from 192.0.2.11 (a lab capture). */
    private static final byte[] V3_IPV4 = HEX.parseHex("31339601000ad32cc00002f9");
    private static final byte[] SRC = HEX.parseHex("c000020b");
    private static final byte[] DST = HEX.parseHex("e0000012");

    @Test
    void receiveOracleReadsACaptureAsKeepalivedSentIt() {
        assertThat(ReceiveOracle.expectedStatus(V3_IPV4, 0, 12, false, SRC, DST, 255)).isEqualTo(DecodeStatus.OK);
        assertThat(ReceiveOracle.expectedStatus(V3_IPV4, 0, 12, false, SRC, DST, 64)).isEqualTo(DecodeStatus.BAD_TTL);
        byte[] flipped = V3_IPV4.clone();
        flipped[2] ^= 1;
        assertThat(ReceiveOracle.expectedStatus(flipped, 0, 12, false, SRC, DST, 255))
                .isEqualTo(DecodeStatus.BAD_CHECKSUM);
        ReceiveOracle.fixChecksum(flipped, 0, 12, false, SRC, DST, false);
        assertThat(ReceiveOracle.expectedStatus(flipped, 0, 12, false, SRC, DST, 255)).isEqualTo(DecodeStatus.OK);
        assertThat(ReceiveOracle.expectedStatus(V3_IPV4, 0, 11, false, SRC, DST, 255)).isEqualTo(DecodeStatus.TRUNCATED);
        assertThat(ReceiveOracle.expectedStatus(V3_IPV4, 0, 12, true, SRC, DST, 255)).isEqualTo(DecodeStatus.TRUNCATED);
    }

    @Test
    void codecTargetAcceptsTheCaptureAndItsVariants() {
        for (int flags : new int[] {0, CodecFuzzer.ALSO_NULL_OUT, CodecFuzzer.FIX_CHECKSUM | CodecFuzzer.MESSAGE_ONLY,
                CodecFuzzer.OWN_TTL, CodecFuzzer.NO_ADDRESSES, CodecFuzzer.IPV6 | CodecFuzzer.FIX_CHECKSUM}) {
            byte[] input = concat(new byte[] {(byte) flags, 1, (byte) 0x47}, SRC, DST, V3_IPV4);
            assertThatCode(() -> CodecFuzzer.fuzzerTestOneInput(input)).doesNotThrowAnyException();
        }
    }

    @Test
    void configTargetSplitsFilesAtMarkerLines() {
        byte[] input = ("include inc/*.conf\n%%file inc/a.conf\nglobal_defs {\n}\n%%file /x.conf\n")
                .getBytes(StandardCharsets.UTF_8);
        Map<String, byte[]> files = ConfigFuzzer.write(input);
        assertThat(files).containsOnlyKeys("/etc/keepalived/keepalived.conf", "/etc/keepalived/inc/a.conf", "/x.conf");
        assertThat(new String(files.get("/etc/keepalived/inc/a.conf"), StandardCharsets.UTF_8))
                .isEqualTo("global_defs {\n}");
        assertThatCode(() -> ConfigFuzzer.fuzzerTestOneInput(input)).doesNotThrowAnyException();
    }

    @Test
    void diagnosticsOracleRejectsWrongFilesLinesOrderAndInternalErrors() {
        Map<String, byte[]> files = Map.of("/etc/keepalived/keepalived.conf", "a\nb\n".getBytes(StandardCharsets.UTF_8));
        String main = "/etc/keepalived/keepalived.conf";
        assertThatCode(() -> ConfigFuzzer.checkDiagnostics(List.of(error(main, 0), error(main, 3)), files))
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> ConfigFuzzer.checkDiagnostics(List.of(error(main, 4)), files))
                .isInstanceOf(InvariantViolation.class).hasMessageContaining("outside");
        assertThatThrownBy(() -> ConfigFuzzer.checkDiagnostics(List.of(error("/etc/passwd", 1)), files))
                .isInstanceOf(InvariantViolation.class).hasMessageContaining("not read");
        assertThatThrownBy(() -> ConfigFuzzer.checkDiagnostics(List.of(error(main, 2), error(main, 1)), files))
                .isInstanceOf(InvariantViolation.class).hasMessageContaining("order");
        Diagnostic internal = new Diagnostic(Severity.ERROR, main, 0, "internal error while reading: x");
        assertThatThrownBy(() -> ConfigFuzzer.checkDiagnostics(List.of(internal), files))
                .isInstanceOf(InvariantViolation.class).hasMessageContaining("unexpected exception");
    }

    @Test
    void recordsOracleRejectsValuesConfigurationAdminWouldNotTake() {
        assertThatCode(() -> ConfigFuzzer.checkRecords(List.of(record("priority", 100), record("vips", new String[] {"a"}))))
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> ConfigFuzzer.checkRecords(List.of(record("interval", BigDecimal.ONE))))
                .isInstanceOf(InvariantViolation.class).hasMessageContaining("BigDecimal");
        assertThatThrownBy(() -> ConfigFuzzer.checkRecords(List.of(record("vips", new String[] {null}))))
                .isInstanceOf(InvariantViolation.class);
    }

    private static Diagnostic error(String file, int line) {
        return new Diagnostic(Severity.ERROR, file, line, "bad");
    }

    private static ConfigurationRecord record(String key, Object value) {
        return new ConfigurationRecord("org.vigil.vrrp.instance", true, "VI_1", Map.of(key, value));
    }

    private static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }
}
