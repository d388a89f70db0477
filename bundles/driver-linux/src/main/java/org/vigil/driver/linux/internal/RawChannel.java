package org.vigil.driver.linux.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import jnr.ffi.Pointer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vigil.api.driver.ChannelSpec;
import org.vigil.api.driver.PacketChannel;
import org.vigil.api.driver.PacketListener;
import org.vigil.api.driver.ReceivedPacket;

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
    private static final int POLLFD_SIZE = 8;
    private static final long JOIN_MILLIS = 2000;

    final Native nat;
    final LibC libc;
    final ChannelSpec spec;
    final PacketListener listener;
    final int ifindex;
    final InetAddress source;
    private final Consumer<RawChannel> onClose;
    private final AtomicBoolean closed = new AtomicBoolean();
    /** Guards the fds against the receive thread closing them, and the send buffers. */
    final Object sendLock = new Object();
    int fd = -1;
    private int eventFd = -1;
    private Thread receiver;

    RawChannel(Native nat, ChannelSpec spec, PacketListener listener, int ifindex, InetAddress source,
            Consumer<RawChannel> onClose) {
        this.nat = nat;
        this.libc = nat.libc;
        this.spec = spec;
        this.listener = Objects.requireNonNull(listener, "listener");
        this.ifindex = ifindex;
        this.source = source;
        this.onClose = onClose;
    }

    /**
     * Creates the socket and starts the receive thread. Runs on the caller's thread, so the socket
     * lives in the caller's network namespace.
     */
    final void start(int family, String threadName) throws IOException {
        fd = nat.check(libc.socket(family, Linux.SOCK_RAW | Linux.SOCK_CLOEXEC, spec.protocol()),
                "socket(" + (family == Linux.AF_INET ? "AF_INET" : "AF_INET6") + ", SOCK_RAW, " + spec.protocol() + ")");
        try {
            byte[] name = (spec.interfaceName() + "\0").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            nat.check(libc.setsockopt(fd, Linux.SOL_SOCKET, Linux.SO_BINDTODEVICE, name, name.length),
                    "SO_BINDTODEVICE " + spec.interfaceName());
            configure();
            eventFd = nat.check(libc.eventfd(0, Linux.EFD_CLOEXEC | Linux.EFD_NONBLOCK), "eventfd");
        } catch (IOException | RuntimeException e) {
            closeFds();
            throw e;
        }
        receiver = new Thread(this::receiveLoop, threadName);
        receiver.setDaemon(true);
        receiver.start();
    }

    /** Socket options of the family: TTL, multicast, membership, ancillary data. */
    abstract void configure() throws IOException;

    /** Reads one datagram (MSG_DONTWAIT); returns its length, or -1 when the socket is drained. */
    abstract long receiveOne() throws IOException;

    /** Hands the datagram just read to the listener, or drops it. Receive thread only. */
    abstract void deliver(int length, long receivedNanos);

    private void receiveLoop() {
        Pointer pollfds = nat.allocate(2 * POLLFD_SIZE);
        pollfds.putInt(0, fd);
        pollfds.putShort(4, Linux.POLLIN);
        pollfds.putInt(POLLFD_SIZE, eventFd);
        pollfds.putShort(POLLFD_SIZE + 4, Linux.POLLIN);
        try {
            while (!closed.get()) {
                pollfds.putShort(6, (short) 0);
                pollfds.putShort(POLLFD_SIZE + 6, (short) 0);
                int n = libc.poll(pollfds, 2, -1);
                if (n < 0) {
                    if (nat.errno() == Linux.EINTR) {
                        continue;
                    }
                    throw nat.failure("poll");
                }
                if (pollfds.getShort(POLLFD_SIZE + 6) != 0) {
                    break;
                }
                if (pollfds.getShort(6) != 0) {
                    drain();
                }
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

    private void drain() throws IOException {
        while (!closed.get()) {
            long n = receiveOne();
            if (n < 0) {
                return;
            }
            deliver((int) n, System.nanoTime());
        }
    }

    /** Errors that mean "nothing more to read now" rather than a broken socket. */
    final long readResult(long n, String what) throws IOException {
        if (n >= 0) {
            return n;
        }
        int errno = nat.errno();
        if (errno == Linux.EAGAIN || errno == Linux.EINTR) {
            return -1;
        }
        if (errno == Linux.ENOBUFS) {
            LOG.warn("{} on {}: receive queue overflow (ENOBUFS)", what, spec.interfaceName());
            return -1;
        }
        throw nat.failure(what + " on " + spec.interfaceName());
    }

    /** Filters by the channel's mode and hands a packet to the listener, shielding the thread. */
    final void offer(InetAddress src, InetAddress dst, int ttl, byte[] ipHeader, byte[] data, int offset, int length,
            long receivedNanos) {
        if (src.equals(source)) {
            // Our own packet: a second Vigil on this host or a routing loop; never our business
            return;
        }
        // Each channel hears its own mode only, so an instance never gets one packet twice
        boolean forUs = spec.unicast() ? !dst.isMulticastAddress() && !isBroadcast(dst) : dst.equals(spec.group());
        if (!forUs) {
            return;
        }
        try {
            listener.received(new ReceivedPacket(spec.interfaceName(), src, dst, ttl, spec.protocol(), ipHeader, data,
                    offset, length, receivedNanos));
        } catch (RuntimeException e) {
            LOG.warn("packet listener on {} failed", spec.interfaceName(), e);
        }
    }

    private static boolean isBroadcast(InetAddress a) {
        byte[] b = a.getAddress();
        return b.length == 4 && (b[0] & b[1] & b[2] & b[3]) == (byte) 0xff;
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
        synchronized (sendLock) {
            if (eventFd >= 0) {
                Pointer one = nat.allocate(8);
                one.putLong(0, 1L);
                libc.write(eventFd, one, 8);
            }
        }
        if (t != Thread.currentThread()) {
            try {
                t.join(JOIN_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (t.isAlive()) {
                LOG.warn("receive thread {} did not stop within {} ms", t.getName(), JOIN_MILLIS);
            }
        }
    }

    private void closeFds() {
        synchronized (sendLock) {
            if (fd >= 0) {
                libc.close(fd);
                fd = -1;
            }
            if (eventFd >= 0) {
                libc.close(eventFd);
                eventFd = -1;
            }
        }
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + spec.interfaceName() + " " + spec.family() + " proto "
                + spec.protocol() + (spec.unicast() ? " unicast" : " " + spec.group().getHostAddress()) + "]";
    }
}
