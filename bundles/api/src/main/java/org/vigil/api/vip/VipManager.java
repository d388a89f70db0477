package org.vigil.api.vip;

import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Adds and removes the virtual addresses and routes of instances, and announces the addresses
 * (gratuitous ARP, unsolicited neighbour advertisement). Called from the election thread, so an
 * implementation must return at once and do slow work (netlink, frames, delays) elsewhere, in
 * call order per instance. Implementations: rtnetlink on Linux ({@code vigil.vip=netlink}), a
 * recorder on the simulated LAN ({@code vigil.vip=sim}).
 */
@ConsumerType
public interface VipManager {

    /** Service property naming the implementation ("netlink", "sim"). */
    String NAME_PROPERTY = "vigil.vip";

    /**
     * Takes over for the instance: adds the addresses (present ones are kept), then the routes,
     * then announces the addresses on their devices as {@code policy} says. A later acquire or
     * release of the instance replaces the running announcement schedule.
     */
    void acquire(String instance, Collection<VirtualAddress> addresses, Collection<VirtualRoute> routes,
            AnnouncePolicy policy);

    /**
     * Gives up for the instance: stops its announcements, removes the routes, then the addresses.
     * Addresses are removed from the system even when this manager did not add them (a
     * predecessor that crashed may have left them); absent ones are ignored.
     */
    void release(String instance, Collection<VirtualAddress> addresses, Collection<VirtualRoute> routes);

    /**
     * Announces the addresses held for the instance again, as {@code policy} says, without
     * touching them: keepalived's garp_lower_prio_delay/repeat, when a master hears a lower
     * priority. Does nothing when nothing is held.
     */
    void announce(String instance, AnnouncePolicy policy);

    /** The addresses this manager currently holds for the instance. */
    Set<VirtualAddress> held(String instance);

    /**
     * {@link #acquire(String, Collection, Collection, AnnouncePolicy)} with the instance's
     * virtual_rules, added after the routes (keepalived: "setting Virtual Routes", then "setting
     * Virtual Rules"). A manager that cannot add rules ignores them.
     */
    default void acquire(String instance, Collection<VirtualAddress> addresses, Collection<VirtualRoute> routes,
            Collection<VirtualRule> rules, AnnouncePolicy policy) {
        acquire(instance, addresses, routes, policy);
    }

    /** {@link #release(String, Collection, Collection)} that removes the rules first, then the routes and addresses. */
    default void release(String instance, Collection<VirtualAddress> addresses, Collection<VirtualRoute> routes,
            Collection<VirtualRule> rules) {
        release(instance, addresses, routes);
    }

    /**
     * Creates the instance's virtual interface (use_vmac, use_ipvlan) on its parent and brings it
     * up, or takes over one of the same kind on the same parent that a crashed predecessor left.
     * Completes when the interface is up, exceptionally when it cannot be made. May be called off
     * the election thread only (callers wait for it).
     */
    default CompletionStage<Void> createInterface(String instance, VirtualInterface vi) {
        return CompletableFuture.failedFuture(
                new UnsupportedOperationException("this VIP manager cannot create " + vi.kind().linkKind() + " interfaces"));
    }

    /**
     * Removes the instance's virtual interface, after any release queued before; returns at once.
     */
    default void removeInterface(String instance, VirtualInterface vi) {
    }

    /** {@link #acquire(String, Collection, Collection, AnnouncePolicy)} without routes, keepalived's default schedule. */
    default void acquire(String instance, Collection<VirtualAddress> addresses) {
        acquire(instance, addresses, List.of(), AnnouncePolicy.DEFAULT);
    }

    /** {@link #release(String, Collection, Collection)} without routes. */
    default void release(String instance, Collection<VirtualAddress> addresses) {
        release(instance, addresses, List.of());
    }
}
