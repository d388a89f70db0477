package org.vigil.vip.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.function.Predicate;

import jnr.ffi.LastError;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Runtime;

/**
 * A NETLINK_ROUTE socket for requests with acknowledgement. Created on the calling thread, so it
 * lives in that thread's network namespace for good. Not thread-safe: the VIP worker is its only
 * user. Loading the binding costs about 0.3 s once (shared/reference/native.md section 2).
 */
final class NetlinkSocket implements AutoCloseable {

    private static final int AF_NETLINK = 16;
    private static final int SOCK_RAW = 3;
    private static final int SOCK_CLOEXEC = 0x80000;
    private static final int NETLINK_ROUTE = 0;
    private static final int SOL_SOCKET = 1;
    private static final int SO_RCVTIMEO = 20;
    private static final int SIZEOF_SOCKADDR_NL = 12;
    private static final int EAGAIN = 11;
    private static final int EINTR = 4;
    private static final int ENOBUFS = 105;
    /** A kernel that does not answer a request in this time is not going to. */
    static final long RECEIVE_TIMEOUT_SECONDS = 2;

    private static volatile LibC libc;

    private final LibC c;
    private final Runtime runtime;
    private final byte[] buffer = new byte[16 * 1024];
    private int fd;
    private int sequence = (int) (System.nanoTime() & 0x3fffffff);

    NetlinkSocket() throws IOException {
        this(0);
    }

    /**
     * A socket that also receives the events of {@code groups} (the RTMGRP_* bit mask of
     * sockaddr_nl.nl_groups); read them with {@link #receiveTypes()}. Such a socket is for events
     * only: requests on it would see the events interleaved with the answers.
     */
    NetlinkSocket(int groups) throws IOException {
        c = load();
        runtime = Runtime.getRuntime(c);
        fd = c.socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
        if (fd < 0) {
            throw failure("socket(AF_NETLINK, NETLINK_ROUTE)");
        }
        try {
            // sockaddr_nl {family, pad, pid 0 = let the kernel choose, the event groups}
            byte[] nl = ByteBuffer.allocate(SIZEOF_SOCKADDR_NL).order(ByteOrder.nativeOrder())
                    .putShort((short) AF_NETLINK).putShort((short) 0).putInt(0).putInt(groups).array();
            if (c.bind(fd, nl, nl.length) < 0) {
                throw failure("bind netlink");
            }
            byte[] timeout = ByteBuffer.allocate(16).order(ByteOrder.nativeOrder())
                    .putLong(RECEIVE_TIMEOUT_SECONDS).putLong(0).array();
            if (c.setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, timeout, timeout.length) < 0) {
                throw failure("SO_RCVTIMEO on netlink");
            }
        } catch (IOException e) {
            close();
            throw e;
        }
    }

    private static LibC load() {
        LibC l = libc;
        if (l == null) {
            synchronized (NetlinkSocket.class) {
                l = libc;
                if (l == null) {
                    l = LibraryLoader.create(LibC.class).load("c");
                    libc = l;
                }
            }
        }
        return l;
    }

    /** A fresh sequence number for the next request. */
    int nextSequence() {
        return ++sequence;
    }

    /**
     * Sends one request and waits for its acknowledgement.
     *
     * @return 0 on success, else the kernel's -errno (e.g. -17 EEXIST, -99 EADDRNOTAVAIL)
     * @throws IOException when the socket fails or the kernel does not answer in time
     */
    int request(byte[] message, int sequence) throws IOException {
        return Rtnl.ackError(exchange(message, answer -> Rtnl.ackError(answer, sequence) != null), sequence);
    }

    /**
     * Sends one request that the kernel answers with a message (RTM_GETLINK for a name) and returns
     * the answer datagram, valid until the next request; an error answer comes back as is (see
     * {@link Rtnl#ackError}).
     */
    ByteBuffer query(byte[] message, int sequence) throws IOException {
        return exchange(message, answer -> Rtnl.link(answer, sequence) != null || Rtnl.ackError(answer, sequence) != null);
    }

    /** Sends the request, then receives until a datagram answers it (older requests' late answers are skipped). */
    private ByteBuffer exchange(byte[] message, Predicate<ByteBuffer> answers) throws IOException {
        if (fd < 0) {
            throw new IOException("netlink socket is closed");
        }
        if (c.send(fd, message, message.length, 0) < 0) {
            throw failure("netlink send");
        }
        while (true) {
            long n = c.recv(fd, buffer, buffer.length, 0);
            if (n < 0) {
                int errno = LastError.getLastError(runtime);
                throw errno == EAGAIN ? new IOException("no netlink answer in " + RECEIVE_TIMEOUT_SECONDS + " s")
                        : failure("netlink recv");
            }
            ByteBuffer answer = ByteBuffer.wrap(buffer, 0, (int) n);
            if (answers.test(answer)) {
                return answer;
            }
        }
    }

    /**
     * Waits for the next datagram of events, up to the receive timeout.
     *
     * @return the message types it holds (RTM_DELADDR, ...), empty when none came in time
     * @throws IOException when the socket fails or is closed
     */
    java.util.List<Integer> receiveTypes() throws IOException {
        if (fd < 0) {
            throw new IOException("netlink socket is closed");
        }
        long n = c.recv(fd, buffer, buffer.length, 0);
        if (n < 0) {
            int errno = LastError.getLastError(runtime);
            if (errno == EAGAIN || errno == EINTR) {
                return java.util.List.of();
            }
            if (errno == ENOBUFS) {
                // events were lost: tell the caller something changed
                return java.util.List.of(-1);
            }
            throw failure("netlink recv");
        }
        return Rtnl.messageTypes(ByteBuffer.wrap(buffer, 0, (int) n));
    }

    /** The interface index in this socket's namespace (the calling thread's), 0 when there is none. */
    int ifindex(String name) {
        return c.if_nametoindex(name);
    }

    String strerror(int errno) {
        return c.strerror(errno);
    }

    private IOException failure(String what) {
        int errno = LastError.getLastError(runtime);
        return new IOException(what + ": " + c.strerror(errno) + " (errno " + errno + ")");
    }

    @Override
    public void close() {
        if (fd >= 0) {
            c.close(fd);
            fd = -1;
        }
    }
}
