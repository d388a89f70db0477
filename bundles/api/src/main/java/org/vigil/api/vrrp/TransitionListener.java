package org.vigil.api.vrrp;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Whiteboard: notifiers (mail, scripts, JMX) register this service to hear transitions. Called on
 * a notification thread, never on the election thread; an implementation may block without
 * delaying adverts, but holds up later notifications to itself.
 */
@ConsumerType
public interface TransitionListener {
    void transition(TransitionEvent event);
}
