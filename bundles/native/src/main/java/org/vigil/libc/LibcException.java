package org.vigil.libc;

import java.io.IOException;

/** A failed libc call: what was attempted, errno and its text ("bind netlink: Operation not permitted (errno 1)"). */
public class LibcException extends IOException {
    private static final long serialVersionUID = 1L;

    private final int errno;

    /**
     * @param what the call and its arguments as a reader needs them, e.g. "SO_BINDTODEVICE lan0"
     * @param errno the positive errno value
     */
    public LibcException(String what, int errno) {
        super(what + ": " + Libc.strerror(errno) + " (errno " + errno + ")");
        this.errno = errno;
    }

    /** The positive errno value, e.g. {@link Libc#ENOBUFS}. */
    public int errno() {
        return errno;
    }
}
