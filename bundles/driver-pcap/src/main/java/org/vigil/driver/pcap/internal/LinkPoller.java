package org.vigil.driver.pcap.internal;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vigil.api.driver.LinkListener;

/**
 * Link state for a driver that has no rtnetlink events: one thread reads every interface's
 * flags (IFF_UP and IFF_RUNNING) every 200 ms and reports the changes. The thread is started by
 * the first watcher and inherits its network namespace.
 */
final class LinkPoller {

    private static final Logger LOG = LoggerFactory.getLogger(LinkPoller.class);
    static final long PERIOD_MILLIS = 200;
    private static final long JOIN_MILLIS = 2000;

    private final CopyOnWriteArrayList<LinkListener> listeners = new CopyOnWriteArrayList<>();
    private final Object lock = new Object();
    private final Thread thread;
    /** Poller thread only, after the constructor. */
    private final Map<String, Boolean> states = new HashMap<>();
    private boolean stopped;
    private boolean failing;

    /** Reads the current states on the caller's thread, so a change right after this is seen. */
    LinkPoller() throws IOException {
        Interfaces.read().forEach((name, iface) -> states.put(name, iface.up()));
        thread = new Thread(this::run, "vigil-pcap-links");
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
        while (true) {
            synchronized (lock) {
                long deadline = System.nanoTime() + PERIOD_MILLIS * 1_000_000L;
                long left;
                while (!stopped && (left = deadline - System.nanoTime()) > 0) {
                    try {
                        lock.wait(Math.max(1, left / 1_000_000L));
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                if (stopped) {
                    return;
                }
            }
            poll();
        }
    }

    private void poll() {
        Map<String, Interfaces.Iface> now;
        try {
            now = Interfaces.read();
            failing = false;
        } catch (IOException | RuntimeException e) {
            if (!failing) {
                LOG.warn("reading link states failed: {}", e.toString());
                failing = true;
            }
            return;
        }
        for (Interfaces.Iface iface : now.values()) {
            Boolean before = states.put(iface.name(), iface.up());
            if (before != null && before != iface.up()) {
                report(iface.name(), iface.up());
            }
        }
        // A vanished interface is down for whoever uses it
        for (var it = states.entrySet().iterator(); it.hasNext();) {
            var e = it.next();
            if (!now.containsKey(e.getKey())) {
                it.remove();
                if (e.getValue()) {
                    report(e.getKey(), false);
                }
            }
        }
    }

    private void report(String name, boolean up) {
        LOG.info("Link {} {} (pcap driver)", name, up ? "up" : "down");
        for (LinkListener l : listeners) {
            try {
                l.linkChanged(name, up);
            } catch (RuntimeException e) {
                LOG.warn("link listener failed on {}", name, e);
            }
        }
    }

    void stop() {
        synchronized (lock) {
            stopped = true;
            lock.notifyAll();
        }
        if (Thread.currentThread() != thread) {
            try {
                thread.join(JOIN_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
