package org.vigil.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DaemonOptionsScanTest {
    @TempDir
    Path dir;

    private boolean scan(String text) throws IOException {
        return FrameworkRunner.mayNameDaemonOptions(Files.writeString(dir.resolve("k.conf"), text));
    }

    @Test
    void aPlainConfigurationNeedsNoPreParse() throws IOException {
        assertThat(scan("global_defs {\n router_id r1\n}\nvrrp_instance VI_1 {\n interface lan0\n virtual_router_id 51\n}\n"))
                .isFalse();
    }

    @Test
    void anythingThatCanNameADaemonOptionIsParsed() throws IOException {
        assertThat(scan("net_namespace blue\n")).isTrue();
        assertThat(scan("global_defs { instance two }\n")).isTrue();
        assertThat(scan("@r1 use_pid_dir\n")).isTrue();
        assertThat(scan("include /etc/keepalived/conf.d/*.conf\n")).isTrue();
        assertThat(scan("$NS=net_name\\\nspace blue\n")).isTrue();
        assertThat(scan("~SEQ(i, 1, 1, 3) vrrp_instance VI_$i {\n}\n")).isTrue();
        assertThat(FrameworkRunner.mayNameDaemonOptions(dir.resolve("missing.conf"))).isTrue();
    }
}
