package org.vigil.core.internal;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import org.vigil.api.auth.AuthType;
import org.vigil.api.auth.Authenticator;
import org.vigil.api.auth.HmacAuthenticator;
import org.vigil.api.driver.ChannelSpec;
import org.vigil.api.driver.InterfaceDriver;
import org.vigil.api.driver.LinkInfo;
import org.vigil.api.metrics.Histogram;
import org.vigil.api.vip.VipManager;
import org.vigil.api.vip.VirtualInterface;
import org.vigil.api.vrrp.IpFamily;
import org.vigil.api.vrrp.InstanceState;
import org.vigil.api.vrrp.InstanceStatus;
import org.vigil.api.vrrp.SyncGroupStatus;
import org.vigil.api.vrrp.TrackStatus;
import org.vigil.api.vrrp.TransitionEvent;
import org.vigil.api.vrrp.TransitionListener;
import org.vigil.codec.VrrpCodec;
import org.vigil.script.ScriptSecurity;

/**
 * The election core without OSGi: instances, the bound services, the receive path and sync
 * groups, all confined to one {@link Loop}. Public methods may be called from any thread; they
 * post to the loop. {@link ElectionCore} is the DS shell around it.
 */
final class ElectionEngine implements InstanceRegistry {
    static final String DROP_VERSION = ReceiveDrop.VERSION_MISMATCH.name();
    static final String DROP_AUTH = ReceiveDrop.AUTH_FAILED.name();
    static final String DROP_INTERVAL = ReceiveDrop.INTERVAL_MISMATCH.name();
    static final String DROP_PROTOCOL = ReceiveDrop.UNSUPPORTED_PROTOCOL.name();
    static final String DROP_AUTH_TYPE = ReceiveDrop.AUTH_TYPE_MISMATCH.name();
    static final String DROP_AH_NOT_VRRP = ReceiveDrop.AH_NOT_VRRP.name();

    private final Loop loop;
    private final VrrpLog log;
    private final Notifier notifier;
    private final long callTimeoutMillis;

    // loop-confined
    private final Map<String, InstanceRuntime> instances = new TreeMap<>();
    private final Map<InstanceConfig.Identity, InstanceRuntime> byIdentity = new HashMap<>();
    private final Map<AuthType, Authenticator> authenticators = new EnumMap<>(AuthType.class);
    private HmacAuthenticator hmacAuthenticator;
    private final SyncGroups syncGroups;
    private final Map<String, Boolean> linkState = new HashMap<>();
    private final ReceivePath receivePath;
    private final byte[] sendBuffer = new byte[VrrpCodec.MAX_LENGTH + org.vigil.api.auth.HmacSession.TRAILER_LENGTH];
    private InterfaceDriver driver;
    private AutoCloseable linkWatch;

    private final Tracking tracking;
    /** Mirrors of what tracking knows, for the off-loop preparation of script decisions. */
    private final Map<String, ScriptSpec> scriptSpecs = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile SecuritySettings security;

    private record SecuritySettings(boolean enabled, org.vigil.script.RunAs user) {
    }

    /** Loop-confined like the rest; set through the loop (DS callbacks post). */
    private VipManager vipManager;
    private volatile String driverName;

    /**
     * How late the timers fire, over every instance (ARCHITECTURE: measure the advert jitter):
     * recorded on the loop without allocating, read by the metrics scrape.
     */
    final Histogram advertLateness = new Histogram(LATENESS_BUCKETS);
    final Histogram masterDownLateness = new Histogram(LATENESS_BUCKETS);
    static final double[] LATENESS_BUCKETS = { 0.0001, 0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25,
        0.5, 1 };

    ElectionEngine(Loop loop, VrrpLog log, Notifier notifier, long callTimeoutMillis) {
        this.loop = loop;
        this.log = log;
        this.notifier = notifier;
        this.callTimeoutMillis = callTimeoutMillis;
        this.receivePath = new ReceivePath(loop);
        this.syncGroups = new SyncGroups(instances, notifier);
        this.tracking = new Tracking(loop, log, new Tracking.Host() {
            @Override
            public void apply(String instance, int adjustment, boolean fault) {
                applyTracking(instance, adjustment, fault);
            }

            @Override
            public Optional<Boolean> linkUp(String iface) {
                Boolean known = linkState.get(iface);
                if (known != null) {
                    return Optional.of(known);
                }
                return driver == null ? Optional.empty() : driver.link(iface).map(LinkInfo::up);
            }

            @Override
            public boolean groupIgnoresWeights(String instance) {
                SyncGroups.Group group = groupOf(instance);
                return group != null && !group.trackingWeight;
            }

            @Override
            public Tracks groupTracks(String instance) {
                SyncGroups.Group group = groupOf(instance);
                return group == null ? Tracks.NONE : group.tracks;
            }
        }, ScriptSecurity.Host.system());
    }

    /** Loop-confined; for tests of this package. */
    Tracking tracking() {
        return tracking;
    }

    VrrpLog log() {
        return log;
    }

    VipManager vipManager() {
        return vipManager;
    }

    byte[] sendBuffer() {
        return sendBuffer;
    }

    /** Packets for a VRID no instance has, over every channel (loop-confined; tests). */
    long unknownVridCount() {
        long n = 0;
        for (ReceivePath.Channel ch : receivePath.channels()) {
            n += ch.dropped().getOrDefault(ReceiveDrop.UNKNOWN_VRID.name(), 0L);
        }
        return n;
    }

    /** Driver channels open: one per interface, family, protocol, group and source, not one per instance. */
    int channelCount() {
        return receivePath.channelCount();
    }

    ReceivePath receivePath() {
        return receivePath;
    }

    // ---- services -----------------------------------------------------------------------------

    void driverBound(InterfaceDriver next) {
        loop.execute(() -> switchDriver(next));
    }

    void driverUnbound(InterfaceDriver gone) {
        loop.execute(() -> {
            if (driver == gone) {
                switchDriver(null);
            }
        });
    }

    Optional<String> activeDriver() {
        return Optional.ofNullable(driverName);
    }

    /** Returns once the loop has run everything posted before (a driver switch, say). */
    void awaitLoop() {
        call(() -> null);
    }

    /** Keeps every instance's state, timers and counters; only the channels change (swap contract). */
    private void switchDriver(InterfaceDriver next) {
        if (next == driver) {
            return;
        }
        closeLinkWatch();
        InterfaceDriver previous = driver;
        driver = next;
        driverName = next == null ? null : next.name();
        linkState.clear();
        if (next == null) {
            // FAULT first, so a master's priority-0 advert can still use the old channel
            for (InstanceRuntime rt : instances.values()) {
                rt.linkUp = false;
                applyConditions(rt);
            }
            instances.values().forEach(this::closeChannel);
            log.line("No interface driver: every instance is in FAULT until one appears", false);
            return;
        }
        linkWatch = next.watchLinks((iface, up) -> loop.execute(() -> linkChanged(iface, up)));
        for (InstanceRuntime rt : instances.values()) {
            closeChannel(rt);
        }
        for (InstanceRuntime rt : instances.values()) {
            openChannel(rt);
        }
        for (InstanceRuntime rt : instances.values()) {
            applyConditions(rt);
        }
        tracking.refreshLinks();
        if (previous != null) {
            log.line("Interface driver " + previous.name() + " replaced by " + next.name(), false);
        }
    }

    private void closeLinkWatch() {
        if (linkWatch != null) {
            try {
                linkWatch.close();
            } catch (Exception e) {
                log.line("closing link watch failed: " + e, false);
            }
            linkWatch = null;
        }
    }

    private void openChannel(InstanceRuntime rt) {
        rt.linkUp = false;
        if (driver == null) {
            return;
        }
        String iface = rt.config.advertInterface();
        if (rt.config.virtualInterface() != null && unavailableInterfaces.contains(rt.config.name())) {
            rt.machine.logLimited("no-interface", rt.config.virtualInterface() + " could not be made");
            return;
        }
        // the driver's cache, kept by its link events: no netlink dump on the election thread
        Optional<LinkInfo> link = driver.link(iface);
        if (link.isEmpty()) {
            rt.machine.logLimited("no-interface", "interface " + iface + " not found");
            return;
        }
        rt.linkUp = linkState.getOrDefault(iface, link.get().up());
        if (!iface.equals(rt.config.interfaceName())) {
            rt.parentSource = driver.link(rt.config.interfaceName())
                    .map(l -> rt.config.family() == IpFamily.IPV4 ? l.primaryIpv4() : l.linkLocalIpv6()).orElse(null);
        }
        try {
            ChannelSpec spec = rt.desiredSpec();
            rt.attach(receivePath.join(rt, spec, driver), spec);
        } catch (IOException | RuntimeException e) {
            rt.attach(null, null);
            rt.machine.logLimited("open-failed", "cannot open a channel on " + iface + ": " + e);
        }
    }

    private void closeChannel(InstanceRuntime rt) {
        receivePath.leave(rt, rt.receiveChannel());
        rt.attach(null, null);
    }

    private void linkChanged(String iface, boolean up) {
        Boolean before = linkState.put(iface, up);
        if (before != null && before == up) {
            return;
        }
        log.line("Netlink reports " + iface + (up ? " up" : " down"), false);
        for (InstanceRuntime rt : instances.values()) {
            if (rt.config.interfaceName().equals(iface) || rt.config.advertInterface().equals(iface)) {
                rt.linkUp = up;
                if (up && rt.channel == null) {
                    openChannel(rt);
                }
                applyConditions(rt);
            }
        }
        tracking.linkChanged(iface);
    }

    /** Posts to the loop and waits, so that the instances use the new manager when the DS callback returns. */
    void vipManagerBound(VipManager manager) {
        call(() -> vipManager = manager);
        // instances configured before a VIP manager was there: their interfaces now (link events open the channels)
        for (InstanceConfig c : call(() -> instances.values().stream().filter(rt -> rt.channel == null)
                .map(rt -> rt.config).toList())) {
            createVirtualInterface(c, manager);
        }
    }

    /**
     * use_vmac / use_ipvlan: creates (or takes over) the instance's interface before the instance
     * starts, off the election thread, and waits (bounded) until the driver sees it up, so the
     * instance starts on it instead of in FAULT.
     */
    private void createVirtualInterface(InstanceConfig config, VipManager manager) {
        VirtualInterface vif = config.virtualInterface();
        if (vif == null || manager == null) {
            return;
        }
        try {
            manager.createInterface(config.name(), vif).toCompletableFuture().get(callTimeoutMillis, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            unavailableInterfaces.add(config.name());
            // keepalived 2.2.7: "(VI_1): Unable to create ipvlan interface vrrp.51" (then FAULT: no such interface)
            log.line("(" + config.name() + "): Unable to create "
                    + (vif.kind() == VirtualInterface.Kind.MACVLAN ? "VMAC" : "ipvlan") + " interface " + vif.name() + " on "
                    + vif.parent() + ": " + e.getCause().getMessage(), false);
            return;
        } catch (TimeoutException e) {
            unavailableInterfaces.add(config.name());
            log.line("(" + config.name() + ") creating " + vif + " takes longer than " + callTimeoutMillis + " ms", false);
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        unavailableInterfaces.remove(config.name());
        InterfaceDriver d = call(() -> driver);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(LINK_WAIT_MILLIS);
        while (d != null && !d.link(config.advertInterface()).map(LinkInfo::up).orElse(false)
                && System.nanoTime() < deadline) {
            // the driver learns the new link from its own netlink events, within milliseconds
            java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
        }
    }

    /**
     * Instances whose use_vmac / use_ipvlan interface could not be made: they must not run on an
     * interface of that name that is someone else's, so they stay in FAULT.
     */
    private final java.util.Set<String> unavailableInterfaces = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** How long an instance waits for the driver to see its new use_vmac interface up. */
    static final long LINK_WAIT_MILLIS = 2000;

    void vipManagerUnbound(VipManager manager) {
        call(() -> {
            if (vipManager == manager) {
                vipManager = null;
            }
            return null;
        });
    }

    void authenticatorAdded(Authenticator authenticator) {
        loop.execute(() -> {
            authenticators.put(authenticator.type(), authenticator);
            for (InstanceRuntime rt : instances.values()) {
                if (rt.config.authType() == authenticator.type()) {
                    newSession(rt);
                    applyConditions(rt);
                }
            }
        });
    }

    void authenticatorRemoved(Authenticator authenticator) {
        loop.execute(() -> {
            if (authenticators.get(authenticator.type()) != authenticator) {
                return;
            }
            authenticators.remove(authenticator.type());
            for (InstanceRuntime rt : instances.values()) {
                if (rt.sessionSource == authenticator) {
                    newSession(rt);
                    applyConditions(rt);
                }
            }
        });
    }

    void hmacAuthenticatorAdded(HmacAuthenticator authenticator) {
        loop.execute(() -> {
            hmacAuthenticator = authenticator;
            for (InstanceRuntime rt : instances.values()) {
                if (rt.config.authHmac() != null) {
                    newHmacSession(rt);
                    applyConditions(rt);
                }
            }
        });
    }

    void hmacAuthenticatorRemoved(HmacAuthenticator authenticator) {
        loop.execute(() -> {
            if (hmacAuthenticator != authenticator) {
                return;
            }
            hmacAuthenticator = null;
            for (InstanceRuntime rt : instances.values()) {
                if (rt.config.authHmac() != null) {
                    newHmacSession(rt);
                    applyConditions(rt);
                }
            }
        });
    }

    /** auth_hmac: without its authenticator an instance cannot sign or verify, so it waits in FAULT. */
    private void newHmacSession(InstanceRuntime rt) {
        HmacAuthenticator a = hmacAuthenticator;
        rt.hmac = rt.config.authHmac() == null || a == null ? null : a.newSession(rt.config.authHmac());
        if (rt.config.authHmac() != null && a == null) {
            rt.machine.logLimited("no-hmac-authenticator", "no auth_hmac authenticator: staying in FAULT");
        }
    }

    private void newSession(InstanceRuntime rt) {
        newHmacSession(rt);
        Authenticator a = authenticators.get(rt.config.authType());
        rt.sessionSource = a;
        rt.session = a == null ? null : a.newSession(rt.config.authKey());
        if (a == null && rt.config.version() == 2) {
            rt.machine.logLimited("no-authenticator",
                    "no authenticator for auth type " + rt.config.authType() + ": staying in FAULT");
        }
    }

    void listenerAdded(TransitionListener listener) {
        notifier.add(listener);
    }

    void listenerRemoved(TransitionListener listener) {
        notifier.remove(listener);
    }

    // ---- instances ----------------------------------------------------------------------------

    @Override
    public void addInstance(InstanceConfig config) {
        tracking.prepareFiles(config.tracks());
        if (config.virtualInterface() != null) {
            createVirtualInterface(config, call(() -> vipManager));
        }
        call(() -> {
            add(config);
            return null;
        });
    }

    private void add(InstanceConfig config) {
        if (instances.containsKey(config.name())) {
            log.line("(" + config.name() + ") already configured - ignoring the duplicate", false);
            return;
        }
        if (byIdentity.containsKey(config.identity())) {
            log.line("(" + config.name() + ") VRID " + config.vrid() + " on " + config.interfaceName()
                    + " is already used by " + byIdentity.get(config.identity()).config.name() + " - ignoring", false);
            return;
        }
        InstanceRuntime rt = new InstanceRuntime(this, config, loop);
        instances.put(config.name(), rt);
        byIdentity.put(config.identity(), rt);
        newSession(rt);
        openChannel(rt);
        // before the start, so that a failed tracker means FAULT (init) and the first advert has the tracked priority
        tracking.instanceConfigured(config.name(), config.tracks());
        rt.machine.start(rt.usable() && !groupHeld(rt));
        applyConditions(rt);
    }

    @Override
    public void updateInstance(String previousName, InstanceConfig config) {
        tracking.prepareFiles(config.tracks());
        InstanceConfig current = call(() -> instances.containsKey(previousName) ? instances.get(previousName).config : null);
        if (current != null && !Objects.equals(current.virtualInterface(), config.virtualInterface())) {
            // another use_vmac / use_ipvlan: the old instance goes (with its interface), the new one starts on its own
            removeInstance(previousName);
            addInstance(config);
            return;
        }
        call(() -> {
            InstanceRuntime rt = instances.get(previousName);
            if (rt == null) {
                add(config);
                return null;
            }
            if (!rt.config.identity().equals(config.identity())
                    || (!previousName.equals(config.name()) && instances.containsKey(config.name()))) {
                remove(previousName);
                add(config);
                return null;
            }
            InstanceConfig before = rt.config;
            if (!previousName.equals(config.name())) {
                instances.remove(previousName);
                instances.put(config.name(), rt);
                tracking.instanceRemoved(previousName);
            }
            rt.reconfigure(config);
            tracking.instanceConfigured(config.name(), config.tracks());
            if (!before.authType().equals(config.authType()) || !before.authKey().equals(config.authKey())
                    || before.version() != config.version()
                    || !java.util.Objects.equals(before.authHmac(), config.authHmac())) {
                newSession(rt);
            }
            if (rt.channel == null || !rt.desiredSpec().equals(rt.channelSpec)) {
                closeChannel(rt);
                openChannel(rt);
            }
            applyConditions(rt);
            return null;
        });
    }

    @Override
    public void removeInstance(String name) {
        removeInstance(name, false);
    }

    @Override
    public void removeInstance(String name, boolean deleted) {
        call(() -> {
            remove(name, deleted);
            return null;
        });
    }

    private void remove(String name) {
        remove(name, false);
    }

    /**
     * Stops and forgets an instance. {@code deleted}: its configuration was deleted at a reload,
     * which keepalived notifies as FAULT (DELETED with notify_deleted), never as STOP.
     */
    private void remove(String name, boolean deleted) {
        InstanceRuntime rt = instances.remove(name);
        if (rt == null) {
            return;
        }
        rt.deleting = deleted;
        tracking.instanceRemoved(name);
        rt.machine.stop();
        closeChannel(rt);
        byIdentity.remove(rt.config.identity());
        unavailableInterfaces.remove(name);
        if (rt.config.virtualInterface() != null && vipManager != null) {
            // queued after the release of the addresses that the stop queued
            vipManager.removeInterface(name, rt.config.virtualInterface());
        }
    }

    /** Stops every instance (priority 0 from masters, VIPs released); used on deactivation. */
    void stopAll() {
        call(() -> {
            for (String name : new ArrayList<>(instances.keySet())) {
                remove(name);
            }
            closeLinkWatch();
            tracking.close();
            return null;
        });
    }

    // ---- tracking -----------------------------------------------------------------------------

    /** A vrrp_script added or changed. */
    @Override
    public void addScript(ScriptSpec spec) {
        // file checks and the user lookup here, on the caller's thread, not on the election thread
        scriptSpecs.put(spec.name(), spec);
        SecuritySettings settings = security;
        if (settings != null) {
            tracking.prepare(spec, settings.enabled(), settings.user());
        }
        call(() -> {
            tracking.scriptConfigured(spec);
            return null;
        });
    }

    @Override
    public void removeScript(String name) {
        scriptSpecs.remove(name);
        call(() -> {
            tracking.scriptRemoved(name);
            return null;
        });
    }

    @Override
    public void scriptSecurity(boolean enabled, org.vigil.script.RunAs scriptUser) {
        security = new SecuritySettings(enabled, scriptUser);
        for (ScriptSpec spec : scriptSpecs.values()) {
            tracking.prepare(spec, enabled, scriptUser);
        }
        call(() -> {
            tracking.securityConfigured(enabled, scriptUser);
            return null;
        });
    }

    /** A vrrp_track_process added or changed. */
    @Override
    public void addTrackedProcess(ProcessSpec spec) {
        // the first /proc scan here, on the caller's thread, never on the election thread
        tracking.prepareProcess(spec);
        call(() -> {
            tracking.processConfigured(spec);
            return null;
        });
    }

    @Override
    public void removeTrackedProcess(String name) {
        call(() -> {
            tracking.processRemoved(name);
            return null;
        });
    }

    /** The kernel's process events appeared or went (null); any thread. */
    void processEvents(org.vigil.api.system.ProcessEvents events) {
        tracking.processEvents(events);
    }

    /** Tracking's verdict for an instance: its priority adjustment and whether it is held in FAULT. */
    private void applyTracking(String name, int adjustment, boolean fault) {
        InstanceRuntime rt = instances.get(name);
        if (rt == null) {
            return;
        }
        rt.machine.setPriorityAdjustment(adjustment);
        if (rt.trackFault != fault) {
            rt.trackFault = fault;
            applyConditions(rt);
        }
    }

    /** Sets the tracking adjustment of an instance (the hook for track_* in a later issue). */
    void setPriorityAdjustment(String name, int adjustment) {
        loop.execute(() -> {
            InstanceRuntime rt = instances.get(name);
            if (rt != null) {
                rt.machine.setPriorityAdjustment(adjustment);
            }
        });
    }

    List<InstanceStatus> instances() {
        return read(() -> instances.values().stream().map(InstanceRuntime::status).toList());
    }

    List<String> instanceNames() {
        return call(() -> List.copyOf(instances.keySet()));
    }

    Optional<InstanceStatus> instance(String name) {
        return read(() -> Optional.ofNullable(instances.get(name)).map(InstanceRuntime::status));
    }

    List<SyncGroupStatus> syncGroups() {
        return read(syncGroups::status);
    }

    List<TrackStatus> tracking(String name) {
        return call(() -> tracking.status(name));
    }

    /** An operator's FAULT (JMX): held like a failed weight-0 tracker until released. */
    void forceFault(String name, boolean fault) {
        call(() -> {
            InstanceRuntime rt = known(name);
            if (rt.forcedFault != fault) {
                rt.forcedFault = fault;
                log.line("(" + name + ") " + (fault ? "fault forced by the operator" : "operator's fault cleared"), false);
                applyConditions(rt);
            }
            return null;
        });
    }

    /** The master's gratuitous ARP / NA burst again, on the operator's request; false when not master. */
    boolean announce(String name) {
        return call(() -> {
            InstanceRuntime rt = known(name);
            VipManager vips = vipManager;
            if (rt.machine.state() != InstanceState.MASTER || vips == null) {
                return false;
            }
            vips.announce(name, rt.config.masterAnnounce());
            return true;
        });
    }

    void clearCounters() {
        read(() -> {
            instances.values().forEach(rt -> rt.machine.counters.clear());
            return null;
        });
    }

    private InstanceRuntime known(String name) {
        InstanceRuntime rt = instances.get(name);
        if (rt == null) {
            throw new IllegalArgumentException("No instance '" + name + "'; known: " + String.join(", ", instances.keySet()));
        }
        return rt;
    }

    /** Loop-confined access for tests of this package. */
    InstanceRuntime runtime(String name) {
        return instances.get(name);
    }

    // ---- transitions and sync groups ----------------------------------------------------------

    void transitioned(InstanceRuntime rt, InstanceState from, InstanceState to, boolean stopping) {
        if (stopping && rt.deleting) {
            notifier.publish(new TransitionEvent(TransitionEvent.Kind.INSTANCE, rt.config.name(), from,
                    InstanceState.FAULT, rt.machine.ownPriority(), false, Instant.now(), true));
            syncGroups.transitioned(rt, from, to, true, true);
            return;
        }
        notifier.publish(new TransitionEvent(TransitionEvent.Kind.INSTANCE, rt.config.name(), from, to,
                rt.machine.ownPriority(), stopping, Instant.now()));
        syncGroups.transitioned(rt, from, to, stopping, false);
    }

    /** A master heard a lower priority, or an effective priority changed (PriorityListener whiteboard). */
    void priorityEvent(String name, org.vigil.api.vrrp.PriorityEvent.Kind kind, int priority) {
        notifier.publish(new org.vigil.api.vrrp.PriorityEvent(name, kind, priority, Instant.now()));
    }

    void priorityListenerAdded(org.vigil.api.vrrp.PriorityListener listener) {
        notifier.add(listener);
    }

    void priorityListenerRemoved(org.vigil.api.vrrp.PriorityListener listener) {
        notifier.remove(listener);
    }

    private void applyConditions(InstanceRuntime rt) {
        syncGroups.applyConditions(rt);
    }

    private boolean groupHeld(InstanceRuntime rt) {
        return syncGroups.held(rt);
    }

    private SyncGroups.Group groupOf(String instanceName) {
        return syncGroups.groupOf(instanceName);
    }

    @Override
    public void addSyncGroup(String name, List<String> members) {
        addSyncGroup(name, members, false);
    }

    void addSyncGroup(String name, List<String> members, boolean trackingWeight) {
        addSyncGroup(name, members, trackingWeight, Tracks.NONE);
    }

    @Override
    public void addSyncGroup(String name, List<String> members, boolean trackingWeight, Tracks tracks) {
        tracking.prepareFiles(tracks);
        call(() -> {
            SyncGroups.Group group = syncGroups.put(name, members, trackingWeight, tracks);
            group.members(instances).forEach(this::applyConditions);
            tracking.groupsChanged();
            return null;
        });
    }

    @Override
    public void removeSyncGroup(String name) {
        call(() -> {
            SyncGroups.Group group = syncGroups.remove(name);
            if (group != null) {
                group.members(instances).forEach(this::applyConditions);
                tracking.groupsChanged();
            }
            return null;
        });
    }

    // ---- loop calls ---------------------------------------------------------------------------

    /**
     * {@link #call} for what reads states or counters: the adverts the receive path queued
     * without waking the loop count first, so the answer is as of now (ReceivePath.Channel#received).
     */
    private <T> T read(Supplier<T> task) {
        return call(() -> {
            receivePath.drainQuiet();
            return task.get();
        });
    }

    /** Runs on the loop and waits for the result, with a deadline; runs inline when on the loop. */
    <T> T call(Supplier<T> task) {
        // a stopped loop runs nothing that could race the caller: a DS unbind during shutdown
        // (the VIP manager's, after the core stopped its loop) must not wait out the timeout
        if (loop.inLoop() || loop.stopped()) {
            return task.get();
        }
        CompletableFuture<T> result = new CompletableFuture<>();
        loop.execute(() -> {
            try {
                result.complete(task.get());
            } catch (RuntimeException | Error e) {
                result.completeExceptionally(e);
            }
        });
        try {
            return result.get(callTimeoutMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted waiting for the election loop", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(cause);
        } catch (TimeoutException e) {
            throw new IllegalStateException("the election loop did not answer within " + callTimeoutMillis + " ms", e);
        }
    }
}
