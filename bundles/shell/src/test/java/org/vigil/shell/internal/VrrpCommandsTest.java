package org.vigil.shell.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.vigil.api.vrrp.DriverInfo;
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
    void driverListsTheDriversPresentAndMarksTheActiveOne() {
        FakeDrivers drivers = new FakeDrivers();
        VrrpCommands commands = new VrrpCommands(drivers, new StatusFormatter(CLOCK, ZoneOffset.UTC));

        assertThat(commands.driver()).isEqualTo("""
                   DRIVER  RANKING
                *  linux   100
                   pcap    50
                   sim     -100
                Selected by ranking.""");
    }

    @Test
    void driverWithANameSelectsItAndAutoReturnsToTheRanking() {
        FakeDrivers drivers = new FakeDrivers();
        VrrpCommands commands = new VrrpCommands(drivers, new StatusFormatter(CLOCK, ZoneOffset.UTC));

        assertThat(commands.driver("pcap")).contains("*  pcap").endsWith("Selected by name: pcap.");
        assertThat(drivers.selected).isEqualTo("pcap");
        assertThat(commands.driver("auto")).contains("*  linux").endsWith("Selected by ranking.");
        assertThat(drivers.selected).isNull();
    }

    @Test
    void anAbsentDriverNameIsSelectedAndTheOutputSaysWhoCarriesTheInstancesMeanwhile() {
        FakeDrivers drivers = new FakeDrivers();
        VrrpCommands commands = new VrrpCommands(drivers, new StatusFormatter(CLOCK, ZoneOffset.UTC));

        assertThat(commands.driver("xdp")).contains("*  linux")
                .endsWith("No driver named 'xdp' is present: linux carries the instances until it appears.");
        assertThatThrownBy(() -> commands.driver("li nux")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("Not a driver name: 'li nux'");
        assertThat(drivers.selected).isEqualTo("xdp");
    }

    /** Three drivers by ranking; a selected name wins when present, else the highest ranked (a preference). */
    private static final class FakeDrivers implements VrrpService {
        private final List<DriverInfo> present = List.of(new DriverInfo("linux", 100, false),
                new DriverInfo("pcap", 50, false), new DriverInfo("sim", -100, false));
        String selected;

        @Override
        public List<InstanceStatus> instances() {
            return List.of();
        }

        @Override
        public Optional<InstanceStatus> instance(String name) {
            return Optional.empty();
        }

        @Override
        public Optional<String> activeDriver() {
            if (selected == null) {
                return Optional.of("linux");
            }
            return Optional.of(present.stream().map(DriverInfo::name).filter(selected::equals).findFirst()
                    .orElse("linux"));
        }

        @Override
        public List<DriverInfo> drivers() {
            String active = activeDriver().orElse(null);
            return present.stream().map(d -> new DriverInfo(d.name(), d.ranking(), d.name().equals(active))).toList();
        }

        @Override
        public void selectDriver(String nameOrNull) {
            selected = nameOrNull;
        }

        @Override
        public Optional<String> selectedDriver() {
            return Optional.ofNullable(selected);
        }
    }

    static VrrpCommands commands(List<InstanceStatus> instances, String driver) {
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
