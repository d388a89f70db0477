package org.vigil.api.vip;

import java.util.Collection;
import java.util.Set;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Adds and removes virtual addresses for instances. Called from the election thread, so an
 * implementation must return quickly (queue slow work). Implementations: rtnetlink on Linux, a
 * recorder on the simulated LAN.
 */
@ConsumerType
public interface VipManager {

    /** Service property naming the implementation ("netlink", "sim"). */
    String NAME_PROPERTY = "vigil.vip";

    /** Adds the addresses for the instance (taking over); already present ones are kept. */
    void acquire(String instance, Collection<VirtualAddress> addresses);

    /** Removes the addresses of the instance (giving up). Absent ones are ignored. */
    void release(String instance, Collection<VirtualAddress> addresses);

    /** The addresses this manager currently holds for the instance. */
    Set<VirtualAddress> held(String instance);
}
