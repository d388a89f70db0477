package org.vigil.jmx.internal;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import org.osgi.service.component.annotations.Component;
import org.vigil.api.check.CheckEvent;
import org.vigil.api.check.CheckListener;
import org.vigil.api.vrrp.TransitionEvent;
import org.vigil.api.vrrp.TransitionListener;

/**
 * The listeners the core and the checker call, apart from the MBeans: an MBean needs the core's
 * (or the checker's) service, and the core binds its listeners while it activates, so a listener
 * that is also the MBean would be a circular reference that SCR may refuse to bind. A relay needs
 * nothing; the MBeans attach to it. Events while no MBean is attached are not kept.
 */
final class Relays {
    private Relays() {
    }

    abstract static class Relay<E> {
        private final List<Consumer<E>> sinks = new CopyOnWriteArrayList<>();

        void attach(Consumer<E> s) {
            sinks.add(s);
        }

        void detach(Consumer<E> s) {
            sinks.remove(s);
        }

        final void relay(E event) {
            for (Consumer<E> s : sinks) {
                s.accept(event);
            }
        }
    }

    @Component(service = { TransitionListener.class, Transitions.class })
    public static final class Transitions extends Relay<TransitionEvent> implements TransitionListener {
        @Override
        public void transition(TransitionEvent event) {
            relay(event);
        }
    }

    @Component(service = { CheckListener.class, Checks.class })
    public static final class Checks extends Relay<CheckEvent> implements CheckListener {
        @Override
        public void changed(CheckEvent event) {
            relay(event);
        }
    }
}
