package org.vigil.shell.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.vigil.api.vrrp.InstanceCounters;
import org.vigil.api.vrrp.InstanceState;
import org.vigil.api.vrrp.InstanceStatus;
import org.vigil.api.vrrp.IpFamily;

class StatusFormatterTest {

    private static final Instant NOW = Instant.parse("2026-11-24T14:30:00Z");
    private final StatusFormatter formatter = new StatusFormatter(Clock.fixed(NOW, ZoneOffset.UTC), ZoneOffset.UTC);

    static InstanceStatus master() {
        return new InstanceStatus("VI_1", InstanceState.MASTER, 51, IpFamily.IPV4, 3, "lan0", 200, 200,
                "192.0.2.11", 100, 100, 218_750, 3_218_750, true, 0,
                List.of("192.0.2.249/24", "192.0.2.250/24"), List.of("192.0.2.249/24", "192.0.2.250/24"),
                new InstanceCounters(12, 900, 1, 0, 0, 0, Map.of(), 0), Instant.parse("2026-11-24T14:14:20Z"));
    }

    static InstanceStatus backup() {
        return new InstanceStatus("VI_6", InstanceState.BACKUP, 61, IpFamily.IPV6, 3, "lan1", 100, 80,
                "fe80::11", 100, 50, 312_500, 1_812_500, false, 0, List.of("2001:db8::249/64"), List.of(),
                new InstanceCounters(4_000, 2, 1, 1, 1, 0, Map.of("auth", 2L, "ttl", 5L), 3, 1,
                        Map.of("UNKNOWN_VRID", 12L)),
                Instant.parse("2026-11-22T11:00:00Z"));
    }

    @Test
    void listShowsOneAlignedLinePerInstance() {
        assertThat(formatter.list(List.of(master(), backup()))).isEqualTo(String.join("\n",
                "NAME  STATE   PRIO      VRID  IF    MASTER      VIPS",
                "VI_1  MASTER  200       51    lan0  192.0.2.11  2/2",
                "VI_6  BACKUP  80 (100)  61    lan1  fe80::11    0/1"));
    }

    @Test
    void listOfAnInstanceWithNoKnownMasterShowsADash() {
        InstanceStatus fault = new InstanceStatus("web", InstanceState.FAULT, 7, IpFamily.IPV4, 2, "eth0", 100, 100,
                null, 100, 100, 609_375, 3_609_375, true, 0, List.of("10.0.0.1/32"), List.of(),
                new InstanceCounters(0, 0, 0, 0, 0, 0, Map.of(), 0), null);

        assertThat(formatter.list(List.of(fault))).isEqualTo(String.join("\n",
                "NAME  STATE  PRIO  VRID  IF    MASTER  VIPS",
                "web   FAULT  100   7     eth0  -       0/1"));
    }

    @Test
    void listOfNothingSaysSo() {
        assertThat(formatter.list(List.of())).isEqualTo("No VRRP instances configured.");
    }

    @Test
    void showOfAMasterGivesStateTimersAddressesAndCounters() {
        assertThat(formatter.show(master())).isEqualTo(String.join("\n",
                "VRRP instance VI_1",
                "State             MASTER since 2026-11-24 14:14:20 (15m 40s)",
                "Version           VRRPv3, IPV4",
                "Interface         lan0",
                "Virtual router    51",
                "Priority          200 effective, 200 configured",
                "Preempt           yes, delay 0 ms",
                "Advert interval   1.00 s configured, 1.00 s learned from master",
                "Skew              218.750 ms",
                "Master down       3218.750 ms",
                "Master            192.0.2.11",
                "VIPs configured   192.0.2.249/24, 192.0.2.250/24",
                "VIPs held         192.0.2.249/24, 192.0.2.250/24",
                "Counters",
                "  adverts sent          900",
                "  adverts received      12",
                "  became master         1",
                "  released master       0",
                "  priority 0 sent       0",
                "  priority 0 received   0",
                "  dropped               0",
                "  address list differs  0",
                "  late timers           0"));
    }

    @Test
    void showOfABackupListsDropsByReasonAndTheLearnedInterval() {
        assertThat(formatter.show(backup())).isEqualTo(String.join("\n",
                "VRRP instance VI_6",
                "State             BACKUP since 2026-11-22 11:00:00 (2d 03h 30m 00s)",
                "Version           VRRPv3, IPV6",
                "Interface         lan1",
                "Virtual router    61",
                "Priority          80 effective, 100 configured",
                "Preempt           no (nopreempt)",
                "Advert interval   1.00 s configured, 0.50 s learned from master",
                "Skew              312.500 ms",
                "Master down       1812.500 ms",
                "Master            fe80::11",
                "VIPs configured   2001:db8::249/64",
                "VIPs held         -",
                "Counters",
                "  adverts sent          2",
                "  adverts received      4000",
                "  became master         1",
                "  released master       1",
                "  priority 0 sent       0",
                "  priority 0 received   1",
                "  dropped               7",
                "    auth                2",
                "    ttl                 5",
                "  address list differs  1",
                "  late timers           3",
                "Channel (shared with the instances on lan1)",
                "  dropped UNKNOWN_VRID  12"));
    }

    @Test
    void unitsAreExact() {
        assertThat(StatusFormatter.millis(3_609_375)).isEqualTo("3609.375 ms");
        assertThat(StatusFormatter.millis(7)).isEqualTo("0.007 ms");
        assertThat(StatusFormatter.seconds(5)).isEqualTo("0.05 s");
        assertThat(StatusFormatter.seconds(2500)).isEqualTo("25.00 s");
        assertThat(StatusFormatter.duration(Duration.ofSeconds(42))).isEqualTo("42s");
        assertThat(StatusFormatter.duration(Duration.ofSeconds(3_601))).isEqualTo("1h 00m 01s");
    }
}
