package org.vigil.api.vrrp;

/**
 * An instance's counters under keepalived's names (its SIGUSR2 stats file, its JSON dump, the
 * exporters built on them), computed once here for every consumer. Vigil counts finer than
 * keepalived: its drop reasons fold into keepalived's fields as below; an unknown authentication
 * type is counted as a mismatch, so {@code invalidAuthtype} stays 0; every auth_hmac drop
 * ({@code HMAC_*}: missing, malformed, stale, unknown key, bad HMAC, replay) is an authentication failure.
 */
public record KeepalivedStats(long advertRcvd, long advertSent, long becomeMaster, long releaseMaster,
        long priZeroRcvd, long priZeroSent, long packetLenErr, long ipTtlErr, long invalidTypeRcvd,
        long addrListErr, long invalidAuthtype, long authtypeMismatch, long authFailure, long advertIntervalErr) {

    public static KeepalivedStats of(InstanceCounters c) {
        return new KeepalivedStats(c.advertsReceived(), c.advertsSent(), c.becameMaster(), c.releasedMaster(),
                c.priorityZeroReceived(), c.priorityZeroSent(), drops(c, "BAD_LENGTH") + drops(c, "TRUNCATED"),
                drops(c, "BAD_TTL"), drops(c, "BAD_TYPE"), c.addressListMismatch(), 0, drops(c, "AUTH_TYPE_MISMATCH"),
                drops(c, "AUTH_FAILED") + hmacDrops(c), drops(c, "BAD_INTERVAL") + drops(c, "INTERVAL_MISMATCH"));
    }

    /** keepalived's numbering of states in its JSON dump (and the exporters'): 0 INIT, 1 BACKUP, 2 MASTER, 3 FAULT. */
    public static int stateNumber(InstanceState s) {
        return switch (s) {
            case INIT -> 0;
            case BACKUP -> 1;
            case MASTER -> 2;
            case FAULT -> 3;
        };
    }

    private static long hmacDrops(InstanceCounters c) {
        long n = 0;
        for (java.util.Map.Entry<String, Long> e : c.dropped().entrySet()) {
            if (e.getKey().startsWith("HMAC_")) {
                n += e.getValue();
            }
        }
        return n;
    }

    private static long drops(InstanceCounters c, String reason) {
        return c.dropped().getOrDefault(reason, 0L);
    }
}
