package org.vigil.api.system;

import java.io.IOException;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Scheduling and memory settings through the operating system, for the thread that calls (the
 * election core calls from its election thread, which is what keepalived's VRRP child process
 * is to keepalived). An implementation needs the native layer; without one the core runs with
 * the JVM's defaults and says so once.
 */
@ConsumerType
public interface ProcessTuning {

    /** Round-robin realtime scheduling (SCHED_RR) at {@code priority} (1..99) for the calling thread. */
    void realtimeCurrentThread(int priority) throws IOException;

    /**
     * The same for the implementation's own I/O threads that feed the election (the native
     * driver's receive threads), present and future: a backup whose receive thread starves under
     * load misses its master's adverts however fast its election thread is. keepalived's VRRP
     * process is one thread, so vrrp_rt_priority covers both there.
     */
    default void realtimeIoThreads(int priority) throws IOException {
    }

    /** The calling thread's nice value (-20..19). */
    void niceCurrentThread(int niceness) throws IOException;

    /**
     * The same nice value for the implementation's own I/O threads that feed the election, present
     * and future, as {@link #realtimeIoThreads} does for realtime scheduling (vrrp_priority is the
     * whole VRRP process's in keepalived).
     */
    default void niceIoThreads(int niceness) throws IOException {
    }

    /** Locks the process's memory (current and future, as it is touched) so that it never swaps. */
    void lockMemory() throws IOException;

    /**
     * RLIMIT_RTTIME for the process: the CPU time in microseconds a realtime thread may use without
     * blocking before the kernel signals it.
     */
    void limitRealtimeMicros(long micros) throws IOException;
}
