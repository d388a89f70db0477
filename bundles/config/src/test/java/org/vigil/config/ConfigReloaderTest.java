package org.vigil.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The one wording of a reload's verdict, as vigil:reload, ctl and JMX's reload give it. */
class ConfigReloaderTest {

    private static ConfigReloader returning(Diagnostic... diagnostics) {
        return new ConfigReloader() {
            @Override
            public List<Diagnostic> reload() {
                return List.of(diagnostics);
            }

            @Override
            public Path configFile() {
                return Path.of("/etc/keepalived/keepalived.conf");
            }
        };
    }

    @Test
    void aGoodFileIsAppliedWithItsWarningsFirst() {
        assertThat(returning().reloadVerdict()).isEqualTo("/etc/keepalived/keepalived.conf: applied");
        assertThat(returning(new Diagnostic(Diagnostic.Severity.WARNING, "keepalived.conf", 4, "unknown keyword 'x'"))
                .reloadVerdict()).isEqualTo("keepalived.conf:4: unknown keyword 'x'\n/etc/keepalived/keepalived.conf: applied");
    }

    @Test
    void aFileWithAnErrorIsNotAppliedAndTheCommandFails() {
        assertThatThrownBy(() -> returning(new Diagnostic(Diagnostic.Severity.ERROR, "keepalived.conf", 7,
                "virtual_router_id 300 not in 1..255")).reloadVerdict())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("keepalived.conf:7: virtual_router_id 300 not in 1..255\n"
                        + "/etc/keepalived/keepalived.conf: not applied, the running configuration stays");
    }
}
