package org.vigil.core.internal;

/** The protocol's timer arithmetic, in microseconds, exact (no rounding to centiseconds). */
final class VrrpTimes {
    /** Highest and lowest priority a non-owner may run with (RFC 5798 section 5.2.4). */
    static final int MAX_BACKUP_PRIORITY = 254;
    static final int MIN_BACKUP_PRIORITY = 1;
    /** Default number of missed adverts before a backup takes over (RFC 5798 section 6.1: 3). */
    static final int DEFAULT_DOWN_TIMER_ADVERTS = 3;

    static final long MICROS_PER_CS = 10_000;
    static final long MICROS_PER_SECOND = 1_000_000;

    private VrrpTimes() {
    }

    /**
     * Skew_Time. VRRPv2 (RFC 3768 section 6.1): (256 - Priority) / 256 seconds, whatever the
     * interval. VRRPv3 (RFC 5798 section 6.1): ((256 - Priority) * Master_Adver_Interval) / 256.
     */
    static long skewMicros(int version, int priority, int masterAdverIntervalCs) {
        if (version == 2) {
            return (256L - priority) * MICROS_PER_SECOND / 256;
        }
        return (256L - priority) * masterAdverIntervalCs * MICROS_PER_CS / 256;
    }

    /** Master_Down_Interval (RFC 5798 section 6.1): adverts * Master_Adver_Interval + Skew_Time. */
    static long masterDownMicros(int version, int priority, int masterAdverIntervalCs, int downTimerAdverts) {
        return downTimerAdverts * masterAdverIntervalCs * MICROS_PER_CS
                + skewMicros(version, priority, masterAdverIntervalCs);
    }

    /** Advert timer slack: at most 1/8 of the interval (1.25 ms at 0.01 s), never over 125 ms. */
    static final long MAX_ADVERT_SLACK_MICROS = 125_000;

    /**
     * How early a master's advert may leave to share the loop's wake-up with other adverts.
     * Harmless to receivers, which wait three intervals plus skew. An advert that leaves early
     * counts its next deadline from when it left ({@code VrrpInstance.adverTimerExpired}), so
     * instances that shared a wake-up once keep sharing it: one interval shorter by at most the
     * slack, then the same rate in the shared phase. At 510 instances at 1 s the election thread
     * wakes about 8 times a second (at most {@link TimerQueue#SHARED_PER_WAKE_UP} share a wake-up
     * unless they are all due); with 1/64 and the nominal phase kept it woke about 50 times.
     */
    static long advertSlackMicros(int advertIntervalCs) {
        return Math.min(MAX_ADVERT_SLACK_MICROS, csToMicros(advertIntervalCs) / 8);
    }

    static long csToMicros(int cs) {
        return cs * MICROS_PER_CS;
    }
}
