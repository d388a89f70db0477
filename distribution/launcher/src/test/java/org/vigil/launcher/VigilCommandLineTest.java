package org.vigil.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class VigilCommandLineTest {

    @Test
    void aDaemonStartOrConfigTestBuildsNoSubcommand() {
        assertThat(Vigil.commandLine("-n", "-l", "-f", "/etc/vigil/keepalived.conf").getSubcommands()).isEmpty();
        assertThat(Vigil.commandLine("-t", "-f", "x.conf").getSubcommands()).isEmpty();
    }

    @Test
    void aSubcommandOrHelpBuildsThemAll() {
        assertThat(Vigil.commandLine("ctl", "-p", "/run/vigil/vigil.pid", "vrrp:list").getSubcommands())
                .containsOnlyKeys("demo", "ctl", "genhash");
        assertThat(Vigil.commandLine("--help").getSubcommands()).containsOnlyKeys("demo", "ctl", "genhash");
        assertThat(Vigil.commandLine().getSubcommands()).containsOnlyKeys("demo", "ctl", "genhash");
        assertThat(Vigil.commandLine("ctl").getSubcommands().get("ctl").isStopAtPositional()).isTrue();
    }
}
