package org.vigil.driver.linux.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vigil.libc.Libc;

/**
 * The realtime priority (vrrp_rt_priority) and nice value (vrrp_priority, or the core's default)
 * the receive threads should run at, shared by
 * {@link LinuxProcessTuning}, which sets it, and {@link RawChannel}, whose threads apply it to
 * themselves: sched_setscheduler with pid 0 changes the calling thread only, so each thread
 * does it on its own, at its start and at its first wake-up after a change.
 */
final class ReceivePriority {
    private static final Logger LOG = LoggerFactory.getLogger(ReceivePriority.class);
    private static final int SCHED_RR = 2;
    /** 0 for none (SCHED_OTHER, the JVM's default). */
    private static volatile int priority;
    static final int NO_NICE = Integer.MIN_VALUE;
    /** NO_NICE for none. */
    private static volatile int niceness = NO_NICE;
    private static volatile int generation;
    private static final int PRIO_PROCESS = 0;

    private ReceivePriority() {
    }

    static void set(int rtPriority) {
        priority = rtPriority;
        generation++;
    }

    static void setNice(int nice) {
        niceness = nice;
        generation++;
    }

    static int generation() {
        return generation;
    }

    /** Applies the current setting to the calling thread; returns the generation applied. */
    static int apply(String thread) {
        int g = generation;
        int p = priority;
        int n = niceness;
        if (n != NO_NICE && Libc.setPriority(PRIO_PROCESS, 0, n) < 0) {
            LOG.debug("cannot set {} to nice {}: {}", thread, n, Libc.failure("setpriority").getMessage());
        }
        if (p > 0) {
            if (Libc.schedSetScheduler(0, SCHED_RR, p) < 0) {
                LOG.warn("cannot set {} to realtime priority {}: {}", thread, p, Libc.failure("sched_setscheduler")
                        .getMessage());
            }
        }
        return g;
    }
}
