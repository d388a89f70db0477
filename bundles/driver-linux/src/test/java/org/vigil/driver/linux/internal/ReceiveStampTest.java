package org.vigil.driver.linux.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The conversion of the kernel's CLOCK_REALTIME receive stamp to the nanoTime clock, on given
 * clock readings: the age carries over, and a stamp a clock step has made implausible gives way
 * to the read's own time (counted), never to a time that would bring a takeover forward.
 */
class ReceiveStampTest {
    private static final long EPOCH = 1_796_300_000_000_000_000L; // realtime, December 2026
    private static final long MONO = 5_000_000_000_000L; // nanoTime, some hours after boot
    private static final long MS = 1_000_000L;
    private static final long S = 1_000 * MS;

    private final ReceiveStamp stamps = new ReceiveStamp();

    @Test
    void aStampKeepsItsAgeOnTheNanoTimeClock() {
        assertThat(stamps.convert(EPOCH - 2 * MS, EPOCH, MONO)).isEqualTo(MONO - 2 * MS);
        // the receive thread was kept from its socket for 3 s: the advert still counts from its arrival
        assertThat(stamps.convert(EPOCH + S, EPOCH + 4 * S, MONO + 4 * S)).isEqualTo(MONO + S);
        assertThat(stamps.implausible()).isZero();
    }

    @Test
    void aStampFromTheFutureIsABackwardStepAndGivesTheReadTime() {
        assertThat(stamps.convert(EPOCH + 50 * MS, EPOCH, MONO)).isEqualTo(MONO);
        assertThat(stamps.implausible()).isOne();
    }

    @Test
    void aStampOlderThanAnyQueueGivesTheReadTime() {
        assertThat(stamps.convert(EPOCH - ReceiveStamp.MAX_AGE_NANOS - 1, EPOCH, MONO)).isEqualTo(MONO);
        assertThat(stamps.convert(EPOCH - ReceiveStamp.MAX_AGE_NANOS, EPOCH, MONO)).isEqualTo(MONO - ReceiveStamp.MAX_AGE_NANOS);
        assertThat(stamps.implausible()).isOne();
    }

    @Test
    void aForwardStepBetweenTwoReadingsDistrustsEveryStampFromBeforeIt() {
        assertThat(stamps.convert(EPOCH - MS, EPOCH, MONO)).isEqualTo(MONO - MS);
        // 100 ms later realtime was stepped forward by 2 s; the advert stamped before the step
        // looks 2 s older than it is, which would cut 2 s off Master_Down
        long later = MONO + 100 * MS;
        long realtimeAfterStep = EPOCH + 100 * MS + 2 * S;
        assertThat(stamps.convert(EPOCH + 90 * MS, realtimeAfterStep, later)).isEqualTo(later);
        // a second datagram queued across the step, read next without another offset change
        assertThat(stamps.convert(EPOCH + 95 * MS, realtimeAfterStep + 10_000, later + 10_000)).isEqualTo(later + 10_000);
        assertThat(stamps.implausible()).isEqualTo(2);
        // stamped after the reading that saw the step: trusted again
        assertThat(stamps.convert(realtimeAfterStep + 5 * MS, realtimeAfterStep + 6 * MS, later + 6 * MS))
                .isEqualTo(later + 5 * MS);
        assertThat(stamps.implausible()).isEqualTo(2);
    }

    @Test
    void aSlewIsNotAStep() {
        stamps.convert(EPOCH - MS, EPOCH, MONO);
        // 10 s later NTP has slewed realtime 4 ms ahead (400 ppm, under the kernel's 500 ppm)
        long realtime = EPOCH + 10 * S + 4 * MS;
        assertThat(stamps.convert(realtime - 3 * MS, realtime, MONO + 10 * S)).isEqualTo(MONO + 10 * S - 3 * MS);
        assertThat(stamps.implausible()).isZero();
    }

    @Test
    void withoutAStampTheReadTimeIsTaken() {
        long before = System.nanoTime();
        long at = stamps.nanoTime(-1);
        assertThat(at).isBetween(before, System.nanoTime());
        assertThat(stamps.implausible()).isZero();
    }
}
