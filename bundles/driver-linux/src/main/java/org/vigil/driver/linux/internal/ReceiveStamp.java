package org.vigil.driver.linux.internal;

import org.vigil.libc.ClockReader;
import org.vigil.libc.Libc;

/**
 * Turns the kernel's receive stamp of a datagram into a {@link System#nanoTime()} reading, the
 * clock the core runs its timers on.
 *
 * <p>Why the kernel's stamp: a backup re-arms Master_Down from when the advert arrived (RFC 5798
 * section 6.4.2). The receive thread can only stamp after poll(2) returned and the scheduler ran
 * it, which on a busy host is a thread wake-up or a time slice later, and all of that lateness
 * went into every takeover. The kernel stamps the datagram as it takes it in (SO_TIMESTAMPNS),
 * however late anybody reads it.
 *
 * <p>Why a conversion: the kernel stamps in CLOCK_REALTIME only (there is no monotonic socket
 * stamp), and the core's clock is CLOCK_MONOTONIC. The stamp's age is measured on the realtime
 * clock ({@code realtime_now - stamp}) and taken off {@code nanoTime_now}. The realtime clock is
 * read first: a preemption between the two readings then makes the age look shorter and the
 * converted stamp later, so Master_Down can only run longer than it should, never shorter.
 *
 * <p>Why the checks: the realtime clock can be stepped (settimeofday, an NTP step), and a step
 * between the stamp and the reading shows up whole in the age. A backward step makes the age
 * negative; a forward one makes the advert look older than it is, which would bring a takeover
 * forward: the unsafe direction. So the offset between the two clocks is remembered from the
 * previous reading; when it moved by more than a slew can move it in the time between (NTP slews
 * at most 500 ppm; plus 1 ms for two readings of noise), or the age is negative or beyond
 * {@link #MAX_AGE_NANOS}, the stamp is not trusted: the datagram gets the reading's own time, as
 * before kernel stamps, and is counted ({@link #implausible()}). So are the datagrams stamped
 * before the reading that saw a step: they were queued across it.
 *
 * <p>Not thread-safe: a channel uses it under its receive lock. Allocates nothing.
 */
final class ReceiveStamp {
    /**
     * Older than this, a stamp is a clock step rather than a queue: no receive thread on a
     * working host is kept from its socket for 10 s, and an advert that old decides nothing
     * (Master_Down at 1 s adverts is 3.6 s).
     */
    static final long MAX_AGE_NANOS = 10_000_000_000L;
    /**
     * How far apart the realtime readings around the nanoTime reading may be (they take tens of
     * nanoseconds): further, and the thread was preempted between them and the pair is read again.
     * Without this a preempted pair looked like a step of the preemption's length (measured: 1.5
     * ms on the shared 2-core lab machine) and distrusted the stamps queued meanwhile.
     */
    static final long PAIR_NANOS = 100_000L;
    static final int PAIR_ATTEMPTS = 3;
    /** What two clean readings of the offset between the clocks may disagree by without a step. */
    static final long OFFSET_NOISE_NANOS = 1_000_000L;
    /** The fastest an NTP slew moves CLOCK_REALTIME against CLOCK_MONOTONIC: 500 ppm, as a divisor. */
    static final long SLEW_DIVISOR = 2_000;

    /** One native call per reading, the timespec's address looked up once. */
    private final ClockReader realtime = new ClockReader(Libc.CLOCK_REALTIME);
    /** CLOCK_REALTIME minus nanoTime at {@link #lastNanoTime}; no value before the first reading. */
    private long lastOffset;
    private long lastNanoTime;
    private boolean haveOffset;
    /**
     * After a step: stamps before the reading that saw it may be on either side of it (datagrams
     * queued across the step), so they are not trusted either.
     */
    private long distrustBefore = Long.MIN_VALUE;
    private long implausible;

    /**
     * The datagram's arrival on the {@link System#nanoTime()} clock: the kernel's stamp converted,
     * or now when there is no stamp (-1) or it cannot be trusted (counted, as is a pair of clock
     * readings preempted {@link #PAIR_ATTEMPTS} times). Never later than now.
     *
     * @param stampRealtimeNanos {@link org.vigil.libc.MessageHeader#timestampNanos()}
     */
    long nanoTime(long stampRealtimeNanos) {
        if (stampRealtimeNanos < 0) {
            return System.nanoTime();
        }
        for (int attempt = 0; attempt < PAIR_ATTEMPTS; attempt++) {
            long realtimeNow = realtime.nanos();
            if (realtimeNow < 0) {
                return System.nanoTime();
            }
            long nanoTimeNow = System.nanoTime();
            if (realtime.nanos() - realtimeNow <= PAIR_NANOS) {
                return convert(stampRealtimeNanos, realtimeNow, nanoTimeNow);
            }
            // preempted between the readings: the offset would be off by the preemption
        }
        implausible++;
        return System.nanoTime();
    }

    /** {@link #nanoTime} on given readings of the two clocks (realtime read first). */
    long convert(long stampRealtimeNanos, long realtimeNow, long nanoTimeNow) {
        long offset = realtimeNow - nanoTimeNow;
        boolean stepped = false;
        if (haveOffset) {
            long allowed = OFFSET_NOISE_NANOS + Math.max(0, nanoTimeNow - lastNanoTime) / SLEW_DIVISOR;
            stepped = Math.abs(offset - lastOffset) > allowed;
        }
        lastOffset = offset;
        lastNanoTime = nanoTimeNow;
        haveOffset = true;
        if (stepped) {
            distrustBefore = realtimeNow;
        }
        long age = realtimeNow - stampRealtimeNanos;
        if (stampRealtimeNanos < distrustBefore || age < 0 || age > MAX_AGE_NANOS) {
            implausible++;
            return nanoTimeNow;
        }
        return nanoTimeNow - age;
    }

    /** Stamps not trusted so far (clock steps, or a stamp from the future or from long ago). */
    long implausible() {
        return implausible;
    }
}
