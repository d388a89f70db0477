package org.vigil.checker.internal;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vigil.api.check.CheckEvent;
import org.vigil.api.check.CheckListener;

/**
 * Delivers pool events to the {@link CheckListener} whiteboard on a notification thread of its
 * own, so a slow listener delays other listeners' events, never a check. The queue is bounded:
 * beyond it events are dropped and counted.
 */
final class Notifier {
    static final int QUEUE = 65_536;
    private static final Logger LOG = LoggerFactory.getLogger(Notifier.class);

    private final List<CheckListener> listeners = new CopyOnWriteArrayList<>();
    private final AtomicLong dropped = new AtomicLong();
    private final ThreadPoolExecutor thread;

    Notifier() {
        thread = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(QUEUE), r -> {
            Thread t = new Thread(r, "vigil-check-notify");
            t.setDaemon(true);
            return t;
        }, (r, executor) -> {
            long n = dropped.incrementAndGet();
            if (n == 1 || n % 1000 == 0) {
                LOG.warn("Check listeners are too slow: {} pool events dropped", n);
            }
        });
    }

    void add(CheckListener listener) {
        listeners.add(listener);
    }

    void remove(CheckListener listener) {
        listeners.remove(listener);
    }

    void publish(CheckEvent event) {
        if (listeners.isEmpty() || thread.isShutdown()) {
            return;
        }
        thread.execute(() -> {
            for (CheckListener l : listeners) {
                try {
                    l.changed(event);
                } catch (RuntimeException e) {
                    LOG.warn("Check listener {} failed on {}", l.getClass().getName(), event.line(), e);
                }
            }
        });
    }

    void shutdown() {
        thread.shutdown();
        try {
            thread.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        thread.shutdownNow();
    }
}
