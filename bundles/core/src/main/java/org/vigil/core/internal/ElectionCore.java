package org.vigil.core.internal;

import java.util.List;
import java.util.Optional;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.vigil.api.auth.Authenticator;
import org.vigil.api.driver.InterfaceDriver;
import org.vigil.api.vip.VipManager;
import org.vigil.api.vrrp.InstanceStatus;
import org.vigil.api.vrrp.TransitionListener;
import org.vigil.api.vrrp.VrrpService;

/**
 * The election core as a DS component: one election thread for every instance, the driver,
 * VIP manager and authenticators bound dynamically so that they can be swapped at run time
 * without deactivating the core (ARCHITECTURE, swap contract).
 */
@Component(service = { VrrpService.class, InstanceRegistry.class }, immediate = true)
public class ElectionCore implements VrrpService, InstanceRegistry {
    /** How long management calls and deactivation wait for the loop. */
    static final long CALL_TIMEOUT_MILLIS = 5_000;

    private final ElectionLoop loop;
    private final Notifier notifier;
    private final ElectionEngine engine;

    @Activate
    public ElectionCore(BundleContext context) {
        boolean detail = Boolean.parseBoolean(context.getProperty(VrrpLog.DETAIL_PROPERTY));
        loop = new ElectionLoop("vigil-election");
        notifier = new Notifier();
        engine = new ElectionEngine(loop, VrrpLog.slf4j(detail), notifier, CALL_TIMEOUT_MILLIS);
    }

    @Deactivate
    void deactivate() {
        try {
            engine.stopAll();
        } catch (IllegalStateException e) {
            org.slf4j.LoggerFactory.getLogger(ElectionCore.class).warn("Stopping instances timed out", e);
        }
        loop.stop(CALL_TIMEOUT_MILLIS);
        notifier.close(CALL_TIMEOUT_MILLIS);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindDriver(InterfaceDriver driver) {
        engine.driverBound(driver);
    }

    void unbindDriver(InterfaceDriver driver) {
        engine.driverUnbound(driver);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindVipManager(VipManager manager) {
        engine.vipManagerBound(manager);
    }

    void unbindVipManager(VipManager manager) {
        engine.vipManagerUnbound(manager);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void bindAuthenticator(Authenticator authenticator) {
        engine.authenticatorAdded(authenticator);
    }

    void unbindAuthenticator(Authenticator authenticator) {
        engine.authenticatorRemoved(authenticator);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void bindTransitionListener(TransitionListener listener) {
        engine.listenerAdded(listener);
    }

    void unbindTransitionListener(TransitionListener listener) {
        engine.listenerRemoved(listener);
    }

    // ---- VrrpService --------------------------------------------------------------------------

    @Override
    public List<InstanceStatus> instances() {
        return engine.instances();
    }

    @Override
    public Optional<InstanceStatus> instance(String name) {
        return engine.instance(name);
    }

    @Override
    public Optional<String> activeDriver() {
        return engine.activeDriver();
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
    public void removeSyncGroup(String name) {
        engine.removeSyncGroup(name);
    }
}
