package org.vigil.libc;

import java.nio.ByteBuffer;

import org.vigil.libc.internal.Binding;

/**
 * Reads one clock through clock_gettime(2) (the vDSO: no system call) into a {@code struct
 * timespec} of its own whose address is looked up once, so a reading allocates nothing and makes
 * one native call. {@link Libc#clockGettime} looks the buffer's address up on every call, which
 * on a receive path that reads the realtime clock twice per datagram was a JNI call each time.
 * Not thread-safe: one per reading thread.
 */
public final class ClockReader {
    private final int clockId;
    private final ByteBuffer timespec = Libc.allocate(Libc.SIZEOF_TIMESPEC);
    private final long address;

    /** @param clockId {@link Libc#CLOCK_REALTIME}, {@link Libc#CLOCK_MONOTONIC}... */
    public ClockReader(int clockId) {
        this.clockId = clockId;
        address = Binding.get().address(timespec);
    }

    /** The clock now in nanoseconds (of the epoch, for CLOCK_REALTIME), or -1 when it cannot be read. */
    public long nanos() {
        if (Binding.get().libc().clock_gettime(clockId, address) != 0) {
            return -1;
        }
        return timespec.getLong(0) * 1_000_000_000L + timespec.getLong(8);
    }
}
