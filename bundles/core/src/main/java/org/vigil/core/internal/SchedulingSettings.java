package org.vigil.core.internal;

/**
 * keepalived's scheduling knobs for the VRRP process, applied here to the election thread.
 *
 * @param realtimePriority vrrp_rt_priority: SCHED_RR at this priority (1..99), null for none
 * @param niceness vrrp_priority: the thread's nice value, null to leave it
 * @param noSwap vrrp_no_swap: lock the process's memory
 * @param rlimitRttimeMicros vrrp_rlimit_rttime: RLIMIT_RTTIME in microseconds, only when given (see README:
 *        keepalived's default of 10 ms is not applied, a SIGXCPU would end the whole JVM)
 * @param realtimeByDefault the realtime priority is Vigil's default, not configured: where the
 *        process may not use it, that is one informational line, not a warning
 */
record SchedulingSettings(Integer realtimePriority, Integer niceness, boolean noSwap, Integer rlimitRttimeMicros,
        boolean realtimeByDefault) {
    static final SchedulingSettings NONE = new SchedulingSettings(null, null, false, null, false);
    /**
     * Vigil's default when global_defs sets neither vrrp_rt_priority nor vrrp_priority: SCHED_RR at
     * the lowest realtime priority. keepalived leaves its VRRP process to the normal scheduler; in
     * the soak (distribution/lab/results/soak.txt) that costs both of them dozens of false
     * transitions under CPU load, and realtime priority none or one (the machine's own stalls).
     */
    static final int DEFAULT_REALTIME_PRIORITY = 1;

    SchedulingSettings(Integer realtimePriority, Integer niceness, boolean noSwap, Integer rlimitRttimeMicros) {
        this(realtimePriority, niceness, noSwap, rlimitRttimeMicros, false);
    }

    boolean any() {
        return realtimePriority != null || niceness != null || noSwap || rlimitRttimeMicros != null;
    }
}
