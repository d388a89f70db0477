package org.vigil.check.ping.internal;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vigil.libc.Libc;
import org.vigil.libc.PollSet;

/**
 * ICMP echo for every PING_CHECK of the daemon: one socket per address family and one receive
 * thread polling both. Each family first tries an unprivileged ICMP datagram socket
 * ({@code socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP)}, as iputils ping does without root; allowed
 * when Vigil's group is in net.ipv4.ping_group_range, and the kernel then fills in the
 * identifier and the checksum), then a raw ICMP socket (root, CAP_NET_RAW). Replies are matched
 * by sequence number, an 8-byte nonce in the payload and the source address, so a late reply to
 * a cancelled echo, or another program's ping, never passes a check.
 */
final class Pinger implements AutoCloseable {
    static final int IPPROTO_ICMP = 1;
    static final int IPPROTO_ICMPV6 = 58;

    static final int ECHO_REQUEST_V4 = 8;
    static final int ECHO_REPLY_V4 = 0;
    static final int ECHO_REQUEST_V6 = 128;
    static final int ECHO_REPLY_V6 = 129;
    /** ICMP header (8) + nonce (8) + "vigil-ck" (8), the whole echo. */
    static final int ECHO_LENGTH = 24;
    static final byte[] MARK = "vigil-ck".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    static final int BUFFER = 2048;

    private static final Logger LOG = LoggerFactory.getLogger(Pinger.class);

    /** How a family's socket was opened. */
    enum Mode {
        DGRAM, RAW, NONE
    }

    /** An echo waiting for its reply. */
    private record Pending(InetAddress to, long nonce, CompletableFuture<Void> reply) {
    }

    private final Family v4;
    private final Family v6;
    private final int wake;
    private final Thread thread;
    /** Our identifier on raw sockets (a datagram socket's is chosen by the kernel). */
    private final int rawId = ThreadLocalRandom.current().nextInt(1 << 16);
    private final AtomicInteger sequence = new AtomicInteger(ThreadLocalRandom.current().nextInt(1 << 16));
    private final Map<Integer, Pending> pending = new ConcurrentHashMap<>();
    private volatile boolean closed;

    /** One family's socket, or why there is none. */
    private static final class Family {
        final int fd;
        final Mode mode;
        final String error;

        Family(int fd, Mode mode, String error) {
            this.fd = fd;
            this.mode = mode;
            this.error = error;
        }
    }

    /** Opens the sockets (in the calling thread's network namespace) and starts the thread. */
    Pinger(String threadName) throws IOException {
        v4 = open(Libc.AF_INET, IPPROTO_ICMP, "net.ipv4.ping_group_range");
        v6 = open(Libc.AF_INET6, IPPROTO_ICMPV6, "net.ipv4.ping_group_range (it covers IPv6 too)");
        // with neither family the service still registers: each check then says why (prepare)
        wake = Libc.eventfd(0, Libc.EFD_CLOEXEC | Libc.EFD_NONBLOCK);
        if (wake < 0) {
            IOException e = Libc.failure("eventfd");
            closeFds();
            throw e;
        }
        thread = new Thread(this::receive, threadName);
        thread.setDaemon(true);
        thread.start();
    }

    private Family open(int family, int protocol, String sysctl) {
        int fd = Libc.socket(family, Libc.SOCK_DGRAM | Libc.SOCK_NONBLOCK | Libc.SOCK_CLOEXEC, protocol);
        if (fd >= 0) {
            return new Family(fd, Mode.DGRAM, null);
        }
        String dgram = strerror();
        fd = Libc.socket(family, Libc.SOCK_RAW | Libc.SOCK_NONBLOCK | Libc.SOCK_CLOEXEC, protocol);
        if (fd >= 0) {
            return new Family(fd, Mode.RAW, null);
        }
        String raw = strerror();
        String name = family == Libc.AF_INET ? "IPv4" : "IPv6";
        return new Family(-1, Mode.NONE, "no ICMP socket for " + name + ": datagram " + dgram + " (is Vigil's group in "
                + sysctl + "?), raw " + raw + " (not root?)");
    }

    Mode mode(InetAddress address) {
        return family(address).mode;
    }

    /** Why {@code address}'s family cannot be pinged, or null when it can. */
    String unavailable(InetAddress address) {
        return family(address).error;
    }

    private Family family(InetAddress address) {
        return address instanceof Inet6Address ? v6 : v4;
    }

    /**
     * Sends one echo request; the future completes on the matching reply, exceptionally when the
     * send fails. Cancel it to give up (the entry is dropped; a later reply is ignored).
     */
    CompletableFuture<Void> ping(InetAddress to) {
        CompletableFuture<Void> reply = new CompletableFuture<>();
        Family f = family(to);
        if (closed || f.mode == Mode.NONE) {
            reply.completeExceptionally(new IOException(closed ? "PING_CHECK is stopping" : f.error));
            return reply;
        }
        long nonce = ThreadLocalRandom.current().nextLong();
        int seq;
        Pending p = new Pending(to, nonce, reply);
        // 65,536 echoes in flight would be needed to find no free sequence number
        do {
            seq = sequence.getAndIncrement() & 0xffff;
        } while (pending.putIfAbsent(seq, p) != null);
        int key = seq;
        reply.whenComplete((v, e) -> pending.remove(key, p));
        boolean v6 = to instanceof Inet6Address;
        byte[] echo = echo(v6 ? ECHO_REQUEST_V6 : ECHO_REQUEST_V4, f.mode == Mode.RAW ? rawId : 0, seq, nonce,
                !v6 && f.mode == Mode.RAW);
        byte[] addr = v6 ? sockaddrIn6((Inet6Address) to) : sockaddrIn((Inet4Address) to);
        long sent = Libc.sendto(f.fd, echo, echo.length, Libc.MSG_DONTWAIT, addr);
        if (sent < 0) {
            reply.completeExceptionally(Libc.failure("sendto " + to.getHostAddress()));
        }
        return reply;
    }

    /** Echoes waiting for a reply; for tests and status. */
    int inFlight() {
        return pending.size();
    }

    /**
     * An echo request. The checksum is ours only on a raw IPv4 socket: a datagram socket's kernel
     * computes it (and sets the identifier), and ICMPv6's is always the kernel's (it covers the
     * IPv6 pseudo-header).
     */
    static byte[] echo(int type, int id, int seq, long nonce, boolean checksum) {
        byte[] b = new byte[ECHO_LENGTH];
        b[0] = (byte) type;
        b[4] = (byte) (id >>> 8);
        b[5] = (byte) id;
        b[6] = (byte) (seq >>> 8);
        b[7] = (byte) seq;
        for (int i = 0; i < 8; i++) {
            b[8 + i] = (byte) (nonce >>> (56 - 8 * i));
        }
        System.arraycopy(MARK, 0, b, 16, MARK.length);
        if (checksum) {
            int sum = checksum(b, 0, b.length);
            b[2] = (byte) (sum >>> 8);
            b[3] = (byte) sum;
        }
        return b;
    }

    /** The Internet checksum (RFC 1071). */
    static int checksum(byte[] b, int off, int len) {
        long sum = 0;
        for (int i = 0; i + 1 < len; i += 2) {
            sum += ((b[off + i] & 0xff) << 8) | (b[off + i + 1] & 0xff);
        }
        if ((len & 1) != 0) {
            sum += (b[off + len - 1] & 0xff) << 8;
        }
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return (int) (~sum & 0xffff);
    }

    static byte[] sockaddrIn(Inet4Address a) {
        byte[] s = new byte[16];
        s[0] = (byte) Libc.AF_INET; // host order (little-endian on x86_64 and aarch64)
        System.arraycopy(a.getAddress(), 0, s, 4, 4);
        return s;
    }

    static byte[] sockaddrIn6(Inet6Address a) {
        byte[] s = new byte[28];
        s[0] = (byte) Libc.AF_INET6;
        System.arraycopy(a.getAddress(), 0, s, 8, 16);
        int scope = a.getScopeId();
        s[24] = (byte) scope;
        s[25] = (byte) (scope >>> 8);
        s[26] = (byte) (scope >>> 16);
        s[27] = (byte) (scope >>> 24);
        return s;
    }

    private void receive() {
        ByteBuffer buf = Libc.allocate(BUFFER);
        ByteBuffer from = Libc.allocate(28);
        ByteBuffer fromLen = Libc.allocate(4);
        byte[] data = new byte[BUFFER];
        int n = 0;
        Family[] polled = new Family[2];
        int[] descriptors = new int[3];
        for (Family f : new Family[] { v4, v6 }) {
            if (f.mode != Mode.NONE) {
                descriptors[n] = f.fd;
                polled[n++] = f;
            }
        }
        descriptors[n] = wake;
        PollSet polls = new PollSet(java.util.Arrays.copyOf(descriptors, n + 1));
        while (!closed) {
            int rc = polls.poll(-1);
            if (rc < 0) {
                if (Libc.errno() != Libc.EINTR) {
                    LOG.warn("PING_CHECK poll: {}", strerror());
                }
                continue;
            }
            for (int i = 0; i < n && !closed; i++) {
                if (polls.returned(i) != 0) {
                    drain(polled[i], buf, from, fromLen, data);
                }
            }
        }
    }

    /** Reads every datagram waiting on the socket. */
    private void drain(Family f, ByteBuffer buf, ByteBuffer from, ByteBuffer fromLen, byte[] data) {
        while (true) {
            fromLen.putInt(0, 28);
            long len = Libc.recvfrom(f.fd, buf, BUFFER, Libc.MSG_DONTWAIT, from, fromLen);
            if (len < 0) {
                int errno = Libc.errno();
                if (errno != Libc.EAGAIN && errno != Libc.EINTR) {
                    LOG.debug("PING_CHECK recvfrom: {}", Libc.strerror(errno));
                }
                return;
            }
            buf.get(0, data, 0, (int) len);
            InetAddress source;
            try {
                source = f == v6 ? InetAddress.getByAddress(bytes(from, 8, 16)) : InetAddress.getByAddress(bytes(from, 4, 4));
            } catch (java.net.UnknownHostException e) {
                continue;
            }
            matched(f, data, (int) len, source);
        }
    }

    private static byte[] bytes(ByteBuffer p, int off, int len) {
        byte[] b = new byte[len];
        p.get(off, b, 0, len);
        return b;
    }

    /** Completes the echo this datagram answers, if it answers one of ours. */
    private void matched(Family f, byte[] d, int len, InetAddress source) {
        int off = 0;
        if (f == v4 && f.mode == Mode.RAW) {
            // a raw IPv4 socket delivers the IP header too
            if (len < 20) {
                return;
            }
            off = (d[0] & 0x0f) * 4;
        }
        if (len - off < ECHO_LENGTH) {
            return;
        }
        int type = d[off] & 0xff;
        if (type != (f == v6 ? ECHO_REPLY_V6 : ECHO_REPLY_V4)) {
            return;
        }
        if (f.mode == Mode.RAW && (((d[off + 4] & 0xff) << 8) | (d[off + 5] & 0xff)) != rawId) {
            return;
        }
        if (!Arrays.equals(d, off + 16, off + 24, MARK, 0, MARK.length)) {
            return;
        }
        int seq = ((d[off + 6] & 0xff) << 8) | (d[off + 7] & 0xff);
        long nonce = 0;
        for (int i = 0; i < 8; i++) {
            nonce = (nonce << 8) | (d[off + 8 + i] & 0xff);
        }
        Pending p = pending.get(seq);
        if (p != null && p.nonce == nonce && sameAddress(p.to, source)) {
            p.reply.complete(null);
        }
    }

    private static boolean sameAddress(InetAddress expected, InetAddress source) {
        return Arrays.equals(expected.getAddress(), source.getAddress());
    }

    /** errno of the call just made on this thread, with its text. */
    private static String strerror() {
        int errno = Libc.errno();
        return Libc.strerror(errno) + " (errno " + errno + ")";
    }

    @Override
    public void close() {
        closed = true;
        Libc.wake(wake);
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Pending p : pending.values()) {
            p.reply.completeExceptionally(new IOException("PING_CHECK stopped"));
        }
        closeFds();
        Libc.close(wake);
    }

    private void closeFds() {
        for (Family f : new Family[] { v4, v6 }) {
            if (f != null && f.fd >= 0) {
                Libc.close(f.fd);
            }
        }
    }
}
