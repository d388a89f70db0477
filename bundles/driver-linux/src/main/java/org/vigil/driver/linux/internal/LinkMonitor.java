package org.vigil.driver.linux.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vigil.api.driver.LinkInfo;
import org.vigil.api.driver.LinkListener;
import org.vigil.libc.Libc;
import org.vigil.libc.LibcException;
import org.vigil.libc.PollSet;

/**
 * Watches rtnetlink link and address events on its own thread and tells listeners when a link
 * goes up or down (IFF_UP and IFF_RUNNING, as keepalived judges it). Events go to one socket
 * and the resynchronising dumps to another, so dump answers and events never interleave.
 *
 * <p>It also keeps what the driver answers for {@link LinuxDriver#link}: each interface's
 * {@link LinkInfo} (state, MAC, primary IPv4, IPv6 link-local), updated from the same events, so
 * that the election thread reads a map instead of dumping links and addresses through netlink.
 */
final class LinkMonitor {

    private static final Logger LOG = LoggerFactory.getLogger(LinkMonitor.class);
    private static final int GROUPS = Linux.RTMGRP_LINK | Linux.RTMGRP_IPV4_IFADDR | Linux.RTMGRP_IPV6_IFADDR;
    private static final long JOIN_MILLIS = 2000;

    private final List<LinkListener> listeners = new CopyOnWriteArrayList<>();
    /** ifindex to the last state seen; the monitor thread's after construction. */
    private final Map<Integer, Rtnetlink.Link> links = new HashMap<>();
    /** By interface name; written by the monitor thread, read by anyone. */
    private final Map<String, LinkInfo> infos = new ConcurrentHashMap<>();
    private final Rtnetlink events;
    private final Rtnetlink queries;
    private final int eventFd;
    private final Thread thread;
    private volatile boolean stopped;

    /** Opens both sockets on the caller's thread (its network namespace) and starts watching. */
    LinkMonitor() throws IOException {
        events = Rtnetlink.open(GROUPS);
        Rtnetlink q = null;
        int efd = -1;
        try {
            q = Rtnetlink.open(0);
            efd = Libc.check(Libc.eventfd(0, Libc.EFD_CLOEXEC | Libc.EFD_NONBLOCK), "eventfd");
            // Subscribed before the dump: a change between the two is seen at least once
            for (Rtnetlink.Link l : q.dumpLinks()) {
                links.put(l.index(), l);
            }
            refreshInfos(q);
        } catch (IOException | RuntimeException e) {
            events.close();
            if (q != null) {
                q.close();
            }
            if (efd >= 0) {
                Libc.close(efd);
            }
            throw e;
        }
        queries = q;
        eventFd = efd;
        thread = new Thread(this::run, "vigil-linux-netlink");
        thread.setDaemon(true);
        thread.start();
    }

    void add(LinkListener listener) {
        listeners.add(listener);
    }

    void remove(LinkListener listener) {
        listeners.remove(listener);
    }

    boolean hasListeners() {
        return !listeners.isEmpty();
    }

    private void run() {
        PollSet polls = new PollSet(events.fd(), eventFd);
        try {
            while (!stopped) {
                if (polls.poll(-1) < 0) {
                    if (Libc.errno() == Libc.EINTR) {
                        continue;
                    }
                    throw Libc.failure("poll netlink");
                }
                if (polls.returned(1) != 0) {
                    break;
                }
                if (polls.returned(0) != 0) {
                    drain();
                }
            }
        } catch (IOException | RuntimeException e) {
            if (!stopped) {
                LOG.error("Netlink link monitoring stopped: {}", e.toString());
            }
        } finally {
            events.close();
            queries.close();
            Libc.close(eventFd);
        }
    }

    private void drain() throws IOException {
        while (!stopped) {
            ByteBuffer datagram;
            try {
                datagram = events.receiveNow();
            } catch (LibcException e) {
                if (e.errno() != Libc.ENOBUFS) {
                    throw e;
                }
                // The kernel dropped events for us: what changed meanwhile is only in a fresh dump
                LOG.warn("Netlink event queue overflowed; rereading link states");
                resync();
                continue;
            }
            if (datagram == null) {
                return;
            }
            boolean changed = false;
            for (Rtnetlink.Message m : Rtnetlink.parse(datagram)) {
                if (m.link() != null) {
                    changed = true;
                    apply(m.link(), m.type() == Linux.RTM_DELLINK);
                } else if (m.address() != null) {
                    changed = true;
                    if (LOG.isDebugEnabled()) {
                        LOG.debug("Netlink reports address {} {} on ifindex {}", m.address().address().getHostAddress(),
                                m.type() == Linux.RTM_NEWADDR ? "added" : "removed", m.address().index());
                    }
                }
            }
            if (changed) {
                // one address dump per batch of events, on this thread, not the caller's
                refreshInfos(queries);
            }
        }
    }

    /** The cached view of one interface, or null when the monitor has not seen it. */
    LinkInfo info(String name) {
        return infos.get(name);
    }

    /** Rebuilds the cache from the links known and a fresh address dump. */
    private void refreshInfos(Rtnetlink nl) throws IOException {
        Map<Integer, InetAddress> ipv4 = new HashMap<>();
        Map<Integer, InetAddress> linkLocal = new HashMap<>();
        for (Rtnetlink.Address a : nl.dumpAddresses()) {
            // The kernel lists the primary address first; secondaries carry IFA_F_SECONDARY
            if (a.family() == Libc.AF_INET && !a.secondary()) {
                ipv4.putIfAbsent(a.index(), a.address());
            } else if (a.family() == Libc.AF_INET6 && a.scope() == Linux.RT_SCOPE_LINK) {
                linkLocal.putIfAbsent(a.index(), a.address());
            }
        }
        Map<String, LinkInfo> next = new HashMap<>();
        for (Rtnetlink.Link l : links.values()) {
            if (l.name() != null) {
                next.put(l.name(), LinuxDriver.info(l, ipv4.get(l.index()), linkLocal.get(l.index())));
            }
        }
        infos.keySet().retainAll(next.keySet());
        infos.putAll(next);
    }

    private void resync() throws IOException {
        Map<Integer, Rtnetlink.Link> before = new HashMap<>(links);
        for (Rtnetlink.Link l : queries.dumpLinks()) {
            before.remove(l.index());
            apply(l, false);
        }
        for (Rtnetlink.Link gone : before.values()) {
            apply(gone, true);
        }
        refreshInfos(queries);
    }

    private void apply(Rtnetlink.Link link, boolean deleted) {
        Rtnetlink.Link previous = deleted ? links.remove(link.index()) : links.put(link.index(), link);
        String name = link.name() != null ? link.name() : previous != null ? previous.name() : null;
        if (name == null) {
            return;
        }
        // the cache first, so a listener that asks for the link sees the new state
        if (previous != null && previous.name() != null && !previous.name().equals(name)) {
            infos.remove(previous.name());
        }
        if (deleted) {
            infos.remove(name);
        } else {
            LinkInfo known = infos.get(name);
            infos.put(name, LinuxDriver.info(link, known == null ? null : known.primaryIpv4(),
                    known == null ? null : known.linkLocalIpv6()));
        }
        boolean wasUp = previous != null && previous.up();
        boolean isUp = !deleted && link.up();
        if (previous != null && previous.name() != null && !previous.name().equals(name) && wasUp) {
            // A rename: the old name is gone
            fire(previous.name(), false);
            wasUp = false;
        }
        if (wasUp != isUp) {
            fire(name, isUp);
        }
    }

    private void fire(String name, boolean up) {
        LOG.info("Netlink reports {} {}", name, up ? "up" : "down");
        for (LinkListener l : listeners) {
            try {
                l.linkChanged(name, up);
            } catch (RuntimeException e) {
                LOG.warn("link listener failed on {} {}", name, up ? "up" : "down", e);
            }
        }
    }

    /** Stops the thread promptly and releases the sockets. */
    void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        Libc.wake(eventFd);
        if (thread != Thread.currentThread()) {
            try {
                thread.join(JOIN_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
