package org.vigil.api.check;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Whiteboard: notifiers register this service to hear pool changes. Called on a notification
 * thread, never on a checker thread; may block without delaying checks, but holds up later
 * events to itself.
 */
@ConsumerType
public interface CheckListener {
    void changed(CheckEvent event);
}
