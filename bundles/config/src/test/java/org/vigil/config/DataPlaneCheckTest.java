package org.vigil.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.vigil.config.ConfFiles.write;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** -t names each DR or TUN real server when the kernel has no IPVS (the nftables driver only NATs). */
class DataPlaneCheckTest {
    @TempDir
    Path dir;

    private static final String CONF = """
            virtual_server 192.0.2.249 80 {
              lb_kind DR
              protocol TCP
              real_server 192.0.2.21 80 {
                TCP_CHECK {
                }
              }
              real_server 192.0.2.22 80 {
                lb_kind NAT
                TCP_CHECK {
                }
              }
            }
            """;

    @Test
    void drWithoutIpvsIsReportedAtItsRealServerAndNatIsNot() {
        ParseResult r = KeepalivedConfig.parse(write(dir, "keepalived.conf", CONF), "x");
        assertThat(ConfigCheck.dataPlane(r.model(), false)).extracting(Diagnostic::toString).singleElement()
                .satisfies(d -> assertThat(d).contains("keepalived.conf:4: lb_kind DR for real server",
                        "192.0.2.21", "this kernel has no IPVS"));
        assertThat(ConfigCheck.dataPlane(r.model(), true)).isEmpty();
    }
}
