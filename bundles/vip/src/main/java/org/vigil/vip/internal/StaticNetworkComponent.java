package org.vigil.vip.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vigil.api.vip.VirtualAddress;
import org.vigil.api.vip.VirtualRoute;
import org.vigil.api.vip.VirtualRule;
import org.vigil.api.vrrp.ConfigurationPids;
import org.vigil.libc.Libc;
import org.vigil.libc.LibcException;
import org.vigil.netlink.NetlinkSocket;

/**
 * keepalived's static_ipaddress, static_routes and static_rules, as keepalived 2.2.7 treats them
 * (measured in the lab): added at start whatever the VRRP state, put back when someone deletes
 * one ("Restoring deleted static address ..."), removed at stop. A reload adds what is new and
 * removes what went.
 *
 * <p>The changes go through a private {@link NetlinkVipManager} (its worker thread and
 * acknowledged requests); deletions are noticed through the address, route and rule event
 * groups of a second netlink socket, read by a thread of its own. Both threads come from the
 * same factory, so they live in one network namespace.
 */
@Component(configurationPid = ConfigurationPids.STATIC, configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = {})
@Designate(ocd = StaticNetworkComponent.Config.class)
public final class StaticNetworkComponent {

    @ObjectClassDefinition(name = "Vigil static addresses, routes and rules",
            description = "keepalived's static_ipaddress, static_routes and static_rules blocks")
    public @interface Config {
        @AttributeDefinition(description = "static_ipaddress entries, as written")
        String[] static_ipaddress() default {};

        @AttributeDefinition(description = "static_routes entries, as written")
        String[] static_routes() default {};

        @AttributeDefinition(description = "static_rules entries, each with a preference")
        String[] static_rules() default {};

        @AttributeDefinition(description = "the device of an entry without dev (keepalived's default_interface)")
        String default_interface() default "eth0";
    }

    /** RTMGRP_IPV4_IFADDR | IPV4_ROUTE | IPV4_RULE | IPV6_IFADDR | IPV6_ROUTE, and IPV6_RULE (group 19). */
    static final int DELETION_GROUPS = 0x10 | 0x40 | 0x80 | 0x100 | 0x400 | 1 << (19 - 1);

    private static final Logger LOG = LoggerFactory.getLogger(StaticNetworkComponent.class);

    private final NetlinkVipManager netlink;
    private final AtomicBoolean restorePending = new AtomicBoolean();
    private volatile Entries entries = Entries.NONE;
    private volatile boolean running = true;
    private Thread watcher;

    record Entries(List<VirtualAddress> addresses, List<VirtualRoute> routes, List<VirtualRule> rules) {
        static final Entries NONE = new Entries(List.of(), List.of(), List.of());

        static Entries of(Config c) {
            List<VirtualAddress> as = new ArrayList<>();
            List<VirtualRoute> rs = new ArrayList<>();
            List<VirtualRule> ps = new ArrayList<>();
            for (String e : c.static_ipaddress()) {
                parse(() -> as.add(VirtualAddress.parse(e, c.default_interface())), "static_ipaddress", e);
            }
            for (String e : c.static_routes()) {
                parse(() -> rs.add(VirtualRoute.parse(e, c.default_interface())), "static_routes", e);
            }
            for (String e : c.static_rules()) {
                parse(() -> ps.add(VirtualRule.parse(e)), "static_rules", e);
            }
            return new Entries(as, rs, ps);
        }

        private static void parse(Runnable r, String block, String entry) {
            try {
                r.run();
            } catch (IllegalArgumentException e) {
                LOG.error("{} entry '{}' ignored: {}", block, entry, e.getMessage());
            }
        }

        /** What this has and {@code other} has not. */
        Entries minus(Entries other) {
            List<VirtualAddress> as = new ArrayList<>(addresses);
            as.removeAll(other.addresses);
            List<VirtualRoute> rs = new ArrayList<>(routes);
            rs.removeAll(other.routes);
            List<VirtualRule> ps = new ArrayList<>(rules);
            ps.removeAll(other.rules);
            return new Entries(as, rs, ps);
        }

        boolean isEmpty() {
            return addresses.isEmpty() && routes.isEmpty() && rules.isEmpty();
        }
    }

    @Activate
    public StaticNetworkComponent(Config config) {
        this(runnable -> {
            Thread t = new Thread(runnable, "vigil-static");
            t.setDaemon(true);
            return t;
        }, config);
    }

    /** For tests: the thread factory decides the network namespace. */
    StaticNetworkComponent(ThreadFactory threads, Config config) {
        this.netlink = new NetlinkVipManager(threads, false);
        modified(config);
        watcher = threads.newThread(this::watchDeletions);
        watcher.setName("vigil-static-events");
        watcher.start();
    }

    @Modified
    void modified(Config config) {
        Entries next = Entries.of(config);
        Entries previous = entries;
        entries = next;
        Entries gone = previous.minus(next);
        if (!gone.isEmpty()) {
            netlink.removeStatic(gone.addresses(), gone.routes(), gone.rules());
        }
        netlink.addStatic(next.addresses(), next.routes(), next.rules(), false);
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        running = false;
        Entries last = entries;
        entries = Entries.NONE;
        netlink.removeStatic(last.addresses(), last.routes(), last.rules());
        netlink.deactivate();
        if (watcher != null) {
            watcher.join(NetlinkSocket.RECEIVE_TIMEOUT_SECONDS * 1000 + 1000);
        }
    }

    /** Waits until the queued changes are done (tests). */
    void awaitIdle() throws Exception {
        netlink.awaitIdle();
    }

    /**
     * Reads address, route and rule events; a deletion (or lost events) queues one putting back
     * of every static entry, so a burst of deletions (an instance releasing hundreds of
     * addresses) costs one pass, whose requests for entries still present end in a quiet EEXIST.
     */
    private void watchDeletions() {
        try (NetlinkSocket events = NetlinkSocket.open(NetlinkSocket.NETLINK_ROUTE, DELETION_GROUPS)) {
            while (running) {
                List<Integer> types = types(events);
                boolean deleted = types.stream().anyMatch(t -> t == Rtnl.RTM_DELADDR || t == Rtnl.RTM_DELROUTE
                        || t == Rtnl.RTM_DELRULE || t == -1);
                if (deleted && running && restorePending.compareAndSet(false, true)) {
                    netlink.submitWork(() -> {
                        restorePending.set(false);
                        Entries e = entries;
                        if (running) {
                            netlink.addStaticNow(e.addresses(), e.routes(), e.rules(), true);
                        }
                    });
                }
            }
        } catch (IOException e) {
            if (running) {
                LOG.error("static entries: cannot watch for deletions: {}", e.getMessage());
            }
        }
    }

    /**
     * The message types of the next datagram of events, -1 for events the kernel dropped (its
     * queue for us overflowed: something changed); empty when none came within the receive timeout.
     */
    private static List<Integer> types(NetlinkSocket events) throws IOException {
        try {
            ByteBuffer datagram = events.receive();
            return datagram == null ? List.of() : Rtnl.messageTypes(datagram);
        } catch (LibcException e) {
            if (e.errno() == Libc.ENOBUFS) {
                return List.of(-1);
            }
            throw e;
        }
    }
}
