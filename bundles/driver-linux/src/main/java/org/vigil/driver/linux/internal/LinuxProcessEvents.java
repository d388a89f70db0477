package org.vigil.driver.linux.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jnr.ffi.Pointer;

import org.osgi.service.component.annotations.Component;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vigil.api.system.ProcessEvents;
import org.vigil.api.system.ProcessListener;

/**
 * {@link ProcessEvents} through the kernel's proc connector: a NETLINK_CONNECTOR socket bound to
 * the CN_IDX_PROC group and subscribed with PROC_CN_MCAST_LISTEN, read on its own thread
 * ("vigil-proc-events"), with the driver's one libc binding ({@link Native}).
 *
 * <p>The kernel's connector exists only in the initial network namespace: in another one (Vigil
 * started with {@code ip netns exec}, or for net_namespace) the subscription is refused. So the
 * reading thread then moves itself (setns, root only) into pid 1's network namespace, or into the
 * one Vigil was started from, and opens the socket there; it touches no other socket, so nothing
 * else is affected.
 */
@Component(service = ProcessEvents.class)
public final class LinuxProcessEvents implements ProcessEvents {

    private static final Logger LOG = LoggerFactory.getLogger(LinuxProcessEvents.class);
    private static final int SO_RCVBUFFORCE = 33;
    /** Room for a burst of process starts and exits (keepalived's process_monitor_rcv_bufs). */
    private static final int RECEIVE_BUFFER = 1 << 20;
    private static final Path INIT_NETNS = Path.of("/proc/1/ns/net");
    private static final int ECONNREFUSED = 111;

    @Override
    public AutoCloseable watch(ProcessListener listener) throws IOException {
        Watch w = new Watch(Native.get(), listener);
        Thread t = new Thread(w::run, "vigil-proc-events");
        t.setDaemon(true);
        w.thread = t;
        t.start();
        try {
            w.opened.get(5, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        } catch (TimeoutException e) {
            w.close();
            throw new IOException("the proc connector did not open in 5 s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            w.close();
            throw new IOException("interrupted while opening the proc connector");
        }
        return w;
    }

    private static final class Watch implements AutoCloseable {
        final Native nat;
        final LibC libc;
        final ProcessListener listener;
        final CompletableFuture<Void> opened = new CompletableFuture<>();
        volatile Thread thread;
        volatile boolean stopped;
        private int fd = -1;
        private int eventFd = -1;
        private final Object fdLock = new Object();

        Watch(Native nat, ProcessListener listener) {
            this.nat = nat;
            this.libc = nat.libc;
            this.listener = listener;
        }

        void run() {
            try {
                open();
                opened.complete(null);
            } catch (IOException | RuntimeException e) {
                closeFds();
                opened.completeExceptionally(e);
                return;
            }
            Pointer pollfds = nat.allocate(16);
            pollfds.putInt(0, fd);
            pollfds.putShort(4, Linux.POLLIN);
            pollfds.putInt(8, eventFd);
            pollfds.putShort(12, Linux.POLLIN);
            Pointer buffer = nat.allocate(Rtnetlink.BUFFER);
            byte[] bytes = new byte[Rtnetlink.BUFFER];
            try {
                while (!stopped) {
                    pollfds.putShort(6, (short) 0);
                    pollfds.putShort(14, (short) 0);
                    if (libc.poll(pollfds, 2, -1) < 0) {
                        if (nat.errno() == Linux.EINTR) {
                            continue;
                        }
                        throw nat.failure("poll proc connector");
                    }
                    if (pollfds.getShort(14) != 0) {
                        break;
                    }
                    while (!stopped) {
                        long n = libc.recv(fd, buffer, bytes.length, Linux.MSG_DONTWAIT);
                        if (n < 0) {
                            int errno = nat.errno();
                            if (errno == Linux.EAGAIN) {
                                break;
                            }
                            if (errno == Linux.ENOBUFS) {
                                LOG.warn("Process events were lost (receive queue full); rescanning /proc");
                                listener.lost();
                                continue;
                            }
                            if (errno == Linux.EINTR) {
                                continue;
                            }
                            throw nat.failure("recv proc connector");
                        }
                        buffer.get(0, bytes, 0, (int) n);
                        try {
                            ProcConnector.dispatch(ByteBuffer.wrap(bytes, 0, (int) n), listener);
                        } catch (RuntimeException e) {
                            LOG.error("Process event listener failed: {}", e.toString(), e);
                        }
                    }
                }
            } catch (IOException | RuntimeException e) {
                if (!stopped) {
                    LOG.error("Process event monitoring stopped: {}", e.toString());
                }
            } finally {
                closeFds();
            }
        }

        /**
         * Opens and subscribes the socket where the kernel answers: this thread's network
         * namespace first, then pid 1's, then the ones of this process's ancestors, farthest first
         * (the namespace Vigil was started from, when pid 1's cannot be read). A namespace without
         * the connector refuses the subscription (ECONNREFUSED).
         */
        private void open() throws IOException {
            IOException refused = null;
            for (Path ns : candidates()) {
                if (ns != null) {
                    int nsFd = libc.open(ns.toString(), Linux.O_RDONLY_CLOEXEC);
                    if (nsFd < 0) {
                        continue;
                    }
                    try {
                        if (libc.setns(nsFd, Linux.CLONE_NEWNET) < 0) {
                            refused = nat.failure("setns to " + ns);
                            continue;
                        }
                    } finally {
                        libc.close(nsFd);
                    }
                }
                try {
                    subscribe();
                    if (ns != null) {
                        LOG.info("Process events through the proc connector of the network namespace of {}", ns);
                    }
                    return;
                } catch (Native.NativeException e) {
                    closeFds();
                    if (e.errno != ECONNREFUSED) {
                        throw e;
                    }
                    refused = e;
                }
            }
            throw new IOException("the proc connector answers only in the initial network namespace, which this "
                    + "process cannot enter (" + (refused == null ? "no candidate" : refused.getMessage()) + ")");
        }

        /** null (where the thread is), pid 1's namespace, then the ancestors' from the farthest. */
        private static java.util.List<Path> candidates() {
            java.util.List<Path> out = new java.util.ArrayList<>();
            out.add(null);
            out.add(INIT_NETNS);
            java.util.List<Path> ancestors = new java.util.ArrayList<>();
            java.util.Optional<ProcessHandle> p = ProcessHandle.current().parent();
            while (p.isPresent() && ancestors.size() < 64) {
                ancestors.add(Path.of("/proc", Long.toString(p.get().pid()), "ns", "net"));
                p = p.get().parent();
            }
            java.util.Collections.reverse(ancestors);
            java.util.Set<Path> seen = new java.util.HashSet<>();
            for (Path a : ancestors) {
                try {
                    if (seen.add(Files.readSymbolicLink(a))) {
                        out.add(a);
                    }
                } catch (IOException | UnsupportedOperationException e) {
                    // not readable (another user's, or gone): not a candidate
                }
            }
            return out;
        }

        private void subscribe() throws IOException {
            fd = nat.check(libc.socket(Linux.AF_NETLINK, Linux.SOCK_RAW | Linux.SOCK_CLOEXEC, Linux.NETLINK_CONNECTOR),
                    "socket(AF_NETLINK, NETLINK_CONNECTOR)");
            eventFd = nat.check(libc.eventfd(0, Linux.EFD_CLOEXEC | Linux.EFD_NONBLOCK), "eventfd");
            if (libc.setsockopt(fd, Linux.SOL_SOCKET, SO_RCVBUFFORCE, intBytes(RECEIVE_BUFFER), 4) < 0) {
                libc.setsockopt(fd, Linux.SOL_SOCKET, Linux.SO_RCVBUF, intBytes(RECEIVE_BUFFER), 4);
            }
            Pointer nl = nat.allocate(Linux.SIZEOF_SOCKADDR_NL);
            nl.putShort(0, (short) Linux.AF_NETLINK);
            nl.putInt(8, ProcConnector.CN_IDX_PROC);
            nat.check(libc.bind(fd, nl, Linux.SIZEOF_SOCKADDR_NL), "bind proc connector (CN_IDX_PROC; needs CAP_NET_ADMIN)");
            send(ProcConnector.PROC_CN_MCAST_LISTEN, "PROC_CN_MCAST_LISTEN");
        }

        private void send(int operation, String what) throws IOException {
            byte[] message = ProcConnector.subscription(operation, 1, 0);
            Pointer p = nat.allocate(message.length);
            p.put(0, message, 0, message.length);
            if (libc.send(fd, p, message.length, 0) < 0) {
                throw nat.failure("send " + what);
            }
        }

        private static byte[] intBytes(int v) {
            return new byte[] {(byte) v, (byte) (v >>> 8), (byte) (v >>> 16), (byte) (v >>> 24)};
        }

        private void closeFds() {
            synchronized (fdLock) {
                if (fd >= 0) {
                    try {
                        send(ProcConnector.PROC_CN_MCAST_IGNORE, "PROC_CN_MCAST_IGNORE");
                    } catch (IOException ignored) {
                        // the kernel forgets the listener with the socket anyway on recent kernels
                    }
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
        public void close() {
            stopped = true;
            synchronized (fdLock) {
                if (eventFd >= 0) {
                    Pointer one = nat.allocate(8);
                    one.putLong(0, 1L);
                    libc.write(eventFd, one, 8);
                }
            }
            Thread t = thread;
            if (t != null && t != Thread.currentThread()) {
                try {
                    t.join(2000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }
}
