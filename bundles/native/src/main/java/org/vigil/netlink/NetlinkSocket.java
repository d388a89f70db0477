package org.vigil.netlink;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.vigil.libc.Libc;
import org.vigil.libc.LibcException;

/**
 * A netlink socket (shared/reference/native.md section 9). Created on the calling thread, so it
 * belongs to that thread's network namespace for good. Every netlink field is in host byte order.
 *
 * <p>Requests carry their own sequence number ({@link #nextSequence}); {@link #request},
 * {@link #acknowledge} and {@link #acknowledgeAll} read until the answers to theirs are in and
 * skip anything else (a late answer to an earlier request, an event on a subscribed socket). A
 * blocking receive gives up after {@link #RECEIVE_TIMEOUT_SECONDS}: a kernel that does not answer
 * in that time is not going to. Not thread-safe: one user at a time.
 */
public final class NetlinkSocket implements AutoCloseable {

    // protocols (linux/netlink.h)
    public static final int NETLINK_ROUTE = 0;
    public static final int NETLINK_CONNECTOR = 11;
    public static final int NETLINK_GENERIC = 16;

    // struct nlmsghdr {u32 len; u16 type; u16 flags; u32 seq; u32 pid}
    public static final int NLMSG_HDRLEN = 16;
    public static final int NLMSG_ERROR = 2;
    public static final int NLMSG_DONE = 3;
    public static final int NLM_F_REQUEST = 0x1;
    public static final int NLM_F_MULTI = 0x2;
    public static final int NLM_F_ACK = 0x4;
    public static final int NLM_F_DUMP = 0x300;

    public static final int SOL_NETLINK = 270;
    public static final int NETLINK_CAP_ACK = 10;

    public static final long RECEIVE_TIMEOUT_SECONDS = 2;
    /** The largest datagram read at once (the kernel's dump answers stay well below). */
    public static final int BUFFER = 64 * 1024;
    /**
     * Messages per datagram in {@link #acknowledgeAll}: the kernel handles each in order and
     * acknowledges each, and a chunk's acknowledgements must fit in the receive buffer.
     */
    static final int CHUNK = 64;
    private static final int SIZEOF_SOCKADDR_NL = 12;

    private final int protocol;
    private final ByteBuffer buffer = Libc.allocate(BUFFER);
    private final byte[] bytes = new byte[BUFFER];
    private int fd;
    private int sequence = (int) (System.nanoTime() & 0x3fffffff);

    private NetlinkSocket(int protocol, int fd) {
        this.protocol = protocol;
        this.fd = fd;
    }

    /** A socket for requests only. */
    public static NetlinkSocket open(int protocol) throws IOException {
        return open(protocol, 0);
    }

    /**
     * Opens a socket on the calling thread.
     *
     * @param groups the multicast groups to receive (sockaddr_nl.nl_groups, e.g. RTMGRP_LINK; for
     *        the proc connector CN_IDX_PROC), 0 for none. A subscribed socket receives the events
     *        interleaved with the answers to its requests, which the request methods skip.
     */
    public static NetlinkSocket open(int protocol, int groups) throws IOException {
        int fd = Libc.check(Libc.socket(Libc.AF_NETLINK, Libc.SOCK_RAW | Libc.SOCK_CLOEXEC, protocol),
                "socket(AF_NETLINK, " + name(protocol) + ")");
        NetlinkSocket s = new NetlinkSocket(protocol, fd);
        try {
            // sockaddr_nl {family, pad, pid 0 = let the kernel choose, groups}
            byte[] nl = ByteBuffer.allocate(SIZEOF_SOCKADDR_NL).order(ByteOrder.nativeOrder())
                    .putShort((short) Libc.AF_NETLINK).putShort((short) 0).putInt(0).putInt(groups).array();
            Libc.check(Libc.bind(fd, nl), "bind " + name(protocol) + " groups 0x" + Integer.toHexString(groups));
            byte[] timeout = ByteBuffer.allocate(16).order(ByteOrder.nativeOrder()).putLong(RECEIVE_TIMEOUT_SECONDS)
                    .putLong(0).array();
            Libc.check(Libc.setsockopt(fd, Libc.SOL_SOCKET, Libc.SO_RCVTIMEO, timeout), "SO_RCVTIMEO on netlink");
            // An error's acknowledgement carries the request's header only, not the whole request:
            // a batch's errors then never fill the receive buffer. Best effort (kernel 4.3 on).
            Libc.setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, Libc.intBytes(1));
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
        return s;
    }

    private static String name(int protocol) {
        return switch (protocol) {
            case NETLINK_ROUTE -> "NETLINK_ROUTE";
            case NETLINK_CONNECTOR -> "NETLINK_CONNECTOR";
            case NETLINK_GENERIC -> "NETLINK_GENERIC";
            default -> "netlink protocol " + protocol;
        };
    }

    /** The descriptor, for poll(2) beside an eventfd; still owned by this socket. */
    public int fd() {
        return fd;
    }

    /** A fresh sequence number for the next request. */
    public int nextSequence() {
        return ++sequence;
    }

    /**
     * Asks for a receive buffer of {@code bytes} (SO_RCVBUFFORCE, as root or with CAP_NET_ADMIN;
     * else SO_RCVBUF up to net.core.rmem_max), room for a burst of events. Best effort.
     */
    public void receiveBuffer(int bytes) {
        byte[] v = Libc.intBytes(bytes);
        if (Libc.setsockopt(fd, Libc.SOL_SOCKET, Libc.SO_RCVBUFFORCE, v) < 0) {
            Libc.setsockopt(fd, Libc.SOL_SOCKET, Libc.SO_RCVBUF, v);
        }
    }

    /** Sends one datagram: one message or several, each with its own header. */
    public void send(byte[] datagram) throws IOException {
        requireOpen();
        if (datagram.length > BUFFER) {
            throw new IllegalArgumentException("a netlink datagram of " + datagram.length + " bytes");
        }
        buffer.put(0, datagram);
        if (Libc.send(fd, buffer, datagram.length, 0) < 0) {
            throw Libc.failure(name(protocol) + " send");
        }
    }

    /**
     * Waits for the next datagram, up to the receive timeout.
     *
     * @return the datagram (position 0, native order), valid until the next receive; null when
     *         none came in time
     * @throws LibcException when the socket fails; {@link Libc#ENOBUFS} when the kernel dropped
     *         messages for this socket (its queue overflowed: what they said is lost)
     */
    public ByteBuffer receive() throws IOException {
        return read(0);
    }

    /** The next datagram if one is waiting, else null at once; otherwise as {@link #receive}. */
    public ByteBuffer receiveNow() throws IOException {
        return read(Libc.MSG_DONTWAIT);
    }

    private ByteBuffer read(int flags) throws IOException {
        requireOpen();
        while (true) {
            long n = Libc.recv(fd, buffer, BUFFER, flags);
            if (n >= 0) {
                buffer.get(0, bytes, 0, (int) n);
                return ByteBuffer.wrap(bytes, 0, (int) n).slice().order(ByteOrder.nativeOrder());
            }
            int errno = Libc.errno();
            if (errno == Libc.EAGAIN) {
                return null;
            }
            if (errno != Libc.EINTR) {
                throw new LibcException(name(protocol) + " recv", errno);
            }
        }
    }

    /**
     * Sends one request and collects its answer: the reply messages up to the acknowledgement
     * (NLM_F_ACK), the end of a dump (NLM_F_DUMP, NLMSG_DONE), or the one reply of a request
     * with neither.
     *
     * @param message the request, header included, carrying {@code sequence}
     * @return each reply message (header at 0, native order, copied out); empty for a plain ACK
     * @throws NetlinkException the kernel's error answer
     * @throws IOException when the socket fails or no answer comes in time
     */
    public List<ByteBuffer> request(byte[] message, int sequence) throws IOException {
        send(message);
        int type = ByteBuffer.wrap(message).order(ByteOrder.nativeOrder()).getShort(4) & 0xffff;
        List<ByteBuffer> replies = new ArrayList<>();
        while (true) {
            ByteBuffer d = answer();
            for (int at = 0; at + NLMSG_HDRLEN <= d.limit();) {
                int length = d.getInt(at);
                if (length < NLMSG_HDRLEN || at + length > d.limit()) {
                    break;
                }
                if (d.getInt(at + 8) == sequence) {
                    int answerType = d.getShort(at + 4) & 0xffff;
                    int flags = d.getShort(at + 6) & 0xffff;
                    if (answerType == NLMSG_ERROR || answerType == NLMSG_DONE) {
                        int error = length >= NLMSG_HDRLEN + 4 ? d.getInt(at + NLMSG_HDRLEN) : 0;
                        if (error < 0) {
                            throw new NetlinkException(name(protocol) + " request type " + type, -error);
                        }
                        return replies;
                    }
                    replies.add(copy(d, at, length));
                    if ((flags & NLM_F_MULTI) == 0 && !acknowledged(message)) {
                        return replies;
                    }
                }
                at += align(length);
            }
        }
    }

    private static boolean acknowledged(byte[] message) {
        return (ByteBuffer.wrap(message).order(ByteOrder.nativeOrder()).getShort(6) & NLM_F_ACK) != 0;
    }

    /**
     * Sends one request with NLM_F_ACK and waits for its acknowledgement.
     *
     * @return 0 on success, else the kernel's -errno (e.g. -17 EEXIST, -99 EADDRNOTAVAIL)
     * @throws IOException when the socket fails or the kernel does not answer in time
     */
    public int acknowledge(byte[] message, int sequence) throws IOException {
        try {
            request(message, sequence);
            return 0;
        } catch (NetlinkException e) {
            return -e.errno();
        }
    }

    /**
     * Sends requests (each with NLM_F_ACK and its own sequence number) several to a datagram, in
     * chunks of {@value #CHUNK}, and waits for every answer.
     *
     * @return per message, 0 for its ACK or the kernel's -errno
     * @throws IOException when the socket fails or the kernel does not answer in time
     */
    public int[] acknowledgeAll(List<byte[]> messages, int[] sequences) throws IOException {
        int[] results = new int[messages.size()];
        for (int from = 0; from < messages.size(); from += CHUNK) {
            int to = Math.min(messages.size(), from + CHUNK);
            int size = 0;
            for (int i = from; i < to; i++) {
                size += messages.get(i).length;
            }
            ByteBuffer out = ByteBuffer.allocate(size);
            Map<Integer, Integer> waiting = new HashMap<>();
            for (int i = from; i < to; i++) {
                out.put(messages.get(i));
                waiting.put(sequences[i], i);
            }
            send(out.array());
            while (!waiting.isEmpty()) {
                ByteBuffer d = answer();
                for (int at = 0; at + NLMSG_HDRLEN <= d.limit();) {
                    int length = d.getInt(at);
                    if (length < NLMSG_HDRLEN || at + length > d.limit()) {
                        break;
                    }
                    if ((d.getShort(at + 4) & 0xffff) == NLMSG_ERROR) {
                        Integer i = waiting.remove(d.getInt(at + 8));
                        if (i != null) {
                            results[i] = length >= NLMSG_HDRLEN + 4 ? d.getInt(at + NLMSG_HDRLEN) : 0;
                        }
                    }
                    at += align(length);
                }
            }
        }
        return results;
    }

    private ByteBuffer answer() throws IOException {
        ByteBuffer d = receive();
        if (d == null) {
            throw new IOException("no " + name(protocol) + " answer in " + RECEIVE_TIMEOUT_SECONDS + " s");
        }
        return d;
    }

    private static ByteBuffer copy(ByteBuffer d, int at, int length) {
        byte[] m = new byte[length];
        d.get(at, m);
        return ByteBuffer.wrap(m).order(ByteOrder.nativeOrder());
    }

    /** NLMSG_ALIGN / RTA_ALIGN / NLA_ALIGN: lengths round up to 4. */
    public static int align(int length) {
        return (length + 3) & ~3;
    }

    private void requireOpen() throws IOException {
        if (fd < 0) {
            throw new IOException(name(protocol) + " socket is closed");
        }
    }

    @Override
    public void close() {
        if (fd >= 0) {
            Libc.close(fd);
            fd = -1;
        }
    }
}
