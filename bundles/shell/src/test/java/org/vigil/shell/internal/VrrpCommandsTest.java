package org.vigil.shell.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.vigil.api.vrrp.InstanceStatus;
import org.vigil.api.vrrp.VrrpService;

class VrrpCommandsTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-24T14:30:00Z"), ZoneOffset.UTC);

    @Test
    void listAndShowGiveTheFormattedSnapshots() {
        VrrpCommands commands = commands(List.of(StatusFormatterTest.master(), StatusFormatterTest.backup()), "sim");

        assertThat(commands.list()).startsWith("NAME  STATE").contains("VI_1  MASTER").contains("VI_6  BACKUP");
        assertThat(commands.show("VI_6")).startsWith("VRRP instance VI_6\nState             BACKUP");
    }

    @Test
    void showOfAnUnknownNameFailsNamingTheKnownOnes() {
        VrrpCommands commands = commands(List.of(StatusFormatterTest.master(), StatusFormatterTest.backup()), "sim");

        assertThatThrownBy(() -> commands.show("VI_9")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("No VRRP instance named 'VI_9'; known: VI_1, VI_6");
        assertThatThrownBy(() -> commands(List.of(), "sim").show("VI_9"))
                .hasMessage("No VRRP instance named 'VI_9'; none are configured");
    }

    @Test
    void driverNamesTheActiveDriverOrSaysThereIsNone() {
        assertThat(commands(List.of(), "sim").driver()).isEqualTo("sim");
        assertThat(commands(List.of(), null).driver()).startsWith("none");
    }

    private static VrrpCommands commands(List<InstanceStatus> instances, String driver) {
        VrrpService service = new VrrpService() {
            @Override
            public List<InstanceStatus> instances() {
                return instances;
            }

            @Override
            public Optional<InstanceStatus> instance(String name) {
                return instances.stream().filter(s -> s.name().equals(name)).findFirst();
            }

            @Override
            public Optional<String> activeDriver() {
                return Optional.ofNullable(driver);
            }
        };
        return new VrrpCommands(service, new StatusFormatter(CLOCK, ZoneOffset.UTC));
    }
}
