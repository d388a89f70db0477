package org.vigil.check.ping.internal;

import jnr.ffi.Pointer;
import jnr.ffi.annotations.IgnoreError;
import jnr.ffi.annotations.In;
import jnr.ffi.types.size_t;
import jnr.ffi.types.socklen_t;
import jnr.ffi.types.ssize_t;

/**
 * The libc calls PING_CHECK makes, bound by jnr-ffi. Sends pass Java arrays (any thread, no
 * shared buffer); the receive thread uses its own preallocated direct memory. errno is saved by
 * jnr-ffi after every call and read on the same thread.
 */
public interface LibC {
    int socket(int domain, int type, int protocol);

    @ssize_t
    long sendto(int fd, @In byte[] buf, @size_t long len, int flags, @In byte[] addr, @socklen_t int addrlen);

    @ssize_t
    long recvfrom(int fd, Pointer buf, @size_t long len, int flags, Pointer addr, Pointer addrlen);

    @ssize_t
    long write(int fd, @In byte[] buf, @size_t long len);

    int poll(Pointer fds, long nfds, int timeoutMs);

    int eventfd(int initval, int flags);

    int close(int fd);

    @IgnoreError
    String strerror(int errnum);
}
