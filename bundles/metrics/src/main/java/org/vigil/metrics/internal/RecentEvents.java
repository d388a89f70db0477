package org.vigil.metrics.internal;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

import org.osgi.service.component.annotations.Component;
import org.vigil.api.check.CheckEvent;
import org.vigil.api.check.CheckListener;
import org.vigil.api.vrrp.TransitionEvent;
import org.vigil.api.vrrp.TransitionListener;

/**
 * The last {@value #CAPACITY} transitions and pool changes, for the status page: a bounded ring,
 * so a flapping instance costs memory once. A component of its own, with no references, so the
 * core and the checker can bind it while they activate (the endpoint references the core).
 */
@Component(service = { RecentEvents.class, TransitionListener.class, CheckListener.class })
public final class RecentEvents implements TransitionListener, CheckListener {
    static final int CAPACITY = 50;

    /** One line of the page's "recent events": when, what kind, the text. */
    record Event(Instant time, String kind, String text) {
    }

    private final Deque<Event> ring = new ArrayDeque<>(CAPACITY);

    @Override
    public void transition(TransitionEvent e) {
        String who = e.kind() == TransitionEvent.Kind.GROUP ? "sync group " + e.name() : e.name();
        add(new Event(e.time(), e.kind() == TransitionEvent.Kind.GROUP ? "group" : "vrrp",
                who + ": " + e.from() + " -> " + e.to() + (e.stopping() ? " (stopping)" : "")));
    }

    @Override
    public void changed(CheckEvent e) {
        add(new Event(Instant.now(), "checker", e.line()));
    }

    private synchronized void add(Event e) {
        if (ring.size() == CAPACITY) {
            ring.removeFirst();
        }
        ring.addLast(e);
    }

    /** Newest first. */
    synchronized List<Event> newestFirst() {
        List<Event> out = new ArrayList<>(ring);
        java.util.Collections.reverse(out);
        return out;
    }
}
