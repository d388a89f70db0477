package org.vigil.lb.ipvs.internal;

import jnr.ffi.annotations.IgnoreError;
import jnr.ffi.annotations.In;
import jnr.ffi.annotations.Out;
import jnr.ffi.types.size_t;
import jnr.ffi.types.socklen_t;
import jnr.ffi.types.ssize_t;

/**
 * The libc calls of one generic netlink socket, bound by jnr-ffi (the same shape as the VIP
 * manager's). errno is saved by jnr-ffi after each call and read on the same thread.
 */
public interface LibC {
    int socket(int domain, int type, int protocol);

    int bind(int fd, @In byte[] addr, @socklen_t int addrlen);

    int setsockopt(int fd, int level, int optname, @In byte[] optval, @socklen_t int optlen);

    @ssize_t
    long send(int fd, @In byte[] buf, @size_t long len, int flags);

    @ssize_t
    long recv(int fd, @Out byte[] buf, @size_t long len, int flags);

    int close(int fd);

    @IgnoreError
    String strerror(int errnum);
}
