package org.vigil.core.internal;

import java.net.InetAddress;
import java.util.Collection;
import java.util.List;

import org.vigil.api.vip.VirtualAddress;
import org.vigil.api.vip.VirtualRoute;
import org.vigil.api.vip.VirtualRule;
import org.vigil.api.vrrp.InstanceState;

/**
 * What a state machine does to the world. The core implements it with the driver, the VIP
 * manager and the notifiers; unit tests record the calls.
 */
interface InstanceActions {

    /**
     * Processes, before the master-down timer takes over, the packets that have already arrived
     * for this instance's channel: those the driver still holds in the kernel socket and those in
     * the core's receive queue, which a due timer would otherwise overtake.
     */
    default void receiveArrived() {
    }

    /**
     * Processes the routine adverts the core's receive queue holds for this instance's channel
     * (queued without waking the loop), and only those: the cheap half of {@link #receiveArrived},
     * which a master-down timer tries first. When one of them restarts Master_Down, the socket
     * need not be read.
     */
    default void receiveQueued() {
    }

    /** Sends one advertisement with {@code priority}; false when no channel could carry it. */
    boolean sendAdvert(int priority);

    void acquire(Collection<VirtualAddress> addresses);

    void release(Collection<VirtualAddress> addresses);

    /** Adds the addresses, then the routes, and announces the addresses (becoming master). */
    default void acquire(Collection<VirtualAddress> addresses, Collection<VirtualRoute> routes) {
        acquire(addresses);
    }

    /** Removes the routes, then the addresses. */
    default void release(Collection<VirtualAddress> addresses, Collection<VirtualRoute> routes) {
        release(addresses);
    }

    /** Adds the addresses, the routes, then the rules, and announces the addresses (becoming master). */
    default void acquire(Collection<VirtualAddress> addresses, Collection<VirtualRoute> routes,
            Collection<VirtualRule> rules) {
        acquire(addresses, routes);
    }

    /** Removes the rules, the routes, then the addresses. */
    default void release(Collection<VirtualAddress> addresses, Collection<VirtualRoute> routes,
            Collection<VirtualRule> rules) {
        release(addresses, routes);
    }

    /** Announces the held addresses again (garp_lower_prio_*: a master heard a lower priority). */
    default void announceLowerPriority() {
    }

    /**
     * The advert just accepted as master was of lower priority (auth_type AH: keepalived resyncs
     * its sequence counter to that advert's). Called before the answering advert goes out.
     */
    default void masterHeardLowerPriority() {
    }

    /** The instance is becoming master, before its first advert (AH: a cycled counter restarts). */
    /** The effective priority changed (notify_priority_changes), in the state the instance is in. */
    default void priorityChanged(int effectivePriority) {
    }

    default void enteringMaster() {
    }

    /**
     * A timer fired {@code lateMicros} after its deadline (negative: early, a shared wake-up), for
     * the lateness histograms; {@code advert} for the master's advert timer, else the backup's
     * master-down timer. Called on the loop: must not allocate.
     */
    default void timerFired(boolean advert, long lateMicros) {
    }

    /** The addresses held for the instance, as far as the VIP manager knows. */
    List<VirtualAddress> held();

    /** The address adverts go out from (tie-break and "master" address); null when unknown. */
    InetAddress localAddress();

    void transition(InstanceState from, InstanceState to, boolean stopping);

    /**
     * A log line in keepalived's words. {@code detail} lines are logged only with
     * {@code vigil.log.detail}.
     */
    void log(String line, boolean detail);
}
