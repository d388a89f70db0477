package org.vigil.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

class ConfigCheckTest {

    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8);

    private static String sample(String name) throws URISyntaxException {
        return Path.of(ConfigCheckTest.class.getResource("/samples/" + name).toURI()).toString();
    }

    private String printed() {
        return buffer.toString(StandardCharsets.UTF_8);
    }

    @Test
    void cleanConfigurationExitsZeroAndPrintsNothing() throws URISyntaxException {
        int status = ConfigCheck.run(List.of("-f", sample("two-routers-r1.conf")), "lan0"::equals, out);
        assertThat(status).isZero();
        assertThat(printed()).isEmpty();
    }

    @Test
    void errorsExitFiveLikeKeepalivedAndPrintFileLine() throws URISyntaxException {
        String file = sample("two-routers-error.conf");
        int status = ConfigCheck.run(List.of("-f", file), "lan0"::equals, out);
        assertThat(status).isEqualTo(ConfigCheck.EXIT_CONFIG_ERROR);
        assertThat(printed().lines()).containsExactly(
                file + ":7: (VI_1) the virtual router id must be set",
                file + ":10: (VI_1): VRID '256' not valid - must be between 1 & 255",
                file + ":15: VRRP parsed invalid IP 192.0.2.300/24. skipping IP...");
    }

    @Test
    void unknownInterfaceFailsTheCheck() throws URISyntaxException {
        String file = sample("two-routers-r2.conf");
        int status = ConfigCheck.run(List.of("--use-file", file), name -> false, out);
        assertThat(status).isEqualTo(ConfigCheck.EXIT_CONFIG_ERROR);
        assertThat(printed().lines()).containsExactly(file + ":17: interface lan0 for vrrp_instance VI_1 doesn't exist");
    }

    @Test
    void badArgumentsPrintUsage() {
        assertThat(ConfigCheck.run(List.of("-x"), name -> true, out)).isEqualTo(2);
        assertThat(printed()).startsWith("usage:");
    }
}
