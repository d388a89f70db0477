package org.vigil.core.internal;

/**
 * keepalived's scheduling knobs for the VRRP process, applied here to the election thread.
 *
 * @param realtimePriority vrrp_rt_priority: SCHED_RR at this priority (1..99), null for none
 * @param niceness vrrp_priority: the thread's nice value, null to leave it
 * @param noSwap vrrp_no_swap: lock the process's memory
 * @param rlimitRttimeMicros vrrp_rlimit_rttime: RLIMIT_RTTIME in microseconds, only when given (see README:
 *        keepalived's default of 10 ms is not applied, a SIGXCPU would end the whole JVM)
 */
record SchedulingSettings(Integer realtimePriority, Integer niceness, boolean noSwap, Integer rlimitRttimeMicros) {
    static final SchedulingSettings NONE = new SchedulingSettings(null, null, false, null);

    boolean any() {
        return realtimePriority != null || niceness != null || noSwap || rlimitRttimeMicros != null;
    }
}
