package org.vigil.vip.internal;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vigil.api.driver.InterfaceDriver;
import org.vigil.api.vip.AnnouncePolicy;
import org.vigil.api.vip.VipManager;
import org.vigil.api.vip.VirtualAddress;
import org.vigil.api.vip.VirtualInterface;
import org.vigil.api.vip.VirtualRoute;
import org.vigil.api.vip.VirtualRule;
import org.vigil.codec.AnnouncementFrames;
import org.vigil.libc.Libc;
import org.vigil.netlink.NetlinkSocket;

/**
 * The VIP manager on Linux: addresses, routes and rules through rtnetlink (RTM_NEWADDR, RTM_DELADDR,
 * RTM_NEWROUTE, RTM_DELROUTE, RTM_NEWRULE, RTM_DELRULE with acknowledgement), announcements (gratuitous ARP, unsolicited
 * NA) through the interface driver's {@link InterfaceDriver#sendFrame}. Needs CAP_NET_ADMIN for
 * the changes and a driver with layer-2 access for the frames.
 *
 * <p>Every call only queues work for one private worker thread, so the election thread never
 * blocks; the worker runs the work in call order (hence in order per instance), and runs the
 * announcement schedule. The netlink socket is opened by the worker, in its network namespace.
 */
@Component(configurationPid = NetlinkVipManager.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL,
        service = VipManager.class,
        property = { VipManager.NAME_PROPERTY + "=" + NetlinkVipManager.NAME,
                // Outranks the simulated LAN's recorder (-100); the core pairs the sim driver with it anyway
                "service.ranking:Integer=100" })
@Designate(ocd = NetlinkVipManager.Config.class)
public final class NetlinkVipManager implements VipManager {

    static final String PID = "org.vigil.vip";
    static final String NAME = "netlink";
    /** Framework property that turns on keepalived's -D detail lines (one per frame). */
    static final String DETAIL_PROPERTY = "vigil.log.detail";
    // errno values the kernel answers with when there is nothing to do (asm-generic/errno*.h)
    static final int EEXIST = 17;
    static final int ESRCH = 3;
    static final int ENOENT = 2;
    static final int EADDRNOTAVAIL = 99;
    static final int ENODEV = 19;
    /** What the worker waits for queued removals on deactivation. */
    private static final long STOP_TIMEOUT_SECONDS = 5;

    @ObjectClassDefinition(name = "Vigil VIP manager (rtnetlink)",
            description = "Adds and removes virtual addresses and routes through rtnetlink and announces them. Runs without configuration.")
    public @interface Config {
        @AttributeDefinition(name = "Ranking", description = "Service ranking; above the simulated LAN's recorder by default")
        int service_ranking() default 100;

        @AttributeDefinition(name = "Driver filter",
                description = "LDAP filter choosing the interface driver that sends the frames; empty = the highest ranked")
        String driver_target() default "";
    }

    private static final Logger LOG = LoggerFactory.getLogger(NetlinkVipManager.class);

    private final boolean detail;
    private final ScheduledThreadPoolExecutor worker;
    /** What each instance holds, updated at call time so that held() follows the calls at once. */
    private final Map<String, Set<VirtualAddress>> held = new ConcurrentHashMap<>();
    /** Bumped by acquire and release: announcement tasks of an older generation send nothing. */
    private final Map<String, AtomicLong> generations = new ConcurrentHashMap<>();
    private final Map<String, List<ScheduledFuture<?>>> schedules = new ConcurrentHashMap<>();
    /** Worker only: failures logged once until the same operation succeeds. */
    private final Set<String> reported = new LinkedHashSet<>();
    private final List<InterfaceDriver> drivers = new CopyOnWriteArrayList<>();
    /** Worker only. */
    private NetlinkSocket netlink;
    /** use_vmac and use_ipvlan interfaces (worker only). */
    private final VirtualLinks links = new VirtualLinks();
    /** The MAC frames go out from; tests replace it. */
    volatile MacLookup macs = this::cachedMac;
    /**
     * Each device's MAC as last read, and when (worker only). A burst for 510 instances sends
     * thousands of frames; looking the MAC up for each one (NetworkInterface enumerates every
     * interface of the namespace) made the worker fall tens of seconds behind at that scale.
     */
    private final Map<String, byte[]> macCache = new HashMap<>();
    private final Map<String, Long> macRead = new HashMap<>();
    /** A MAC is re-read at most this often, so a changed one is picked up within it. */
    static final long MAC_CACHE_NANOS = TimeUnit.SECONDS.toNanos(5);

    interface MacLookup {
        byte[] of(String device) throws IOException;
    }
    /** Worker only. */
    private final byte[] frame = new byte[AnnouncementFrames.NEIGHBOR_ADVERTISEMENT_FRAME_LENGTH];

    @Activate
    public NetlinkVipManager(BundleContext context) {
        this(runnable -> {
            Thread t = new Thread(runnable, "vigil-vip");
            t.setDaemon(true);
            return t;
        }, Boolean.parseBoolean(context.getProperty(DETAIL_PROPERTY)));
    }

    /** For tests: the thread factory decides the worker's network namespace. */
    NetlinkVipManager(ThreadFactory threads, boolean detail) {
        this.detail = detail;
        worker = new ScheduledThreadPoolExecutor(1, threads);
        worker.setRemoveOnCancelPolicy(true);
        // on stop, queued removals still run but pending announcements are dropped
        worker.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        worker.setContinueExistingPeriodicTasksAfterShutdownPolicy(false);
    }

    @Deactivate
    void deactivate() {
        schedules.values().forEach(list -> list.forEach(f -> f.cancel(false)));
        worker.execute(() -> {
            if (netlink != null) {
                netlink.close();
                netlink = null;
            }
        });
        worker.shutdown();
        try {
            if (!worker.awaitTermination(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                LOG.warn("VIP manager: netlink work still queued after {} s, dropped", STOP_TIMEOUT_SECONDS);
                worker.shutdownNow();
            }
        } catch (InterruptedException e) {
            worker.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    /** The highest ranked driver (GREEDY): it sends the announcement frames. */
    @Reference(name = "driver", cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindDriver(InterfaceDriver driver) {
        drivers.add(0, driver);
    }

    void unbindDriver(InterfaceDriver driver) {
        drivers.remove(driver);
    }

    // ---- VipManager: record at once, queue the work ---------------------------------------------

    @Override
    public void acquire(String instance, Collection<VirtualAddress> addresses, Collection<VirtualRoute> routes,
            AnnouncePolicy policy) {
        acquire(instance, addresses, routes, List.of(), policy);
    }

    @Override
    public void acquire(String instance, Collection<VirtualAddress> addresses, Collection<VirtualRoute> routes,
            Collection<VirtualRule> rules, AnnouncePolicy policy) {
        List<VirtualAddress> as = List.copyOf(addresses);
        List<VirtualRoute> rs = List.copyOf(routes);
        List<VirtualRule> ps = List.copyOf(rules);
        held.computeIfAbsent(instance, k -> ConcurrentHashMap.newKeySet()).addAll(as);
        long generation = restartSchedule(instance);
        submit(() -> {
            for (VirtualAddress a : as) {
                addAddress(instance, a);
            }
            for (VirtualRoute r : rs) {
                addRoute(instance, r);
            }
            for (VirtualRule r : ps) {
                addRule(instance, r);
            }
            schedule(instance, generation, as, policy, true);
        });
    }

    @Override
    public void release(String instance, Collection<VirtualAddress> addresses, Collection<VirtualRoute> routes) {
        release(instance, addresses, routes, List.of());
    }

    @Override
    public void release(String instance, Collection<VirtualAddress> addresses, Collection<VirtualRoute> routes,
            Collection<VirtualRule> rules) {
        List<VirtualAddress> as = List.copyOf(addresses);
        List<VirtualRoute> rs = List.copyOf(routes);
        List<VirtualRule> ps = List.copyOf(rules);
        Set<VirtualAddress> set = held.get(instance);
        if (set != null) {
            set.removeAll(as);
        }
        restartSchedule(instance);
        submit(() -> {
            for (VirtualRule r : ps) {
                deleteRule(instance, r);
            }
            for (VirtualRoute r : rs) {
                deleteRoute(instance, r);
            }
            for (VirtualAddress a : as) {
                deleteAddress(instance, a);
            }
        });
        // what stays held (a partial release on reload) keeps being announced by the next acquire
    }

    @Override
    public void announce(String instance, AnnouncePolicy policy) {
        List<VirtualAddress> as = List.copyOf(held(instance));
        if (as.isEmpty() || !policy.announces()) {
            return;
        }
        long generation = generation(instance).get();
        submit(() -> schedule(instance, generation, as, policy, false));
    }

    @Override
    public Set<VirtualAddress> held(String instance) {
        Set<VirtualAddress> set = held.get(instance);
        return set == null ? Set.of() : Set.copyOf(set);
    }

    @Override
    public CompletionStage<Void> createInterface(String instance, VirtualInterface vi) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        try {
            worker.execute(() -> {
                try {
                    links.create(netlink(), instance, vi);
                    done.complete(null);
                } catch (IOException | RuntimeException e) {
                    resetOnFailure(e);
                    // the caller (the election core) logs it, in keepalived's words
                    LOG.debug("({}) cannot create {}", instance, vi, e);
                    done.completeExceptionally(e);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            done.completeExceptionally(new IOException("VIP manager is stopped"));
        }
        return done;
    }

    /** Queued after the instance's release, so the addresses go first, as keepalived removes them. */
    @Override
    public void removeInterface(String instance, VirtualInterface vi) {
        submit(() -> {
            try {
                links.remove(netlink(), instance, vi);
            } catch (IOException | RuntimeException e) {
                resetOnFailure(e);
                reportOnce("remove " + vi.name(), "({}) cannot remove {}: {}", instance, vi, e.getMessage());
            }
        });
    }

    private void resetOnFailure(Exception e) {
        if (netlink != null && e instanceof IOException) {
            netlink.close();
            netlink = null;
        }
    }

    /** Waits until the work queued so far is done (tests). */
    void awaitIdle() throws Exception {
        worker.submit(() -> null).get(10, TimeUnit.SECONDS);
    }

    private AtomicLong generation(String instance) {
        return generations.computeIfAbsent(instance, k -> new AtomicLong());
    }

    private long restartSchedule(String instance) {
        long g = generation(instance).incrementAndGet();
        List<ScheduledFuture<?>> old = schedules.remove(instance);
        if (old != null) {
            old.forEach(f -> f.cancel(false));
        }
        return g;
    }

    private void submit(Runnable work) {
        try {
            worker.execute(() -> {
                try {
                    work.run();
                } catch (RuntimeException e) {
                    LOG.error("VIP manager work failed", e);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            LOG.warn("VIP manager is stopped: request dropped");
        }
    }

    // ---- announcements (worker) ----------------------------------------------------------------

    /**
     * Sends a burst now and, as the policy says, the second burst after the delay and the
     * refresh bursts, all cancelled when the generation moves on.
     */
    private void schedule(String instance, long generation, List<VirtualAddress> addresses, AnnouncePolicy policy,
            boolean withRefresh) {
        if (addresses.isEmpty() || generation(instance).get() != generation) {
            return;
        }
        burst(instance, generation, addresses, policy.repeat(), policy);
        List<ScheduledFuture<?>> futures = schedules.computeIfAbsent(instance, k -> new CopyOnWriteArrayList<>());
        if (!policy.delay().isZero() && policy.repeat() > 0) {
            futures.add(worker.schedule(() -> burst(instance, generation, addresses, policy.repeat(), policy),
                    policy.delay().toNanos(), TimeUnit.NANOSECONDS));
        }
        List<VirtualAddress> extra = addresses.stream().filter(policy::extraInterfaceAnnounces).toList();
        if (withRefresh && !extra.isEmpty()) {
            // garp_extra_if: keeps switches' MAC caches fresh on the other interfaces
            long period = policy.extraInterfaceRefresh().toNanos();
            futures.add(worker.scheduleAtFixedRate(() -> burst(instance, generation, extra, 1, policy), period, period,
                    TimeUnit.NANOSECONDS));
        }
        if (withRefresh && !policy.refresh().isZero() && policy.refreshRepeat() > 0) {
            long period = policy.refresh().toNanos();
            futures.add(worker.scheduleAtFixedRate(
                    () -> burst(instance, generation, addresses, policy.refreshRepeat(), policy), period, period,
                    TimeUnit.NANOSECONDS));
        }
        futures.removeIf(f -> f.isDone());
    }

    private void burst(String instance, long generation, List<VirtualAddress> addresses, int repeat,
            AnnouncePolicy policy) {
        if (repeat <= 0 || generation(instance).get() != generation) {
            return;
        }
        for (VirtualAddress a : addresses) {
            LOG.info("({}) Sending/queueing {} on {} for {}", instance,
                    a.address() instanceof Inet4Address ? "gratuitous ARPs" : "Unsolicited Neighbour Adverts",
                    a.device(), Text.of(a.address()));
        }
        for (AnnouncementPlan.Frame f : AnnouncementPlan.burst(addresses, repeat, policy.arpInterval(),
                policy.naInterval())) {
            if (f.offsetNanos() == 0) {
                sendAnnouncement(instance, generation, f.address());
            } else {
                schedules.computeIfAbsent(instance, k -> new CopyOnWriteArrayList<>())
                        .add(worker.schedule(() -> sendAnnouncement(instance, generation, f.address()), f.offsetNanos(),
                                TimeUnit.NANOSECONDS));
            }
        }
    }

    private void sendAnnouncement(String instance, long generation, VirtualAddress a) {
        if (generation(instance).get() != generation) {
            return;
        }
        String what = a.address() instanceof Inet4Address ? "gratuitous ARP" : "unsolicited Neighbour Advert";
        String key = "frame " + a.device();
        InterfaceDriver driver = drivers.isEmpty() ? null : drivers.get(0);
        if (driver == null) {
            reportOnce(key, "({}) no interface driver bound: cannot send {} on {} for {}", instance, what, a.device(),
                    Text.of(a.address()));
            return;
        }
        try {
            byte[] mac = macs.of(a.device());
            int length = a.address() instanceof Inet4Address
                    ? AnnouncementFrames.gratuitousArp(mac, a.address().getAddress(), frame, 0)
                    // keepalived 2.2.7: from the VIP itself, Override flag only (shared/reference/lab.md section 7)
                    : AnnouncementFrames.unsolicitedNeighborAdvertisement(mac, a.address().getAddress(),
                            a.address().getAddress(), AnnouncementFrames.NA_FLAG_OVERRIDE, frame, 0);
            if (detail) {
                LOG.info("Sending {} on {} for {}", a.address() instanceof Inet4Address ? "gratuitous ARP"
                        : "unsolicited Neighbour Advert", a.device(), Text.of(a.address()));
            }
            driver.sendFrame(a.device(), frame, 0, length);
            reported.remove(key);
        } catch (IOException | RuntimeException e) {
            reportOnce(key, "({}) sending {} on {} for {} failed: {}", instance, what, a.device(),
                    Text.of(a.address()), e.getMessage());
        }
    }

    /** The device's MAC: from the driver's link view when it has one, else the kernel's; cached briefly. */
    private byte[] cachedMac(String device) throws IOException {
        long now = System.nanoTime();
        Long at = macRead.get(device);
        byte[] mac = macCache.get(device);
        if (mac != null && at != null && now - at < MAC_CACHE_NANOS) {
            return mac;
        }
        InterfaceDriver driver = drivers.isEmpty() ? null : drivers.get(0);
        byte[] fromDriver = driver == null ? null
                : driver.link(device).map(org.vigil.api.driver.LinkInfo::mac).orElse(null);
        mac = fromDriver != null && fromDriver.length == 6 && !allZero(fromDriver) ? fromDriver : mac(device);
        macCache.put(device, mac);
        macRead.put(device, now);
        return mac;
    }

    private static boolean allZero(byte[] b) {
        for (byte x : b) {
            if (x != 0) {
                return false;
            }
        }
        return true;
    }

    /** The interface's MAC, looked up in the worker's namespace. */
    private static byte[] mac(String device) throws IOException {
        try {
            NetworkInterface nif = NetworkInterface.getByName(device);
            byte[] mac = nif == null ? null : nif.getHardwareAddress();
            if (mac == null || mac.length != 6) {
                throw new IOException("no Ethernet address on " + device);
            }
            return mac;
        } catch (SocketException e) {
            throw new IOException("reading the address of " + device + ": " + e.getMessage(), e);
        }
    }

    // ---- netlink (worker) ----------------------------------------------------------------------

    /** @return whether the kernel added it (false when it was there already or failed) */
    private boolean addAddress(String instance, VirtualAddress a) {
        return change("add address " + Text.cidr(a.address(), a.prefixLength()) + " dev " + a.device(), instance,
                a.device(), (nl, index, seq) -> Rtnl.addAddress(a, index, seq), EEXIST);
    }

    private void deleteAddress(String instance, VirtualAddress a) {
        change("remove address " + Text.cidr(a.address(), a.prefixLength()) + " dev " + a.device(), instance, a.device(),
                (nl, index, seq) -> Rtnl.deleteAddress(a, index, seq), EADDRNOTAVAIL, ENODEV);
    }

    private boolean addRoute(String instance, VirtualRoute r) {
        return change("add route " + r, instance, r.device(), (nl, index, seq) -> Rtnl.addRoute(r, index, seq),
                EEXIST);
    }

    private void deleteRoute(String instance, VirtualRoute r) {
        change("remove route " + r, instance, r.device(), (nl, index, seq) -> Rtnl.deleteRoute(r, index, seq), ESRCH,
                ENOENT, ENODEV);
    }

    private boolean addRule(String instance, VirtualRule r) {
        return change("add rule " + r, instance, null, (nl, index, seq) -> Rtnl.addRule(r, seq), EEXIST);
    }

    private void deleteRule(String instance, VirtualRule r) {
        change("remove rule " + r, instance, null, (nl, index, seq) -> Rtnl.deleteRule(r, seq), ENOENT);
    }

    // ---- static_ipaddress, static_routes, static_rules (StaticNetworkComponent's own manager) ----

    /**
     * Queues adding the static entries: addresses, routes, then rules. With {@code restoring},
     * each entry the kernel did not have is logged as keepalived does when it puts back a static
     * entry someone deleted ("Restoring deleted static address ...").
     */
    void addStatic(List<VirtualAddress> as, List<VirtualRoute> rs, List<VirtualRule> ps, boolean restoring) {
        submit(() -> addStaticNow(as, rs, ps, restoring));
    }

    /** {@link #addStatic} on the worker thread itself. */
    void addStaticNow(List<VirtualAddress> as, List<VirtualRoute> rs, List<VirtualRule> ps, boolean restoring) {
        for (VirtualAddress a : as) {
            restored(addAddress(STATIC, a), restoring, "address", a);
        }
        for (VirtualRoute r : rs) {
            restored(addRoute(STATIC, r), restoring, "route", r);
        }
        for (VirtualRule r : ps) {
            restored(addRule(STATIC, r), restoring, "rule", r);
        }
    }

    /** Runs {@code work} on the worker thread, after what is queued. */
    void submitWork(Runnable work) {
        submit(work);
    }

    /** Queues removing static entries: rules, routes, then addresses (keepalived at exit). */
    void removeStatic(List<VirtualAddress> as, List<VirtualRoute> rs, List<VirtualRule> ps) {
        submit(() -> {
            ps.forEach(r -> deleteRule(STATIC, r));
            rs.forEach(r -> deleteRoute(STATIC, r));
            as.forEach(a -> deleteAddress(STATIC, a));
        });
    }

    /** The name static entries are logged under. */
    static final String STATIC = "static";

    private static void restored(boolean added, boolean restoring, String what, Object entry) {
        if (added && restoring) {
            LOG.info("Restoring deleted static {} {}", what, entry);
        }
    }

    private interface Request {
        byte[] build(NetlinkSocket nl, int ifindex, int sequence);
    }

    /**
     * One acknowledged request; the listed errno values mean "already so" and pass quietly, any
     * other failure is logged once (until the same operation succeeds).
     */
    private boolean change(String what, String instance, String device, Request request, int... quiet) {
        try {
            NetlinkSocket nl = netlink();
            int index = 0;
            if (device != null) {
                index = Libc.ifNameToIndex(device);
                if (index <= 0) {
                    reportOnce(what, "({}) cannot {}: no interface {}", instance, what, device);
                    return false;
                }
            }
            int seq = nl.nextSequence();
            int error = nl.acknowledge(request.build(nl, index, seq), seq);
            boolean changed = error == 0;
            for (int q : quiet) {
                if (error == -q) {
                    LOG.debug("({}) {}: {}", instance, what, Libc.strerror(q));
                    error = 0;
                }
            }
            if (error == 0) {
                reported.remove(what);
            } else {
                reportOnce(what, "({}) cannot {}: {} (errno {})", instance, what, Libc.strerror(-error), -error);
            }
            return changed;
        } catch (IOException | RuntimeException e) {
            if (netlink != null && e instanceof IOException) {
                netlink.close();
                netlink = null;
            }
            reportOnce(what, "({}) cannot {}: {}", instance, what, e.getMessage());
            return false;
        }
    }

    private NetlinkSocket netlink() throws IOException {
        if (netlink == null) {
            netlink = NetlinkSocket.open(NetlinkSocket.NETLINK_ROUTE);
        }
        return netlink;
    }

    private void reportOnce(String key, String format, Object... args) {
        if (reported.add(key)) {
            LOG.error(format, args);
        }
        if (reported.size() > 1000) {
            reported.clear();
        }
    }
}
