package org.vigil.api.driver;

import org.osgi.annotation.versioning.ConsumerType;

/** Hears link state changes, on a driver thread. Must not block. */
@ConsumerType
@FunctionalInterface
public interface LinkListener {
    void linkChanged(String interfaceName, boolean up);
}
