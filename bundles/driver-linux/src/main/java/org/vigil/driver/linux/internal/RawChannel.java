package org.vigil.driver.linux.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.util.BitSet;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vigil.api.driver.ChannelSpec;
import org.vigil.api.driver.PacketChannel;
import org.vigil.api.driver.PacketListener;
import org.vigil.api.driver.ReceivedPacket;
import org.vigil.api.vrrp.IpFamily;
import org.vigil.libc.Libc;
import org.vigil.libc.LibcException;
import org.vigil.libc.PollSet;

/**
 * A raw IP socket bound to one interface and protocol, with its own receive thread. The thread
 * polls the socket and an eventfd; {@link #close()} writes the eventfd, which wakes it at once
 * (close(2) alone would not: shared/reference/native.md section 6). The thread closes both fds
 * on its way out, under the send lock, so a racing send never writes to a reused fd number.
 */
abstract class RawChannel implements PacketChannel {

    private static final Logger LOG = LoggerFactory.getLogger(RawChannel.class);
    /** Largest IP datagram; VRRP never comes close, but a truncated read would be misparsed. */
    static final int RECEIVE_BUFFER = 65536;
    /** Polls per call of {@link #pollSome}: enough for the JIT to compile it soon, few enough to return often. */
    static final int POLLS_PER_CALL = 16;
    /**
     * Socket receive buffer asked for (SO_RCVBUFFORCE, as root or with CAP_NET_ADMIN; else
     * SO_RCVBUF up to net.core.rmem_max): room for a second of 510 adverts plus a burst of junk,
     * so the kernel never has to drop real adverts while the receive thread catches up.
     */
    static final int SOCKET_RECEIVE_BUFFER = 4 << 20;
    final ChannelSpec spec;
    final PacketListener listener;
    final int ifindex;
    final InetAddress source;
    private final Consumer<RawChannel> onClose;
    private final AtomicBoolean closed = new AtomicBoolean();
    /** Guards the fds against the receive thread closing them, and the send buffers. */
    final Object sendLock = new Object();
    /**
     * Guards the receive buffers, the read and the fd's lifetime against each other: the receive
     * thread reads under it, and so does the election thread in {@link #receivePending}. Taken
     * before {@link #sendLock} where both are held. Uncontended almost always, so it costs no
     * allocation and no system call. A ReentrantLock, not a monitor: a monitor the election
     * thread once contended stays inflated, and every later uncontended entry then went through
     * the VM's slow path (measured: a twentieth of the receive thread's CPU at 0.01 s adverts).
     */
    private final ReentrantLock receiveLock = new ReentrantLock();
    /** Guarded by receiveLock. */
    private final ReceiveStamp stamps = new ReceiveStamp();
    /** Guarded by receiveLock: {@link ReceiveStamp#implausible()} when last logged. */
    private long implausibleLogged;
    int fd = -1;
    private int eventFd = -1;
    private Thread receiver;
    /** The receive thread's: the {@link ReceivePriority#generation()} it last applied. */
    private int priorityApplied;
    /** The receive thread's reusable view: the listener copies what it keeps. */
    final ReceivedPacket view = new ReceivedPacket();
    /** The receive thread's copy of the datagram out of native memory. */
    final byte[] frame = new byte[RECEIVE_BUFFER];
    /** Raw bytes of the source we send from and of the group, for the receive filter. */
    final byte[] sourceBytes;
    final byte[] groupBytes;

    RawChannel(ChannelSpec spec, PacketListener listener, int ifindex, InetAddress source,
            Consumer<RawChannel> onClose) {
        this.spec = spec;
        this.listener = Objects.requireNonNull(listener, "listener");
        this.ifindex = ifindex;
        this.source = source;
        this.onClose = onClose;
        this.sourceBytes = source.getAddress();
        this.groupBytes = spec.unicast() ? null : spec.group().getAddress();
    }

    /**
     * Creates the socket and starts the receive thread. Runs on the caller's thread, so the socket
     * lives in the caller's network namespace.
     */
    final void start(int family, String threadName) throws IOException {
        fd = Libc.check(Libc.socket(family, Libc.SOCK_RAW | Libc.SOCK_CLOEXEC, spec.protocol()),
                "socket(" + (family == Libc.AF_INET ? "AF_INET" : "AF_INET6") + ", SOCK_RAW, " + spec.protocol() + ")");
        try {
            byte[] name = (spec.interfaceName() + "\0").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            Libc.check(Libc.setsockopt(fd, Libc.SOL_SOCKET, Libc.SO_BINDTODEVICE, name),
                    "SO_BINDTODEVICE " + spec.interfaceName());
            configure();
            sizeReceiveBuffer();
            stampOnArrival();
            eventFd = Libc.check(Libc.eventfd(0, Libc.EFD_CLOEXEC | Libc.EFD_NONBLOCK), "eventfd");
        } catch (IOException | RuntimeException e) {
            closeFds();
            throw e;
        }
        receiver = new Thread(this::receiveLoop, threadName);
        receiver.setDaemon(true);
        receiver.start();
    }

    private void sizeReceiveBuffer() {
        try {
            Libc.setInt(fd, Libc.SOL_SOCKET, Libc.SO_RCVBUFFORCE, SOCKET_RECEIVE_BUFFER, "SO_RCVBUFFORCE");
        } catch (IOException e) {
            try {
                Libc.setInt(fd, Libc.SOL_SOCKET, Libc.SO_RCVBUF, SOCKET_RECEIVE_BUFFER, "SO_RCVBUF");
            } catch (IOException ignored) {
                LOG.debug("receive buffer on {} left at the default: {}", spec.interfaceName(), ignored.getMessage());
            }
        }
    }

    /**
     * Asks the kernel for its receive stamp on every datagram (SO_TIMESTAMPNS): Master_Down then
     * counts from when an advert arrived, not from when this thread got to run ({@link ReceiveStamp}).
     * Without it every datagram is stamped when read, as before.
     */
    private void stampOnArrival() {
        try {
            Libc.setInt(fd, Libc.SOL_SOCKET, Libc.SO_TIMESTAMPNS, 1, "SO_TIMESTAMPNS");
        } catch (IOException e) {
            LOG.warn("no kernel receive stamps on {}: datagrams are stamped when read ({})", spec.interfaceName(),
                    e.getMessage());
        }
    }

    /** The datagram just read: its arrival on the nanoTime clock, the read's time when the stamp is not to be trusted. */
    private long arrival() {
        long at = stamps.nanoTime(stampRealtime());
        long implausible = stamps.implausible();
        if (implausible != implausibleLogged && Long.bitCount(implausible) == 1) {
            // 1, 2, 4, 8...: a clock step is one line, a clock gone wild a few, never one per packet
            LOG.warn("kernel receive stamps on {} not used for {} datagrams so far (CLOCK_REALTIME stepped, or the clocks "
                    + "could not be read together): those are stamped when read", spec.interfaceName(), implausible);
            implausibleLogged = implausible;
        }
        return at;
    }

    /** Kernel receive stamps not trusted so far on this channel ({@link ReceiveStamp#implausible()}). */
    long implausibleStamps() {
        receiveLock.lock();
        try {
            return stamps.implausible();
        } finally {
            receiveLock.unlock();
        }
    }

    /**
     * Attaches the kernel filter for these VRIDs ({@link VridFilter}); called on the election
     * thread, cheap (one setsockopt). A failure leaves the socket unfiltered: the core still
     * drops other VRIDs itself, it only costs more.
     */
    @Override
    public void acceptVrids(BitSet vrids) {
        byte[] program = VridFilter.program(spec.family() == IpFamily.IPV4, spec.protocol() == LinuxDriver.PROTOCOL_AH,
                vrids);
        synchronized (sendLock) {
            if (fd < 0) {
                return;
            }
            if (Libc.attachFilter(fd, program) < 0) {
                LOG.warn("cannot attach the VRID filter on {}: {}", spec.interfaceName(), Libc.failure("SO_ATTACH_FILTER")
                        .getMessage());
            }
        }
    }

    /** Socket options of the family: TTL, multicast, membership, ancillary data. */
    abstract void configure() throws IOException;

    /** Reads one datagram (MSG_DONTWAIT); returns its length, or -1 when the socket is drained. */
    abstract long receiveOne() throws IOException;

    /**
     * The kernel's receive stamp of the datagram just read (CLOCK_REALTIME nanoseconds), or -1
     * when it sent none.
     */
    abstract long stampRealtime();

    /**
     * Hands the datagram just read to the listener, or drops it. Under the receive lock.
     *
     * @param receivedNanos when the kernel took it in, on the {@link System#nanoTime()} clock
     */
    abstract void deliver(int length, long receivedNanos);

    private void receiveLoop() {
        PollSet polls = new PollSet(fd, eventFd);
        priorityApplied = ReceivePriority.apply(Thread.currentThread().getName());
        try {
            while (pollSome(polls)) {
                // each call polls up to POLLS_PER_CALL times: see pollSome
            }
        } catch (IOException | RuntimeException e) {
            if (!closed.get()) {
                LOG.error("receiving on {} ({} protocol {}) stopped: {}", spec.interfaceName(), spec.family(),
                        spec.protocol(), e.toString());
            }
        } finally {
            closeFds();
        }
    }

    /**
     * Waits for the socket or the eventfd and reads what came, up to {@link #POLLS_PER_CALL} times;
     * false when the eventfd says close. A method of its own, returning now and then, so the JIT
     * compiles it after a couple of thousand datagrams: the loop that calls it is entered once
     * and runs in the interpreter (with C1 only, on-stack replacement waits for 60,000 iterations:
     * ten minutes at 0.01 s adverts, hours at 1 s), and every turn of it costs interpreted
     * bytecodes and calls from the interpreter into compiled code. Measured at 100 adverts a
     * second: the interpreted loop was half the receive thread's CPU with its whole body in it,
     * and still a twelfth with one call per datagram.
     */
    private boolean pollSome(PollSet polls) throws IOException {
        for (int i = 0; i < POLLS_PER_CALL; i++) {
            if (closed.get()) {
                return false;
            }
            if (priorityApplied != ReceivePriority.generation()) {
                priorityApplied = ReceivePriority.apply(Thread.currentThread().getName());
            }
            long pollStarted = System.nanoTime();
            if (polls.poll(-1) < 0) {
                if (Libc.errno() == Libc.EINTR) {
                    continue;
                }
                throw Libc.failure("poll");
            }
            if (polls.returned(1) != 0) {
                return false;
            }
            if (polls.returned(0) != 0) {
                receive(pollStarted);
            }
        }
        return true;
    }

    /**
     * Reads the datagram poll(2) reported. One that arrived while this thread was waiting woke it
     * and is almost always alone: it is read, and the next poll(2) (which returns at once should
     * another be there) is the wait. Reading on to EAGAIN would cost a second recvmsg(2) per
     * datagram for nothing. One that arrived before the poll began has waited while this thread
     * was busy, so others may be queued behind it: those are read to EAGAIN now (a burst of 510
     * adverts costs one poll, not one each).
     */
    private void receive(long pollStarted) throws IOException {
        receiveLock.lock();
        try {
            if (closed.get()) {
                return;
            }
            long n = receiveOne();
            if (n < 0) {
                return;
            }
            long at = arrival();
            deliver((int) n, at);
            if (at - pollStarted < 0) {
                drainLocked();
            }
        } finally {
            receiveLock.unlock();
        }
    }

    /** Under the receive lock: reads and delivers until the socket is drained. */
    private void drainLocked() throws IOException {
        while (!closed.get()) {
            long n = receiveOne();
            if (n < 0) {
                return;
            }
            deliver((int) n, arrival());
        }
    }

    @Override
    public int receivePending(int max) {
        receiveLock.lock();
        try {
            int read = 0;
            try {
                while (read < max && fd >= 0 && !closed.get()) {
                    long n = receiveOne();
                    if (n < 0) {
                        break;
                    }
                    deliver((int) n, arrival());
                    read++;
                }
            } catch (IOException e) {
                // the receive thread meets the same error on its next read and reports it
            }
            return read;
        } finally {
            receiveLock.unlock();
        }
    }

    /** Errors that mean "nothing more to read now" rather than a broken socket. */
    final long readResult(long n, String what) throws IOException {
        if (n >= 0) {
            return n;
        }
        int errno = Libc.errno();
        if (errno == Libc.EAGAIN || errno == Libc.EINTR) {
            return -1;
        }
        if (errno == Libc.ENOBUFS) {
            LOG.warn("{} on {}: receive queue overflow (ENOBUFS)", what, spec.interfaceName());
            return -1;
        }
        throw new LibcException(what + " on " + spec.interfaceName(), errno);
    }

    /**
     * Filters by the channel's mode and hands {@link #view} (filled by the subclass over
     * {@link #frame}) to the listener, shielding the thread. Allocates nothing.
     */
    final void offer() {
        ReceivedPacket p = view;
        if (p.sourceEquals(sourceBytes)) {
            // Our own packet: a second Vigil on this host or a routing loop; never our business
            return;
        }
        // Each channel hears its own mode only, so an instance never gets one packet twice
        byte[] dst = p.destinationBytes();
        boolean forUs = groupBytes == null ? !isMulticast(dst, p.addressLength()) && !isBroadcast(dst, p.addressLength())
                : java.util.Arrays.equals(dst, 0, p.addressLength(), groupBytes, 0, groupBytes.length);
        if (!forUs) {
            return;
        }
        try {
            listener.received(p);
        } catch (RuntimeException e) {
            LOG.warn("packet listener on {} failed", spec.interfaceName(), e);
        }
    }

    private static boolean isMulticast(byte[] a, int length) {
        return length == 4 ? (a[0] & 0xf0) == 0xe0 : (a[0] & 0xff) == 0xff;
    }

    private static boolean isBroadcast(byte[] a, int length) {
        return length == 4 && (a[0] & a[1] & a[2] & a[3]) == (byte) 0xff;
    }

    final void requireOpen() throws IOException {
        if (closed.get() || fd < 0) {
            throw new IOException("channel on " + spec.interfaceName() + " is closed");
        }
    }

    final void checkPayload(byte[] payload, int offset, int length, int limit) {
        Objects.checkFromIndexSize(offset, length, payload.length);
        if (length > limit) {
            throw new IllegalArgumentException("payload of " + length + " bytes exceeds " + limit);
        }
    }

    @Override
    public InetAddress sourceAddress() {
        return source;
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        onClose.accept(this);
        Thread t = receiver;
        if (t == null) {
            closeFds();
            return;
        }
        // No join: the election thread closes channels and must not wait for another thread.
        // The receive thread sees the eventfd, closes both fds under the send lock and ends;
        // a send racing it finds the fd gone and fails cleanly.
        synchronized (sendLock) {
            if (eventFd >= 0) {
                Libc.wake(eventFd);
            }
        }
    }

    /** Waits for the receive thread to end (the driver's deactivation, tests). */
    void awaitClosed(long millis) {
        Thread t = receiver;
        if (t != null && t != Thread.currentThread()) {
            try {
                t.join(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void closeFds() {
        receiveLock.lock();
        try {
            synchronized (sendLock) {
                if (fd >= 0) {
                    Libc.close(fd);
                    fd = -1;
                }
                if (eventFd >= 0) {
                    Libc.close(eventFd);
                    eventFd = -1;
                }
            }
        } finally {
            receiveLock.unlock();
        }
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + spec.interfaceName() + " " + spec.family() + " proto "
                + spec.protocol() + (spec.unicast() ? " unicast" : " " + spec.group().getHostAddress()) + "]";
    }
}
