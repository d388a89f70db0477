package org.vigil.api.system;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Receives {@link ProcessEvents}, on the event source's thread: keep each call short (read the
 * process's /proc entries, post the result elsewhere). A pid may already be gone when its event
 * arrives.
 */
@ConsumerType
public interface ProcessListener {

    /** The process {@code pid} executed a new program (PROC_EVENT_EXEC). */
    void executed(int pid);

    /** The process {@code pid} changed its name, /proc/PID/comm (PROC_EVENT_COMM). */
    void renamed(int pid);

    /** The process {@code pid} exited (PROC_EVENT_EXIT). */
    void exited(int pid);

    /**
     * The kernel dropped events (the socket's queue overflowed): what runs now is only known from
     * a new scan of /proc.
     */
    void lost();
}
