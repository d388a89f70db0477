package org.vigil.api.system;

import java.io.IOException;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The kernel's process events (Linux: the proc connector, NETLINK_CONNECTOR / CN_IDX_PROC), for
 * keepalived's vrrp_track_process: a process appearing (exec), renaming itself (comm) and
 * exiting, as they happen, instead of polling /proc. Only whole processes are reported (thread
 * group leaders), never their other threads. An implementation needs the native layer and
 * CAP_NET_ADMIN.
 */
@ProviderType
public interface ProcessEvents {

    /**
     * Starts delivering events to {@code listener} on the implementation's own thread, until the
     * returned handle is closed. Events that happen before this returns may or may not be seen: a
     * caller scans /proc after subscribing, so each process is seen at least once.
     *
     * @throws IOException when the kernel refuses (no CONFIG_PROC_EVENTS, no CAP_NET_ADMIN)
     */
    AutoCloseable watch(ProcessListener listener) throws IOException;
}
