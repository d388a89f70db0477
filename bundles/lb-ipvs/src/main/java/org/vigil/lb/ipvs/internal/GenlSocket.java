package org.vigil.lb.ipvs.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

import jnr.ffi.LastError;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Runtime;

/**
 * A NETLINK_GENERIC socket for requests with acknowledgement, created in the calling thread's
 * network namespace. Messages go out in chunks of {@value #CHUNK} per datagram (the kernel
 * handles every message of a datagram in order and acknowledges each), so that the
 * acknowledgements of a large batch never overflow the receive buffer. NETLINK_CAP_ACK keeps an
 * error's acknowledgement to the header only. Not thread-safe: the driver serialises its calls.
 */
final class GenlSocket implements Transport {
    private static final int AF_NETLINK = 16;
    private static final int SOCK_RAW = 3;
    private static final int SOCK_CLOEXEC = 0x80000;
    private static final int NETLINK_GENERIC = 16;
    private static final int SOL_SOCKET = 1;
    private static final int SO_RCVTIMEO = 20;
    private static final int SOL_NETLINK = 270;
    private static final int NETLINK_CAP_ACK = 10;
    private static final int EAGAIN = 11;
    static final int ENOENT = 2;
    private static final int CHUNK = 64;
    private static final long RECEIVE_TIMEOUT_SECONDS = 2;

    private static volatile LibC libc;

    private final LibC c;
    private final Runtime runtime;
    private final byte[] buffer = new byte[64 * 1024];
    private int fd;
    private int sequence = (int) (System.nanoTime() & 0x3fffffff);

    GenlSocket() throws IOException {
        c = load();
        runtime = Runtime.getRuntime(c);
        fd = c.socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
        if (fd < 0) {
            throw failure("socket(AF_NETLINK, NETLINK_GENERIC)");
        }
        try {
            // sockaddr_nl {family, pad, pid 0 = let the kernel choose, groups 0}
            byte[] nl = ByteBuffer.allocate(12).order(ByteOrder.nativeOrder()).putShort((short) AF_NETLINK).array();
            if (c.bind(fd, nl, nl.length) < 0) {
                throw failure("bind netlink");
            }
            byte[] timeout = ByteBuffer.allocate(16).order(ByteOrder.nativeOrder())
                    .putLong(RECEIVE_TIMEOUT_SECONDS).putLong(0).array();
            if (c.setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, timeout, timeout.length) < 0) {
                throw failure("SO_RCVTIMEO on netlink");
            }
            byte[] one = ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(1).array();
            c.setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, one, one.length); // best effort: older kernels echo the request
        } catch (IOException e) {
            close();
            throw e;
        }
    }

    private static LibC load() {
        LibC l = libc;
        if (l == null) {
            synchronized (GenlSocket.class) {
                l = libc;
                if (l == null) {
                    l = LibraryLoader.create(LibC.class).load("c");
                    libc = l;
                }
            }
        }
        return l;
    }

    @Override
    public int nextSequence() {
        return ++sequence;
    }

    /**
     * The id of the generic netlink family {@code name}, or empty when the kernel has no such
     * family (-ENOENT: for "IPVS", a kernel without IPVS, or with the module not loaded).
     *
     * @throws IOException for any other answer
     */
    OptionalInt family(String name) throws IOException {
        int seq = nextSequence();
        send(Genl.getFamily(name, seq));
        OptionalInt id = OptionalInt.empty();
        while (true) {
            int n = receive();
            ByteBuffer b = ByteBuffer.wrap(buffer, 0, n).order(ByteOrder.nativeOrder());
            for (int at = 0; at + Genl.NLMSGHDR <= n;) {
                Genl.Header h = Genl.header(b, at);
                if (h.length() < Genl.NLMSGHDR) {
                    break;
                }
                if (h.sequence() == seq) {
                    if (h.type() == Genl.NLMSG_ERROR) {
                        int error = Genl.error(b, at);
                        if (error == 0) {
                            return id;
                        }
                        if (error == -ENOENT) {
                            return OptionalInt.empty();
                        }
                        throw new IOException("CTRL_CMD_GETFAMILY " + name + ": " + strerror(-error) + " (errno "
                                + -error + ")");
                    }
                    if (h.type() == Genl.GENL_ID_CTRL) {
                        id = Genl.familyId(b, at);
                    }
                }
                at += Genl.align(h.length());
            }
        }
    }

    @Override
    public int[] exchange(List<byte[]> messages, int[] sequences) throws IOException {
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
                int n = receive();
                ByteBuffer b = ByteBuffer.wrap(buffer, 0, n).order(ByteOrder.nativeOrder());
                for (int at = 0; at + Genl.NLMSGHDR <= n;) {
                    Genl.Header h = Genl.header(b, at);
                    if (h.length() < Genl.NLMSGHDR) {
                        break;
                    }
                    if (h.type() == Genl.NLMSG_ERROR) {
                        Integer i = waiting.remove(h.sequence());
                        if (i != null) {
                            results[i] = Genl.error(b, at);
                        }
                    }
                    at += Genl.align(h.length());
                }
            }
        }
        return results;
    }

    private void send(byte[] datagram) throws IOException {
        if (fd < 0) {
            throw new IOException("netlink socket is closed");
        }
        if (c.send(fd, datagram, datagram.length, 0) < 0) {
            throw failure("netlink send");
        }
    }

    private int receive() throws IOException {
        long n = c.recv(fd, buffer, buffer.length, 0);
        if (n < 0) {
            int errno = LastError.getLastError(runtime);
            throw errno == EAGAIN ? new IOException("no netlink answer in " + RECEIVE_TIMEOUT_SECONDS + " s")
                    : failure("netlink recv");
        }
        return (int) n;
    }

    @Override
    public String strerror(int errno) {
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
