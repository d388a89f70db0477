package org.vigil.libc;

import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Objects;

import org.vigil.libc.internal.Binding;
import org.vigil.libc.internal.LibC;

/**
 * The libc calls of Vigil's native bundles, one binding for the whole appliance, loaded on the
 * first call. The calls return what libc returns (-1 on failure, then {@link #errno()} on the
 * same thread), so a receive loop can test for EAGAIN without an exception; {@link #check}
 * turns a failure into a {@link LibcException}. Buffers the kernel uses during a call are
 * direct ({@link #allocate}); their lengths are checked against their capacity, so a wrong
 * length is an exception, never a write past the end. File descriptors are plain ints the JVM
 * does not track: create them with {@link #SOCK_CLOEXEC} and close them yourself.
 *
 * <p>Numbers are Linux's (x86_64 and aarch64 agree on all of them), from the kernel's uapi
 * headers; verified in shared/reference/native.md sections 3 and 4.
 */
public final class Libc {
    private Libc() {
    }

    // socket(2)
    public static final int AF_INET = 2;
    public static final int AF_INET6 = 10;
    public static final int AF_NETLINK = 16;
    public static final int AF_PACKET = 17;
    public static final int SOCK_DGRAM = 2;
    public static final int SOCK_RAW = 3;
    public static final int SOCK_NONBLOCK = 0x800;
    public static final int SOCK_CLOEXEC = 0x80000;

    // setsockopt(2) at SOL_SOCKET
    public static final int SOL_SOCKET = 1;
    public static final int SO_RCVBUF = 8;
    public static final int SO_RCVTIMEO = 20;
    public static final int SO_BINDTODEVICE = 25;
    public static final int SO_ATTACH_FILTER = 26;
    public static final int SO_RCVBUFFORCE = 33;
    /**
     * The kernel stamps each received datagram (CLOCK_REALTIME, a {@code struct timespec}) and
     * hands the stamp over as an {@link #SCM_TIMESTAMPNS} control message: {@link MessageHeader#timestampNanos()}.
     * (SO_TIMESTAMPNS_OLD; on x86_64 and aarch64 its timespec is the 64-bit one.)
     */
    public static final int SO_TIMESTAMPNS = 35;
    public static final int SCM_TIMESTAMPNS = SO_TIMESTAMPNS;

    // send and receive flags, poll(2), eventfd(2), open(2), setns(2)
    public static final int MSG_TRUNC = 0x20;
    public static final int MSG_DONTWAIT = 0x40;
    public static final short POLLIN = 1;
    public static final int SIZEOF_POLLFD = 8;
    public static final int EFD_NONBLOCK = 0x800;
    public static final int EFD_CLOEXEC = 0x80000;
    public static final int O_RDONLY = 0;
    public static final int O_CLOEXEC = 0x80000;
    public static final int CLONE_NEWNET = 0x40000000;

    // clock_gettime(2)
    public static final int CLOCK_REALTIME = 0;
    public static final int CLOCK_MONOTONIC = 1;
    public static final int SIZEOF_TIMESPEC = 16;

    // errno
    public static final int EPERM = 1;
    public static final int ENOENT = 2;
    public static final int EINTR = 4;
    public static final int EAGAIN = 11;
    public static final int EEXIST = 17;
    public static final int ENODEV = 19;
    public static final int ENOBUFS = 105;
    public static final int ECONNREFUSED = 111;

    private static final int SIZEOF_SOCK_FILTER = 8;

    private static Binding binding() {
        return Binding.get();
    }

    private static LibC c() {
        return Binding.get().libc();
    }

    /** Zeroed native memory for the calls below, in native byte order. Allocate once, reuse. */
    public static ByteBuffer allocate(int size) {
        return ByteBuffer.allocateDirect(size).order(ByteOrder.nativeOrder());
    }

    /** errno of the last failed call on this thread; read it straight after the call. */
    public static int errno() {
        return binding().errno();
    }

    public static String strerror(int errno) {
        return c().strerror(errno);
    }

    /** The failure of the call just made on this thread, naming {@code what}. */
    public static LibcException failure(String what) {
        return new LibcException(what, errno());
    }

    /** {@code rc}, or a {@link LibcException} when it is negative. */
    public static int check(int rc, String what) throws LibcException {
        if (rc < 0) {
            throw failure(what);
        }
        return rc;
    }

    /** {@code rc}, or a {@link LibcException} when it is negative. */
    public static long check(long rc, String what) throws LibcException {
        if (rc < 0) {
            throw failure(what);
        }
        return rc;
    }

    public static int socket(int domain, int type, int protocol) {
        return c().socket(domain, type, protocol);
    }

    /** bind(2) to a socket address of {@code address.length} bytes. */
    public static int bind(int fd, byte[] address) {
        return c().bind(fd, address, address.length);
    }

    /** setsockopt(2) with the whole of {@code value}. */
    public static int setsockopt(int fd, int level, int option, byte[] value) {
        return c().setsockopt(fd, level, option, value, value.length);
    }

    /** setsockopt(2) with an int option. */
    public static void setInt(int fd, int level, int option, int value, String what) throws LibcException {
        check(setsockopt(fd, level, option, intBytes(value)), what);
    }

    /**
     * Attaches a classic BPF program (SO_ATTACH_FILTER; {@code struct sock_filter} instructions of
     * 8 bytes each, host order) to the socket; the kernel copies it.
     */
    public static int attachFilter(int fd, byte[] program) {
        if (program.length == 0 || program.length % SIZEOF_SOCK_FILTER != 0) {
            throw new IllegalArgumentException("a BPF program of " + program.length + " bytes");
        }
        ByteBuffer code = allocate(program.length).put(0, program);
        // struct sock_fprog { unsigned short len; struct sock_filter *filter; }
        ByteBuffer fprog = allocate(16);
        fprog.putShort(0, (short) (program.length / SIZEOF_SOCK_FILTER));
        fprog.putLong(8, binding().address(code));
        int rc = c().setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, binding().address(fprog), 16);
        Reference.reachabilityFence(code); // the kernel copied it during the call
        Reference.reachabilityFence(fprog);
        return rc;
    }

    public static long send(int fd, byte[] bytes, int length, int flags) {
        Objects.checkFromIndexSize(0, length, bytes.length);
        return c().send(fd, bytes, length, flags);
    }

    public static long send(int fd, ByteBuffer buffer, int length, int flags) {
        return c().send(fd, address(buffer, length), length, flags);
    }

    public static long recv(int fd, ByteBuffer buffer, int length, int flags) {
        return c().recv(fd, address(buffer, length), length, flags);
    }

    /** sendto(2) to a socket address of {@code address.length} bytes. */
    public static long sendto(int fd, byte[] bytes, int length, int flags, byte[] address) {
        Objects.checkFromIndexSize(0, length, bytes.length);
        return c().sendto(fd, bytes, length, flags, address, address.length);
    }

    public static long sendto(int fd, ByteBuffer buffer, int length, int flags, ByteBuffer address,
            int addressLength) {
        return c().sendto(fd, pointer(buffer, length), length, flags, pointer(address, addressLength), addressLength);
    }

    /**
     * recvfrom(2); {@code addressLength} is a 4-byte socklen_t holding the room in {@code address}
     * before the call and the length written after it.
     */
    public static long recvfrom(int fd, ByteBuffer buffer, int length, int flags, ByteBuffer address,
            ByteBuffer addressLength) {
        int room = addressLength.getInt(0);
        return c().recvfrom(fd, pointer(buffer, length), length, flags, pointer(address, room),
                pointer(addressLength, 4));
    }

    public static long sendmsg(int fd, MessageHeader message, int flags) {
        return c().sendmsg(fd, message.address(), flags);
    }

    /** recvmsg(2); {@link MessageHeader#reset} the header before each call. */
    public static long recvmsg(int fd, MessageHeader message, int flags) {
        return c().recvmsg(fd, message.address(), flags);
    }

    public static long write(int fd, byte[] bytes, int length) {
        Objects.checkFromIndexSize(0, length, bytes.length);
        return c().write(fd, bytes, length);
    }

    /** poll(2) over {@code count} {@code struct pollfd} entries of {@link #SIZEOF_POLLFD} bytes. */
    public static int poll(ByteBuffer pollfds, int count, int timeoutMillis) {
        return c().poll(address(pollfds, count * SIZEOF_POLLFD), count, timeoutMillis);
    }

    /**
     * clock_gettime(2) into {@code timespec} ({@link #SIZEOF_TIMESPEC} bytes, direct): 0, or -1
     * and errno. Through the vDSO, no system call and no allocation; {@link #timespecNanos}
     * reads the result.
     */
    public static int clockGettime(int clockId, ByteBuffer timespec) {
        return c().clock_gettime(clockId, address(timespec, SIZEOF_TIMESPEC));
    }

    /** A {@code struct timespec} at {@code offset} as nanoseconds (of the epoch, for CLOCK_REALTIME). */
    public static long timespecNanos(ByteBuffer b, int offset) {
        return b.getLong(offset) * 1_000_000_000L + b.getLong(offset + 8);
    }

    public static int eventfd(int initial, int flags) {
        return c().eventfd(initial, flags);
    }

    /** Adds 1 to an eventfd's counter: wakes whoever polls it. */
    public static long wake(int eventFd) {
        return write(eventFd, new byte[] {1, 0, 0, 0, 0, 0, 0, 0}, 8);
    }

    public static int close(int fd) {
        return c().close(fd);
    }

    /** if_nametoindex(3) in the calling thread's network namespace; 0 when there is no such interface. */
    public static int ifNameToIndex(String name) {
        return c().if_nametoindex(name);
    }

    public static int open(String path, int flags) {
        return c().open(path, flags);
    }

    /** setns(2): moves the calling thread (a Linux task) into the namespace {@code fd} names. */
    public static int setns(int fd, int nstype) {
        return c().setns(fd, nstype);
    }

    /** sched_setscheduler(2) with {@code struct sched_param {priority}}; pid 0 is the calling thread. */
    public static int schedSetScheduler(int pid, int policy, int priority) {
        return c().sched_setscheduler(pid, policy, intBytes(priority));
    }

    /** setpriority(2); with PRIO_PROCESS, who 0 is the calling thread. */
    public static int setPriority(int which, int who, int priority) {
        return c().setpriority(which, who, priority);
    }

    public static int mlockall(int flags) {
        return c().mlockall(flags);
    }

    /** setrlimit(2) with {@code struct rlimit {cur, max}}. */
    public static int setRlimit(int resource, long current, long max) {
        byte[] limit = ByteBuffer.allocate(16).order(ByteOrder.nativeOrder()).putLong(current).putLong(max).array();
        return c().setrlimit(resource, limit);
    }

    /** An int in host byte order, as setsockopt and the kernel's structs take it. */
    public static byte[] intBytes(int value) {
        return ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(value).array();
    }

    private static jnr.ffi.Pointer pointer(ByteBuffer buffer, int length) {
        address(buffer, length);
        return binding().pointer(buffer);
    }

    private static long address(ByteBuffer buffer, int length) {
        if (length < 0 || length > buffer.capacity()) {
            throw new IndexOutOfBoundsException("length " + length + " of a buffer of " + buffer.capacity());
        }
        return binding().address(buffer);
    }
}
