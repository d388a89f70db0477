package org.vigil.vip.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.vigil.vip.internal.RtnlTest.ip;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.vigil.api.vip.VirtualAddress;

class AnnouncementPlanTest {

    private static final VirtualAddress V4A = new VirtualAddress(ip("192.0.2.249"), 24, "lan0", null, null, null, false);
    private static final VirtualAddress V4B = new VirtualAddress(ip("192.0.2.250"), 24, "lan0", null, null, null, false);
    private static final VirtualAddress V6 = new VirtualAddress(ip("2001:db8::249"), 64, "lan0", null, null, null, true);

    @Test
    void withoutSpacingEveryFrameGoesAtOnceAddressListRepeated() {
        List<AnnouncementPlan.Frame> plan = AnnouncementPlan.burst(List.of(V4A, V4B), 3, Duration.ZERO, Duration.ZERO);
        assertThat(plan).extracting(AnnouncementPlan.Frame::address).containsExactly(V4A, V4B, V4A, V4B, V4A, V4B);
        assertThat(plan).extracting(AnnouncementPlan.Frame::offsetNanos).containsOnly(0L);
    }

    @Test
    void eachFamilyIsSpacedByItsOwnInterval() {
        List<AnnouncementPlan.Frame> plan = AnnouncementPlan.burst(List.of(V4A, V6), 2, Duration.ofMillis(10),
                Duration.ofMillis(3));
        assertThat(plan).extracting(f -> f.address().address().getHostAddress() + "@" + f.offsetNanos() / 1_000_000)
                .containsExactly("192.0.2.249@0", "2001:db8:0:0:0:0:0:249@0", "2001:db8:0:0:0:0:0:249@3",
                        "192.0.2.249@10");
    }

    @Test
    void zeroRepeatPlansNothing() {
        assertThat(AnnouncementPlan.burst(List.of(V4A), 0, Duration.ZERO, Duration.ZERO)).isEmpty();
    }
}
