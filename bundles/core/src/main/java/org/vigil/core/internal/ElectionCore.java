package org.vigil.core.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;

import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.ComponentServiceObjects;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.vigil.api.auth.Authenticator;
import org.vigil.api.auth.HmacAuthenticator;
import org.vigil.api.driver.InterfaceDriver;
import org.vigil.api.metrics.MetricSource;
import org.vigil.api.metrics.MetricWriter;
import org.vigil.api.system.ProcessTuning;
import org.vigil.api.vip.VipManager;
import org.vigil.api.vrrp.DriverInfo;
import org.vigil.api.vrrp.InstanceStatus;
import org.vigil.api.vrrp.SyncGroupStatus;
import org.vigil.api.vrrp.TrackStatus;
import org.vigil.api.vrrp.TransitionListener;
import org.vigil.api.vrrp.VrrpService;

/**
 * The election core as a DS component: one election thread for every instance, the driver,
 * VIP manager and authenticators bound dynamically so that they can be swapped at run time
 * without deactivating the core (ARCHITECTURE, swap contract).
 */
@Component(service = { VrrpService.class, InstanceRegistry.class, MetricSource.class }, immediate = true)
public class ElectionCore implements VrrpService, InstanceRegistry, MetricSource {
    /** How long management calls and deactivation wait for the loop. */
    static final long CALL_TIMEOUT_MILLIS = 5_000;

    /** Framework property naming the one driver to use ("linux", "pcap", "sim"); unset = highest ranking. */
    static final String DRIVER_PROPERTY = "vigil.driver";

    private final NavigableMap<ServiceReference<InterfaceDriver>, DriverService> drivers = new TreeMap<>();
    /** Driver switches posted to the loop; guarded by {@link #drivers}. */
    private long switches;
    /** The framework property's choice: what {@link #selectDriver(String) selectDriver(null)} returns to. */
    private final String defaultDriverTarget;
    /** The driver name to use, or null for the highest ranking; guarded by {@link #drivers}. */
    private String driverTarget;
    /** Framework property naming the one VIP manager to use ("netlink", "sim"). */
    static final String VIP_PROPERTY = "vigil.vip";
    private final NavigableMap<ServiceReference<VipManager>, VipManager> vipManagers = new TreeMap<>();
    private final String vipTarget;
    private VipManager selectedVipManager;
    private InterfaceDriver selectedDriver;
    private final ElectionLoop loop;
    private final Notifier notifier;
    private final ElectionEngine engine;
    private ProcessTuning tuning;
    private org.vigil.api.system.ProcessEvents processEvents;
    private SchedulingSettings scheduling = SchedulingSettings.NONE;
    /** What was applied last, so a reload with the same values changes nothing. */
    private SchedulingSettings applied = SchedulingSettings.NONE;
    /** False from deactivation on, when the loop no longer answers. */
    private volatile boolean running = true;

    @Activate
    public ElectionCore(BundleContext context) {
        boolean detail = Boolean.parseBoolean(context.getProperty(VrrpLog.DETAIL_PROPERTY));
        loop = new ElectionLoop("vigil-election");
        notifier = new Notifier();
        engine = new ElectionEngine(loop, VrrpLog.slf4j(detail), notifier, CALL_TIMEOUT_MILLIS);
        String target = context.getProperty(DRIVER_PROPERTY);
        defaultDriverTarget = target == null || target.isBlank() ? null : target.trim();
        driverTarget = defaultDriverTarget;
        String vip = context.getProperty(VIP_PROPERTY);
        vipTarget = vip == null || vip.isBlank() ? null : vip.trim();
    }

    @Deactivate
    void deactivate() {
        running = false;
        try {
            engine.stopAll();
        } catch (IllegalStateException e) {
            org.slf4j.LoggerFactory.getLogger(ElectionCore.class).warn("Stopping instances timed out", e);
        }
        loop.stop(CALL_TIMEOUT_MILLIS);
        notifier.close(CALL_TIMEOUT_MILLIS);
    }

    /**
     * Every driver present, ordered by service ranking. The core sees them all (not one GREEDY
     * reference) because the active one is chosen by ranking or by name (framework property
     * {@value #DRIVER_PROPERTY}, e.g. "sim" for the demo on a host that also has the Linux
     * driver); the engine keeps state, timers and counters across a change (swap contract).
     *
     * <p>Ranking and name are read from the service properties, and only the selected driver's
     * service object is got: a driver the core does not use is never activated (the pcap driver
     * does not load libpcap beside the Linux driver), and one it stops using is released after
     * the instances have left it, so SCR deactivates it. A driver whose activation fails (SCR
     * gives no service object) is passed over until it is registered or configured again, or
     * the operator names it.
     */
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindDriver(ServiceReference<InterfaceDriver> reference, ComponentServiceObjects<InterfaceDriver> objects) {
        synchronized (drivers) {
            drivers.put(reference, new DriverService(objects));
        }
        selectDriver();
        awaitSwitch();
    }

    void updatedDriver(ServiceReference<InterfaceDriver> reference) {
        synchronized (drivers) {
            // the ranking is part of the key's order: sort again
            List<Map.Entry<ServiceReference<InterfaceDriver>, DriverService>> all = new ArrayList<>(drivers.entrySet());
            drivers.clear();
            all.forEach(e -> drivers.put(e.getKey(), e.getValue()));
            DriverService d = drivers.get(reference);
            if (d != null) {
                d.failed = false;
            }
        }
        selectDriver();
        awaitSwitch();
    }

    void unbindDriver(ServiceReference<InterfaceDriver> reference) {
        DriverService gone = null;
        synchronized (drivers) {
            // by identity, not by the key's order: its ranking may have changed
            for (var it = drivers.entrySet().iterator(); it.hasNext();) {
                var e = it.next();
                if (e.getKey().equals(reference)) {
                    gone = e.getValue();
                    it.remove();
                    break;
                }
            }
        }
        selectDriver();
        // SCR deactivates the driver once this returns: the instances must be on the next one by then
        awaitSwitch();
        if (gone != null) {
            synchronized (drivers) {
                gone.release();
            }
        }
    }

    /**
     * Waits until the loop has moved the instances to the driver just selected, so that a swap is
     * complete when the service event (or the operator's command) returns; then releases the
     * drivers the instances have left.
     */
    private void awaitSwitch() {
        if (!running) {
            return;
        }
        long posted;
        synchronized (drivers) {
            posted = switches;
        }
        engine.awaitLoop();
        synchronized (drivers) {
            for (DriverService d : drivers.values()) {
                if (d.service != null && d.service != selectedDriver && d.leftAt > 0 && d.leftAt <= posted) {
                    d.release();
                }
            }
        }
    }

    /** The {@value InterfaceDriver#NAME_PROPERTY} property, else (a driver without it) its name(). */
    private static String name(ServiceReference<InterfaceDriver> reference, DriverService d) {
        Object name = reference.getProperty(InterfaceDriver.NAME_PROPERTY);
        return name instanceof String s ? s : d.service != null ? d.service.name() : null;
    }

    private void selectDriver() {
        if (!running) {
            // deactivated: SCR unbinds the drivers one by one, none may be activated for a core that stopped
            return;
        }
        synchronized (drivers) {
            // The selected name is a preference, not a requirement (swap contract): while its
            // driver is absent the best remaining one carries the instances, and the selected one
            // takes over again when it comes back. FAULT only when no driver is present at all.
            InterfaceDriver best = null;
            DriverService bestService = null;
            // ServiceReference order: higher ranking (then lower service id) compares greater
            if (driverTarget != null) {
                for (var e : drivers.descendingMap().entrySet()) {
                    if (driverTarget.equals(name(e.getKey(), e.getValue())) && e.getValue().get() != null) {
                        bestService = e.getValue();
                        break;
                    }
                }
            }
            if (bestService == null) {
                for (DriverService d : drivers.descendingMap().values()) {
                    if (d.get() != null) {
                        bestService = d;
                        break;
                    }
                }
            }
            if (bestService != null) {
                best = bestService.service;
                bestService.leftAt = 0;
            }
            if (best == selectedDriver) {
                return;
            }
            InterfaceDriver previous = selectedDriver;
            selectedDriver = best;
            switches++;
            for (DriverService d : drivers.values()) {
                if (d.service == previous && previous != null) {
                    d.leftAt = switches;
                }
            }
            if (best != null) {
                engine.driverBound(best);
            } else {
                engine.driverUnbound(previous);
            }
            boolean swap = previous != null && best != null;
            if (!swap || selectedVipManager == null || !vipManagers.containsValue(selectedVipManager)) {
                // on a swap the VIP manager holding the addresses stays (swap contract: VIPs are kept)
                selectVipManager();
            }
        }
    }

    /**
     * Every VIP manager present. The active one is named by the framework property
     * {@value #VIP_PROPERTY}; unset, the one named like the selected driver wins (the simulated
     * LAN's recorder with the sim driver, so a demo never touches the host's addresses), else the
     * highest ranked (netlink on Linux).
     */
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindVipManager(ServiceReference<VipManager> reference, VipManager manager) {
        synchronized (drivers) {
            vipManagers.put(reference, manager);
        }
        selectVipManager();
    }

    void updatedVipManager(ServiceReference<VipManager> reference, VipManager manager) {
        selectVipManager();
    }

    void unbindVipManager(ServiceReference<VipManager> reference, VipManager manager) {
        synchronized (drivers) {
            vipManagers.remove(reference);
        }
        selectVipManager();
    }

    private void selectVipManager() {
        synchronized (drivers) {
            String wanted = vipTarget != null ? vipTarget : selectedDriver != null ? selectedDriver.name() : null;
            VipManager best = null;
            for (var e : vipManagers.descendingMap().entrySet()) {
                if (wanted != null && wanted.equals(e.getKey().getProperty(VipManager.NAME_PROPERTY))) {
                    best = e.getValue();
                    break;
                }
            }
            if (best == null && vipTarget == null && !vipManagers.isEmpty()) {
                best = vipManagers.lastEntry().getValue();
            }
            if (best == selectedVipManager) {
                return;
            }
            VipManager previous = selectedVipManager;
            selectedVipManager = best;
            if (best != null) {
                engine.vipManagerBound(best);
            } else {
                engine.vipManagerUnbound(previous);
            }
        }
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void bindAuthenticator(Authenticator authenticator) {
        engine.authenticatorAdded(authenticator);
    }

    void unbindAuthenticator(Authenticator authenticator) {
        engine.authenticatorRemoved(authenticator);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    void bindHmacAuthenticator(HmacAuthenticator authenticator) {
        engine.hmacAuthenticatorAdded(authenticator);
    }

    void unbindHmacAuthenticator(HmacAuthenticator authenticator) {
        engine.hmacAuthenticatorRemoved(authenticator);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void bindTransitionListener(TransitionListener listener) {
        engine.listenerAdded(listener);
    }

    void unbindTransitionListener(TransitionListener listener) {
        engine.listenerRemoved(listener);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    synchronized void bindProcessTuning(ProcessTuning t) {
        tuning = t;
        applied = SchedulingSettings.NONE;
        applyScheduling();
    }

    synchronized void unbindProcessTuning(ProcessTuning t) {
        if (tuning == t) {
            tuning = null;
        }
    }

    /** Returns once the loop has run what was posted before (tests). */
    void awaitLoopForTests() {
        engine.awaitLoop();
    }

    @Override
    public synchronized void scheduling(SchedulingSettings settings) {
        scheduling = settings;
        applyScheduling();
    }

    /**
     * On the election thread itself: SCHED_RR and nice apply to the calling thread (one Linux
     * task), the memory lock and the rlimit to the process. Failures are logged, never fatal:
     * the election runs on with the JVM's defaults.
     */
    private void applyScheduling() {
        SchedulingSettings s = scheduling;
        ProcessTuning t = tuning;
        if (!s.any() || s.equals(applied)) {
            return;
        }
        org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(VrrpLog.LOGGER_NAME);
        if (t == null) {
            // the native layer (driver-linux) may bind later: applied then
            log.debug("scheduling settings waiting for a native layer");
            return;
        }
        SchedulingSettings apply = s;
        applied = s;
        loop.execute(() -> {
            try {
                if (apply.rlimitRttimeMicros() != null) {
                    t.limitRealtimeMicros(apply.rlimitRttimeMicros());
                }
                if (apply.realtimePriority() != null) {
                    try {
                        t.realtimeIoThreads(apply.realtimePriority());
                        t.realtimeCurrentThread(apply.realtimePriority());
                        log.info("Election thread set to realtime priority {} (SCHED_RR{})", apply.realtimePriority(),
                                apply.realtimeByDefault() ? ", Vigil's default; vrrp_rt_priority 0 turns it off" : "");
                    } catch (java.io.IOException | RuntimeException e) {
                        if (!apply.realtimeByDefault()) {
                            throw e;
                        }
                        log.info("Election thread left to the normal scheduler: realtime priority {} is not permitted"
                                + " ({}; needs root, CAP_SYS_NICE or an RLIMIT_RTPRIO of at least {})",
                                apply.realtimePriority(), e.getMessage(), apply.realtimePriority());
                    }
                }
                if (apply.niceness() != null) {
                    // keepalived's vrrp_priority is its whole VRRP process's: the receive threads too
                    t.niceCurrentThread(apply.niceness());
                    t.niceIoThreads(apply.niceness());
                    log.info("Election thread set to priority (nice) {}", apply.niceness());
                }
                if (apply.noSwap()) {
                    t.lockMemory();
                    log.info("Memory locked (vrrp_no_swap)");
                }
            } catch (java.io.IOException | RuntimeException e) {
                log.warn("Unable to apply the scheduling settings: {}", e.getMessage());
            }
        });
    }

    // ---- VrrpService --------------------------------------------------------------------------

    @Override
    public List<InstanceStatus> instances() {
        return engine.instances();
    }

    @Override
    public List<String> instanceNames() {
        return engine.instanceNames();
    }

    @Override
    public Optional<InstanceStatus> instance(String name) {
        return engine.instance(name);
    }

    @Override
    public Optional<String> activeDriver() {
        return engine.activeDriver();
    }

    @Override
    public List<DriverInfo> drivers() {
        synchronized (drivers) {
            List<DriverInfo> out = new ArrayList<>();
            for (var e : drivers.descendingMap().entrySet()) {
                if (e.getValue().failed) {
                    continue; // as before lazy activation: a driver that cannot start is not there
                }
                Object ranking = e.getKey().getProperty(Constants.SERVICE_RANKING);
                String name = name(e.getKey(), e.getValue());
                out.add(new DriverInfo(name == null ? "?" : name, ranking instanceof Integer r ? r : 0,
                        e.getValue().service != null && e.getValue().service == selectedDriver));
            }
            return out;
        }
    }

    /** Takes effect before returning, so that the caller reads the new driver in {@link #activeDriver()}. */
    @Override
    public void selectDriver(String nameOrNull) {
        String name = nameOrNull == null || nameOrNull.isBlank() ? defaultDriverTarget : nameOrNull.trim();
        synchronized (drivers) {
            driverTarget = name;
            // the operator's choice tries a driver whose activation failed once more
            drivers.forEach((reference, d) -> {
                if (name != null && name.equals(reference.getProperty(InterfaceDriver.NAME_PROPERTY))) {
                    d.failed = false;
                }
            });
        }
        selectDriver();
        awaitSwitch();
    }

    @Override
    public Optional<String> selectedDriver() {
        synchronized (drivers) {
            return Optional.ofNullable(driverTarget);
        }
    }

    @Override
    public List<SyncGroupStatus> syncGroups() {
        return engine.syncGroups();
    }

    @Override
    public List<TrackStatus> tracking(String instance) {
        return engine.tracking(instance);
    }

    @Override
    public void forceFault(String instance, boolean fault) {
        engine.forceFault(instance, fault);
    }

    @Override
    public boolean announce(String instance) {
        return engine.announce(instance);
    }

    @Override
    public void clearCounters() {
        engine.clearCounters();
    }

    // ---- MetricSource -------------------------------------------------------------------------

    /** The timer lateness histograms (the rest of the VRRP families come from the metrics bundle). */
    @Override
    public void collect(MetricWriter out) {
        out.family("vigil_vrrp_timer_lateness_seconds", MetricWriter.Type.HISTOGRAM,
                "How late the election thread ran a timer after its deadline (early wake-ups count as 0)");
        out.histogram(engine.advertLateness.snapshot(), "timer", "advert");
        out.histogram(engine.masterDownLateness.snapshot(), "timer", "master_down");
    }

    // ---- InstanceRegistry ---------------------------------------------------------------------

    @Override
    public void addInstance(InstanceConfig config) {
        engine.addInstance(config);
    }

    @Override
    public void updateInstance(String previousName, InstanceConfig config) {
        engine.updateInstance(previousName, config);
    }

    @Override
    public void removeInstance(String name) {
        engine.removeInstance(name);
    }

    @Override
    public void addSyncGroup(String name, List<String> members) {
        engine.addSyncGroup(name, members);
    }

    @Override
    public void addSyncGroup(String name, List<String> members, boolean trackingWeight, Tracks tracks) {
        engine.addSyncGroup(name, members, trackingWeight, tracks);
    }

    @Override
    public void removeSyncGroup(String name) {
        engine.removeSyncGroup(name);
    }

    @Override
    public void addScript(ScriptSpec spec) {
        engine.addScript(spec);
    }

    @Override
    public void removeScript(String name) {
        engine.removeScript(name);
    }

    @Override
    public void removeInstance(String name, boolean deleted) {
        engine.removeInstance(name, deleted);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void bindPriorityListener(org.vigil.api.vrrp.PriorityListener listener) {
        engine.priorityListenerAdded(listener);
    }

    void unbindPriorityListener(org.vigil.api.vrrp.PriorityListener listener) {
        engine.priorityListenerRemoved(listener);
    }

    @Override
    public void addTrackedProcess(ProcessSpec spec) {
        engine.addTrackedProcess(spec);
    }

    @Override
    public void removeTrackedProcess(String name) {
        engine.removeTrackedProcess(name);
    }

    /** The kernel's process events for vrrp_track_process (driver-linux provides them). */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    synchronized void bindProcessEvents(org.vigil.api.system.ProcessEvents events) {
        processEvents = events;
        engine.processEvents(events);
    }

    synchronized void unbindProcessEvents(org.vigil.api.system.ProcessEvents events) {
        // a greedy replacement binds the new one before this unbind of the old one
        if (processEvents == events) {
            processEvents = null;
            engine.processEvents(null);
        }
    }

    @Override
    public void scriptSecurity(boolean enabled, org.vigil.script.RunAs scriptUser) {
        engine.scriptSecurity(enabled, scriptUser);
    }

    /** A registered driver; its service object is got only when the core selects it. Guarded by {@link #drivers}. */
    private static final class DriverService {
        final ComponentServiceObjects<InterfaceDriver> objects;
        /** Null until selected, and again once released. */
        InterfaceDriver service;
        /** SCR gave no service object (its activation failed). */
        boolean failed;
        /** The switch ({@link #switches}) that moved the instances off it; 0 while selected or never. */
        long leftAt;

        DriverService(ComponentServiceObjects<InterfaceDriver> objects) {
            this.objects = objects;
        }

        /** The service object, activating the driver the first time; null when its activation fails. */
        InterfaceDriver get() {
            if (service == null && !failed) {
                try {
                    service = objects.getService();
                } catch (IllegalStateException e) {
                    service = null; // unregistered meanwhile
                }
                failed = service == null;
            }
            return service;
        }

        void release() {
            InterfaceDriver s = service;
            service = null;
            leftAt = 0;
            if (s != null) {
                try {
                    objects.ungetService(s);
                } catch (IllegalStateException | IllegalArgumentException e) {
                    // already released by SCR (the reference or the core went away)
                }
            }
        }
    }
}
