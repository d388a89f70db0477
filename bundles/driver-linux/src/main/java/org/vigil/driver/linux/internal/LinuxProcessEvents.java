package org.vigil.driver.linux.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.osgi.service.component.annotations.Component;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vigil.api.system.ProcessEvents;
import org.vigil.api.system.ProcessListener;
import org.vigil.libc.Libc;
import org.vigil.libc.LibcException;
import org.vigil.libc.PollSet;
import org.vigil.netlink.NetlinkSocket;

/**
 * {@link ProcessEvents} through the kernel's proc connector: a NETLINK_CONNECTOR socket bound to
 * the CN_IDX_PROC group and subscribed with PROC_CN_MCAST_LISTEN, read on its own thread
 * ("vigil-proc-events"), on the native bundle's {@link NetlinkSocket}.
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
    /** Room for a burst of process starts and exits (keepalived's process_monitor_rcv_bufs). */
    private static final int RECEIVE_BUFFER = 1 << 20;
    private static final Path INIT_NETNS = Path.of("/proc/1/ns/net");

    @Override
    public AutoCloseable watch(ProcessListener listener) throws IOException {
        Watch w = new Watch(listener);
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
        final ProcessListener listener;
        final CompletableFuture<Void> opened = new CompletableFuture<>();
        volatile Thread thread;
        volatile boolean stopped;
        private NetlinkSocket socket;
        private int eventFd = -1;
        private final Object fdLock = new Object();

        Watch(ProcessListener listener) {
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
            PollSet polls = new PollSet(socket.fd(), eventFd);
            try {
                while (!stopped) {
                    if (polls.poll(-1) < 0) {
                        if (Libc.errno() == Libc.EINTR) {
                            continue;
                        }
                        throw Libc.failure("poll proc connector");
                    }
                    if (polls.returned(1) != 0) {
                        break;
                    }
                    while (!stopped) {
                        ByteBuffer datagram;
                        try {
                            datagram = socket.receiveNow();
                        } catch (LibcException e) {
                            if (e.errno() != Libc.ENOBUFS) {
                                throw e;
                            }
                            LOG.warn("Process events were lost (receive queue full); rescanning /proc");
                            listener.lost();
                            continue;
                        }
                        if (datagram == null) {
                            break;
                        }
                        try {
                            ProcConnector.dispatch(datagram, listener);
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
                    int nsFd = Libc.open(ns.toString(), Libc.O_RDONLY | Libc.O_CLOEXEC);
                    if (nsFd < 0) {
                        continue;
                    }
                    try {
                        if (Libc.setns(nsFd, Libc.CLONE_NEWNET) < 0) {
                            refused = Libc.failure("setns to " + ns);
                            continue;
                        }
                    } finally {
                        Libc.close(nsFd);
                    }
                }
                try {
                    subscribe();
                    if (ns != null) {
                        LOG.info("Process events through the proc connector of the network namespace of {}", ns);
                    }
                    return;
                } catch (LibcException e) {
                    closeFds();
                    if (e.errno() != Libc.ECONNREFUSED) {
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
            // bound to CN_IDX_PROC, which needs CAP_NET_ADMIN
            socket = NetlinkSocket.open(NetlinkSocket.NETLINK_CONNECTOR, ProcConnector.CN_IDX_PROC);
            eventFd = Libc.check(Libc.eventfd(0, Libc.EFD_CLOEXEC | Libc.EFD_NONBLOCK), "eventfd");
            socket.receiveBuffer(RECEIVE_BUFFER);
            send(ProcConnector.PROC_CN_MCAST_LISTEN);
        }

        private void send(int operation) throws IOException {
            socket.send(ProcConnector.subscription(operation, 1, 0));
        }

        private void closeFds() {
            synchronized (fdLock) {
                if (socket != null) {
                    try {
                        send(ProcConnector.PROC_CN_MCAST_IGNORE);
                    } catch (IOException ignored) {
                        // the kernel forgets the listener with the socket anyway on recent kernels
                    }
                    socket.close();
                    socket = null;
                }
                if (eventFd >= 0) {
                    Libc.close(eventFd);
                    eventFd = -1;
                }
            }
        }

        @Override
        public void close() {
            stopped = true;
            synchronized (fdLock) {
                if (eventFd >= 0) {
                    Libc.wake(eventFd);
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
