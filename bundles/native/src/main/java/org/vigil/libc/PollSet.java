package org.vigil.libc;

import java.nio.ByteBuffer;

import org.vigil.libc.internal.Binding;

/**
 * The {@code struct pollfd} array of one {@link Libc#poll} caller, wired once: each descriptor
 * waits for {@link Libc#POLLIN}, and the array's address is looked up when it is made, not on
 * every call. A receive thread that polls a socket and an eventfd a hundred times a second
 * otherwise paid a JNI lookup of the buffer's address per wake-up (measured: a tenth of the
 * receive thread's CPU at 0.01 s adverts, most of it cache misses after each sleep).
 * Not thread-safe: one per polling thread. Allocates nothing per call.
 */
public final class PollSet {
    private static final int EVENTS = 4;
    private static final int REVENTS = 6;

    private final ByteBuffer fds;
    private final int count;
    private final long address;

    /** Every descriptor in {@code fds} polled for input, in that order. */
    public PollSet(int... fds) {
        if (fds.length == 0) {
            throw new IllegalArgumentException("nothing to poll");
        }
        count = fds.length;
        this.fds = Libc.allocate(count * Libc.SIZEOF_POLLFD);
        for (int i = 0; i < count; i++) {
            this.fds.putInt(i * Libc.SIZEOF_POLLFD, fds[i]);
            this.fds.putShort(i * Libc.SIZEOF_POLLFD + EVENTS, Libc.POLLIN);
        }
        address = Binding.get().address(this.fds);
    }

    /**
     * poll(2) on every descriptor: the number ready, 0 after the timeout, or -1 and
     * {@link Libc#errno()}. A negative timeout waits for ever.
     */
    public int poll(int timeoutMillis) {
        int rc = Binding.get().libc().poll(address, count, timeoutMillis);
        java.lang.ref.Reference.reachabilityFence(fds);
        return rc;
    }

    /** After {@link #poll}: the events the kernel returned for descriptor {@code index} (0: none). */
    public int returned(int index) {
        return fds.getShort(java.util.Objects.checkIndex(index, count) * Libc.SIZEOF_POLLFD + REVENTS);
    }
}
