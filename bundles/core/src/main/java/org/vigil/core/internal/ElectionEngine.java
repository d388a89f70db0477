package org.vigil.core.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import org.vigil.api.auth.AhSession;
import org.vigil.api.auth.AuthType;
import org.vigil.api.auth.Authenticator;
import org.vigil.api.driver.InterfaceDriver;
import org.vigil.api.driver.LinkInfo;
import org.vigil.api.driver.PacketChannel;
import org.vigil.api.driver.ReceivedPacket;
import org.vigil.api.vip.VipManager;
import org.vigil.api.vip.VirtualAddress;
import org.vigil.api.vrrp.InstanceState;
import org.vigil.api.vrrp.InstanceStatus;
import org.vigil.api.vrrp.IpFamily;
import org.vigil.api.vrrp.TransitionEvent;
import org.vigil.api.vrrp.TransitionListener;
import org.vigil.codec.DecodeStatus;
import org.vigil.codec.DecodedAdvert;
import org.vigil.codec.VrrpCodec;

/**
 * The election core without OSGi: instances, the bound services, the receive path and sync
 * groups, all confined to one {@link Loop}. Public methods may be called from any thread; they
 * post to the loop. {@link ElectionCore} is the DS shell around it.
 */
final class ElectionEngine implements InstanceRegistry {
    /** Received packets waiting for the loop; beyond this a flood is dropped, never queued. */
    static final int MAX_PENDING_PACKETS = 4096;

    static final String DROP_VERSION = "VERSION_MISMATCH";
    static final String DROP_AUTH = "AUTH_FAILED";
    static final String DROP_INTERVAL = "INTERVAL_MISMATCH";
    static final String DROP_PROTOCOL = "UNSUPPORTED_PROTOCOL";
    /** AH where none is configured or none where AH is (keepalived's authtype_mismatch). */
    static final String DROP_AUTH_TYPE = "AUTH_TYPE_MISMATCH";
    /** An AH header whose next header is not VRRP: keepalived ignores it silently. */
    static final String DROP_AH_NOT_VRRP = "AH_NOT_VRRP";

    private final Loop loop;
    private final VrrpLog log;
    private final Notifier notifier;
    private final long callTimeoutMillis;

    // loop-confined
    private final Map<String, InstanceRuntime> instances = new TreeMap<>();
    private final Map<InstanceConfig.Identity, InstanceRuntime> byIdentity = new HashMap<>();
    private final Map<AuthType, Authenticator> authenticators = new EnumMap<>(AuthType.class);
    private final Map<String, SyncGroup> syncGroups = new LinkedHashMap<>();
    private final Map<String, Boolean> linkState = new HashMap<>();
    private final DecodedAdvert decoded = new DecodedAdvert();
    private final byte[] sendBuffer = new byte[VrrpCodec.MAX_LENGTH];
    private InterfaceDriver driver;
    private AutoCloseable linkWatch;
    private boolean propagating;

    private final Tracking tracking;

    private volatile VipManager vipManager;
    private volatile String driverName;
    private final AtomicInteger pendingPackets = new AtomicInteger();
    private final AtomicLong unknownVrid = new AtomicLong();
    private final AtomicLong overflowDrops = new AtomicLong();

    ElectionEngine(Loop loop, VrrpLog log, Notifier notifier, long callTimeoutMillis) {
        this.loop = loop;
        this.log = log;
        this.notifier = notifier;
        this.callTimeoutMillis = callTimeoutMillis;
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
                SyncGroup group = groupOf(instance);
                return group != null && !group.trackingWeight;
            }

            @Override
            public Tracks groupTracks(String instance) {
                SyncGroup group = groupOf(instance);
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

    long unknownVridCount() {
        return unknownVrid.get();
    }

    long overflowDropCount() {
        return overflowDrops.get();
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
            instances.values().forEach(InstanceRuntime::closeChannel);
            log.line("No interface driver: every instance is in FAULT until one appears", false);
            return;
        }
        linkWatch = next.watchLinks((iface, up) -> loop.execute(() -> linkChanged(iface, up)));
        for (InstanceRuntime rt : instances.values()) {
            rt.closeChannel();
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
        String iface = rt.config.interfaceName();
        Optional<LinkInfo> link = driver.link(iface);
        if (link.isEmpty()) {
            rt.machine.logLimited("no-interface", "interface " + iface + " not found");
            return;
        }
        rt.linkUp = linkState.getOrDefault(iface, link.get().up());
        try {
            rt.channelSpec = rt.desiredSpec();
            InstanceRuntime target = rt;
            rt.channel = driver.open(rt.channelSpec, packet -> received(target, packet));
        } catch (IOException | RuntimeException e) {
            rt.channel = null;
            rt.channelSpec = null;
            rt.machine.logLimited("open-failed", "cannot open a channel on " + iface + ": " + e);
        }
    }

    private void linkChanged(String iface, boolean up) {
        Boolean before = linkState.put(iface, up);
        if (before != null && before == up) {
            return;
        }
        log.line("Netlink reports " + iface + (up ? " up" : " down"), false);
        for (InstanceRuntime rt : instances.values()) {
            if (rt.config.interfaceName().equals(iface)) {
                rt.linkUp = up;
                if (up && rt.channel == null) {
                    openChannel(rt);
                }
                applyConditions(rt);
            }
        }
        tracking.linkChanged(iface);
    }

    void vipManagerBound(VipManager manager) {
        vipManager = manager;
    }

    void vipManagerUnbound(VipManager manager) {
        if (vipManager == manager) {
            vipManager = null;
        }
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

    private void newSession(InstanceRuntime rt) {
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
                    || before.version() != config.version()) {
                newSession(rt);
            }
            if (rt.channel == null || !rt.desiredSpec().equals(rt.channelSpec)) {
                rt.closeChannel();
                openChannel(rt);
            }
            applyConditions(rt);
            return null;
        });
    }

    @Override
    public void removeInstance(String name) {
        call(() -> {
            remove(name);
            return null;
        });
    }

    private void remove(String name) {
        InstanceRuntime rt = instances.remove(name);
        if (rt == null) {
            return;
        }
        tracking.instanceRemoved(name);
        rt.machine.stop();
        rt.closeChannel();
        byIdentity.remove(rt.config.identity());
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
        call(() -> {
            tracking.scriptConfigured(spec);
            return null;
        });
    }

    @Override
    public void removeScript(String name) {
        call(() -> {
            tracking.scriptRemoved(name);
            return null;
        });
    }

    @Override
    public void scriptSecurity(boolean enabled, String scriptUser) {
        call(() -> {
            tracking.securityConfigured(enabled, scriptUser);
            return null;
        });
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
        return call(() -> instances.values().stream().map(rt -> rt.machine.status()).toList());
    }

    Optional<InstanceStatus> instance(String name) {
        return call(() -> Optional.ofNullable(instances.get(name)).map(rt -> rt.machine.status()));
    }

    /** Loop-confined access for tests of this package. */
    InstanceRuntime runtime(String name) {
        return instances.get(name);
    }

    // ---- receive path -------------------------------------------------------------------------

    /** On a driver thread: hand over to the loop, never block; a flood beyond the queue is dropped. */
    private void received(InstanceRuntime rt, ReceivedPacket packet) {
        if (pendingPackets.incrementAndGet() > MAX_PENDING_PACKETS) {
            pendingPackets.decrementAndGet();
            overflowDrops.incrementAndGet();
            return;
        }
        loop.execute(() -> {
            pendingPackets.decrementAndGet();
            process(rt, packet);
        });
    }

    /** On the loop: every receive check, then the state machine. A failed check only counts. */
    void process(InstanceRuntime channelOwner, ReceivedPacket p) {
        if (instances.get(channelOwner.config.name()) != channelOwner || channelOwner.channel == null) {
            return; // removed, or the packet of a channel closed since
        }
        // AH (keepalived-behaviour.md a.4): the VRRP packet follows the 24-byte AH header
        boolean ah = p.protocol() == AhSession.IP_PROTOCOL;
        int vrrpOffset = p.offset() + (ah ? AhSession.AH_LENGTH : 0);
        int vrrpLength = p.length() - (ah ? AhSession.AH_LENGTH : 0);
        if (vrrpLength < 2) {
            unknownVrid.incrementAndGet();
            return;
        }
        int vrid = p.data()[vrrpOffset + 1] & 0xff;
        String iface = p.interfaceName() != null ? p.interfaceName() : channelOwner.config.interfaceName();
        InstanceRuntime rt = byIdentity.get(new InstanceConfig.Identity(vrid, channelOwner.config.family(), iface));
        if (rt == null) {
            // RFC 5798 section 7.1: not our VRID; counted, silent
            unknownVrid.incrementAndGet();
            return;
        }
        if (rt != channelOwner) {
            return; // that instance's own channel delivers it
        }
        InetAddress local = rt.localAddress();
        if (local != null && local.equals(p.source())) {
            return; // our own advert looped back by the driver
        }
        InstanceConfig cfg = rt.config;
        String from = p.source() == null ? "?" : p.source().getHostAddress();
        if (!ah && p.protocol() != VrrpCodec.IP_PROTOCOL) {
            drop(rt, DROP_PROTOCOL, "received IP protocol " + p.protocol() + " from " + from);
            return;
        }
        if (ah != rt.usesAh()) {
            // keepalived checks this before anything else of the packet
            drop(rt, DROP_AUTH_TYPE, ah ? "Received AH header but auth type not AH" : "No AH header but auth type is AH");
            return;
        }
        if (ah && (p.data()[p.offset()] & 0xff) != VrrpCodec.IP_PROTOCOL) {
            // keepalived ignores "an AH header for some other protocol" without a word; we count it
            drop(rt, DROP_AH_NOT_VRRP, "IPSEC-AH : next header " + (p.data()[p.offset()] & 0xff) + " is not VRRP - ignoring");
            return;
        }
        byte[] src = p.source() == null ? new byte[cfg.family() == IpFamily.IPV4 ? 4 : 16] : p.source().getAddress();
        byte[] dst = p.destination() == null ? rt.desiredSpec().group() == null ? src
                : rt.desiredSpec().group().getAddress() : p.destination().getAddress();
        // keepalived checks TTL 255 only on multicast: routed unicast peers arrive with less
        int ttl = cfg.unicast() ? VrrpCodec.TTL : p.ttl();
        DecodeStatus status = VrrpCodec.decode(p.data(), vrrpOffset, vrrpLength, cfg.family() == IpFamily.IPV6, src,
                dst, ttl, decoded);
        if (status != DecodeStatus.OK) {
            drop(rt, status.name(), decodeReason(status, from, cfg));
            return;
        }
        if (decoded.version() != cfg.version()) {
            drop(rt, DROP_VERSION, "wrong version. Received " + decoded.version() + " and expect " + cfg.version());
            return;
        }
        if (cfg.version() == 2) {
            String reason = rt.session == null ? "no authenticator for " + cfg.authType()
                    : rt.session.check(decoded.authType(), decoded.buffer(), decoded.authDataOffset());
            if (reason != null) {
                drop(rt, DROP_AUTH, reason);
                return;
            }
            if (ah) {
                // last of the auth checks, as in keepalived: only an advert that passes raises the replay counter
                String ahReason = rt.session instanceof AhSession s
                        ? s.verify(p.protocol(), p.ipHeader(), p.data(), p.offset(), p.length(), cfg.unicast())
                        : "no AH session";
                if (ahReason != null) {
                    drop(rt, DROP_AUTH, ahReason);
                    return;
                }
            }
            if (decoded.advertIntervalCs() != cfg.advertIntervalCs()) {
                // RFC 3768 section 7.1: MUST drop
                drop(rt, DROP_INTERVAL, "advertisement interval mismatch mine=" + cfg.advertIntervalCs() / 100
                        + " sec rcv'd=" + decoded.advertIntervalCs() / 100 + " sec");
                return;
            }
        }
        if (decoded.priority() != VrrpCodec.PRIORITY_STOP) {
            checkAddressList(rt);
        }
        rt.machine.onAdvert(decoded.priority(), decoded.advertIntervalCs(), p.source(), src);
    }

    /** Logged and counted but processed, as keepalived does (RFC 5798 section 7.1: SHOULD log). */
    private void checkAddressList(InstanceRuntime rt) {
        List<VirtualAddress> ours = rt.config.virtualAddresses();
        boolean mismatch = false;
        if (decoded.addressCount() != ours.size()) {
            mismatch = true;
            rt.machine.logLimited("address-count",
                    "expected " + ours.size() + " VIPs but received " + decoded.addressCount());
        }
        for (VirtualAddress vip : ours) {
            if (!decoded.containsAddress(vip.address().getAddress())) {
                mismatch = true;
                rt.machine.logLimited("address-missing:" + vip.address().getHostAddress(),
                        "ip address associated with VRID " + rt.config.vrid() + " not present in MASTER advert: "
                                + vip.address().getHostAddress());
            }
        }
        if (mismatch) {
            rt.machine.counters.addressListMismatch++;
        }
    }

    private static String decodeReason(DecodeStatus status, String from, InstanceConfig cfg) {
        return switch (status) {
            case BAD_CHECKSUM -> "Invalid VRRPv" + cfg.version() + " checksum from " + from;
            case BAD_TTL -> "invalid TTL/HL. Received from " + from;
            case BAD_VERSION -> "wrong version from " + from;
            default -> "dropped advert from " + from + ": " + status;
        };
    }

    private void drop(InstanceRuntime rt, String reason, String line) {
        rt.machine.counters.drop(reason);
        rt.machine.logLimited("drop:" + reason, line);
    }

    // ---- transitions and sync groups ----------------------------------------------------------

    void transitioned(InstanceRuntime rt, InstanceState from, InstanceState to, boolean stopping) {
        notifier.publish(new TransitionEvent(TransitionEvent.Kind.INSTANCE, rt.config.name(), from, to,
                rt.machine.ownPriority(), stopping, Instant.now()));
        SyncGroup group = groupOf(rt.config.name());
        if (group == null || stopping) {
            return;
        }
        if (!propagating) {
            propagating = true;
            try {
                for (InstanceRuntime other : group.members(instances)) {
                    if (other == rt) {
                        continue;
                    }
                    if (to == InstanceState.MASTER) {
                        other.machine.followMaster();
                    } else if (to == InstanceState.BACKUP && from == InstanceState.MASTER) {
                        other.machine.followBackup();
                    }
                }
            } finally {
                propagating = false;
            }
        }
        publishGroupStateIfSettled(group);
    }

    private void publishGroupStateIfSettled(SyncGroup group) {
        List<InstanceRuntime> members = group.members(instances);
        if (members.isEmpty()) {
            return;
        }
        InstanceState common = members.get(0).machine.state();
        for (InstanceRuntime m : members) {
            if (m.machine.state() != common) {
                return;
            }
        }
        if (common != group.published) {
            InstanceState before = group.published;
            group.published = common;
            notifier.publish(new TransitionEvent(TransitionEvent.Kind.GROUP, group.name, before, common, 0, false,
                    Instant.now()));
        }
    }

    /** Recomputes FAULT conditions of the instance and, if grouped, of its whole group. */
    private void applyConditions(InstanceRuntime rt) {
        SyncGroup group = groupOf(rt.config.name());
        if (group == null) {
            rt.machine.setConditions(rt.usable(), false);
            return;
        }
        boolean held = groupHeld(rt);
        for (InstanceRuntime m : group.members(instances)) {
            m.machine.setConditions(m.usable(), held);
        }
    }

    /** Whether any member of the instance's group cannot run (keepalived: one FAULT, all FAULT). */
    private boolean groupHeld(InstanceRuntime rt) {
        SyncGroup group = groupOf(rt.config.name());
        if (group == null) {
            return false;
        }
        for (InstanceRuntime m : group.members(instances)) {
            if (!m.usable()) {
                return true;
            }
        }
        return false;
    }

    private SyncGroup groupOf(String instanceName) {
        for (SyncGroup g : syncGroups.values()) {
            if (g.memberNames.contains(instanceName)) {
                return g;
            }
        }
        return null;
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
        call(() -> {
            SyncGroup group = new SyncGroup(name, members, trackingWeight, tracks);
            syncGroups.put(name, group);
            group.members(instances).forEach(this::applyConditions);
            tracking.groupsChanged();
            return null;
        });
    }

    @Override
    public void removeSyncGroup(String name) {
        call(() -> {
            SyncGroup group = syncGroups.remove(name);
            if (group != null) {
                group.members(instances).forEach(this::applyConditions);
                tracking.groupsChanged();
            }
            return null;
        });
    }

    static final class SyncGroup {
        final String name;
        final List<String> memberNames;
        /** sync_group_tracking_weight: members keep their trackers' weights. */
        final boolean trackingWeight;
        final Tracks tracks;
        InstanceState published = InstanceState.INIT;

        SyncGroup(String name, List<String> memberNames, boolean trackingWeight, Tracks tracks) {
            this.name = Objects.requireNonNull(name);
            this.memberNames = List.copyOf(memberNames);
            this.trackingWeight = trackingWeight;
            this.tracks = tracks == null ? Tracks.NONE : tracks;
        }

        List<InstanceRuntime> members(Map<String, InstanceRuntime> instances) {
            List<InstanceRuntime> out = new ArrayList<>();
            for (String n : memberNames) {
                InstanceRuntime rt = instances.get(n);
                if (rt != null) {
                    out.add(rt);
                }
            }
            return out;
        }
    }

    // ---- loop calls ---------------------------------------------------------------------------

    /** Runs on the loop and waits for the result, with a deadline; runs inline when on the loop. */
    <T> T call(Supplier<T> task) {
        if (loop.inLoop()) {
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
