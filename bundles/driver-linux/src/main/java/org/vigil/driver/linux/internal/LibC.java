package org.vigil.driver.linux.internal;

import jnr.ffi.Pointer;
import jnr.ffi.annotations.IgnoreError;
import jnr.ffi.annotations.In;
import jnr.ffi.types.size_t;
import jnr.ffi.types.socklen_t;
import jnr.ffi.types.ssize_t;

/**
 * The libc calls the driver makes, bound by jnr-ffi. Buffers are preallocated direct memory
 * ({@link Pointer}) so the receive path allocates nothing; errno is saved by jnr-ffi after every
 * call and read through {@link Native#errno()} on the same thread.
 */
public interface LibC {
    int socket(int domain, int type, int protocol);

    int setsockopt(int fd, int level, int optname, Pointer optval, @socklen_t int optlen);

    int setsockopt(int fd, int level, int optname, @In byte[] optval, @socklen_t int optlen);

    int getsockopt(int fd, int level, int optname, Pointer optval, Pointer optlen);

    int bind(int fd, Pointer addr, @socklen_t int addrlen);

    @ssize_t
    long sendto(int fd, Pointer buf, @size_t long len, int flags, Pointer addr, @socklen_t int addrlen);

    @ssize_t
    long sendmsg(int fd, Pointer msghdr, int flags);

    @ssize_t
    long recvmsg(int fd, Pointer msghdr, int flags);

    @ssize_t
    long recv(int fd, Pointer buf, @size_t long len, int flags);

    @ssize_t
    long send(int fd, Pointer buf, @size_t long len, int flags);

    @ssize_t
    long write(int fd, Pointer buf, @size_t long len);

    int poll(Pointer fds, long nfds, int timeoutMs);

    int eventfd(int initval, int flags);

    int close(int fd);

    int if_nametoindex(String name);

    int open(String path, int flags);

    int setns(int fd, int nstype);

    int sched_setscheduler(int pid, int policy, Pointer param);

    int setpriority(int which, int who, int prio);

    int mlockall(int flags);

    int setrlimit(int resource, Pointer rlimit);

    @IgnoreError
    String strerror(int errnum);
}
