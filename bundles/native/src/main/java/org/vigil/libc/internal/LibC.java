package org.vigil.libc.internal;

import jnr.ffi.Pointer;
import jnr.ffi.annotations.IgnoreError;
import jnr.ffi.annotations.In;
import jnr.ffi.types.size_t;
import jnr.ffi.types.socklen_t;
import jnr.ffi.types.ssize_t;

/**
 * The libc functions Vigil calls, bound by jnr-ffi. Memory the kernel reads or writes during
 * the call is passed as the address of a direct ByteBuffer ({@code long}: LP64 on x86_64 and
 * aarch64), so a call allocates nothing; small inputs built per call go as {@code @In byte[]}.
 * Except in sendto and recvfrom: jnr-ffi 2.3.7's stub for six arguments mixing int and long
 * crashes the JVM (SIGSEGV in recvfrom(IJJIJJ), EINVAL from sendto, measured on x86_64), so
 * these two take {@link Pointer}s, wrapped per call (two small objects; neither is on the VRRP path).
 * errno is saved by jnr-ffi after every call and read on the same thread.
 */
public interface LibC {
    int socket(int domain, int type, int protocol);

    int bind(int fd, @In byte[] addr, @socklen_t int addrlen);

    int setsockopt(int fd, int level, int optname, @In byte[] optval, @socklen_t int optlen);

    int setsockopt(int fd, int level, int optname, long optval, @socklen_t int optlen);

    @ssize_t
    long send(int fd, @In byte[] buf, @size_t long len, int flags);

    @ssize_t
    long send(int fd, long buf, @size_t long len, int flags);

    @ssize_t
    long recv(int fd, long buf, @size_t long len, int flags);

    @ssize_t
    long sendto(int fd, @In byte[] buf, @size_t long len, int flags, @In byte[] addr, @socklen_t int addrlen);

    @ssize_t
    long sendto(int fd, Pointer buf, @size_t long len, int flags, Pointer addr, @socklen_t int addrlen);

    @ssize_t
    long recvfrom(int fd, Pointer buf, @size_t long len, int flags, Pointer addr, Pointer addrlen);

    @ssize_t
    long sendmsg(int fd, long msghdr, int flags);

    @ssize_t
    long recvmsg(int fd, long msghdr, int flags);

    @ssize_t
    long write(int fd, @In byte[] buf, @size_t long len);

    int poll(long fds, long nfds, int timeoutMs);

    int clock_gettime(int clockId, long timespec);

    int eventfd(int initval, int flags);

    int close(int fd);

    int if_nametoindex(String name);

    int open(String path, int flags);

    int setns(int fd, int nstype);

    int sched_setscheduler(int pid, int policy, @In byte[] param);

    int setpriority(int which, int who, int prio);

    int mlockall(int flags);

    int setrlimit(int resource, @In byte[] rlimit);

    @IgnoreError
    String strerror(int errnum);
}
