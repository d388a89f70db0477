package org.vigil.core.internal;

import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vigil.api.vrrp.TransitionEvent;
import org.vigil.api.vrrp.TransitionListener;

/**
 * Delivers transitions to the whiteboard on one notification thread with a bounded queue, so a
 * slow listener (a mail server, a script) never delays the election loop; when the queue is full
 * the event is dropped and counted rather than blocking the loop.
 */
final class Notifier {
    private static final Logger LOG = LoggerFactory.getLogger(Notifier.class);
    static final int QUEUE_CAPACITY = 1024;

    private final List<TransitionListener> listeners = new CopyOnWriteArrayList<>();
    private final List<org.vigil.api.vrrp.PriorityListener> priorityListeners = new CopyOnWriteArrayList<>();
    private final AtomicLong dropped = new AtomicLong();
    private final ThreadPoolExecutor executor;

    Notifier() {
        executor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(QUEUE_CAPACITY),
                r -> {
                    Thread t = new Thread(r, "vigil-notify");
                    t.setDaemon(true);
                    return t;
                }, (r, e) -> {
                    if (dropped.incrementAndGet() % 100 == 1) {
                        LOG.warn("Transition notification queue full, {} events dropped so far", dropped.get());
                    }
                });
    }

    void add(TransitionListener listener) {
        listeners.add(listener);
    }

    void remove(TransitionListener listener) {
        listeners.remove(listener);
    }

    void add(org.vigil.api.vrrp.PriorityListener listener) {
        priorityListeners.add(listener);
    }

    void remove(org.vigil.api.vrrp.PriorityListener listener) {
        priorityListeners.remove(listener);
    }

    /** On the same thread as transitions, so a listener sees both in the order they happened. */
    void publish(org.vigil.api.vrrp.PriorityEvent event) {
        if (priorityListeners.isEmpty()) {
            return;
        }
        executor.execute(() -> {
            for (org.vigil.api.vrrp.PriorityListener l : priorityListeners) {
                try {
                    l.priorityEvent(event);
                } catch (RuntimeException e) {
                    LOG.warn("Priority listener {} failed on {}", l, event, e);
                }
            }
        });
    }

    void publish(TransitionEvent event) {
        executor.execute(() -> {
            for (TransitionListener l : listeners) {
                try {
                    l.transition(event);
                } catch (RuntimeException e) {
                    LOG.warn("Transition listener {} failed on {}", l, event, e);
                }
            }
        });
    }

    long dropped() {
        return dropped.get();
    }

    /** Delivers what is queued, for at most {@code timeoutMillis}, then stops. */
    void close(long timeoutMillis) {
        executor.shutdown();
        try {
            executor.awaitTermination(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        executor.shutdownNow();
    }
}
