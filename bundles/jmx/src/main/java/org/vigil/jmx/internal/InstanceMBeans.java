package org.vigil.jmx.internal;

import java.util.Hashtable;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import javax.management.DynamicMBean;
import javax.management.ObjectName;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vigil.api.vrrp.InstanceStatus;
import org.vigil.api.vrrp.TransitionEvent;
import org.vigil.api.vrrp.VrrpService;

/**
 * One {@link InstanceMBean} service per VRRP instance, for the whiteboard. The set follows the
 * core's instances: checked on every instance transition (an instance starts with INIT -> BACKUP
 * and stops with a transition to INIT) and every {@value #RECHECK_SECONDS} s (a removal finishes
 * after its last transition). Never on the election thread: transitions arrive on the core's
 * notification thread.
 */
@Component(immediate = true)
public final class InstanceMBeans {
    static final long RECHECK_SECONDS = 5;
    private static final Logger LOG = LoggerFactory.getLogger(InstanceMBeans.class);

    private record Entry(InstanceMBean mbean, ServiceRegistration<DynamicMBean> registration) {
    }

    private final BundleContext context;
    private final VrrpService vrrp;
    private final InstancePriorities priorities;
    private final Relays.Transitions transitions;
    private final Map<String, Entry> mbeans = new ConcurrentHashMap<>();
    private final Consumer<TransitionEvent> sink = this::transition;
    private final ScheduledExecutorService recheck;

    @Activate
    public InstanceMBeans(BundleContext context, @Reference VrrpService vrrp, @Reference InstancePriorities priorities,
            @Reference Relays.Transitions transitions) {
        this.context = context;
        this.vrrp = vrrp;
        this.priorities = priorities;
        this.transitions = transitions;
        transitions.attach(sink);
        recheck = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "vigil-jmx");
            t.setDaemon(true);
            return t;
        });
        recheck.scheduleWithFixedDelay(this::reconcile, 0, RECHECK_SECONDS, TimeUnit.SECONDS);
    }

    @Deactivate
    void deactivate() {
        transitions.detach(sink);
        recheck.shutdownNow();
        mbeans.values().forEach(e -> unregister(e.registration()));
        mbeans.clear();
    }

    private void transition(TransitionEvent e) {
        if (e.kind() != TransitionEvent.Kind.INSTANCE) {
            return;
        }
        reconcile();
        Entry entry = mbeans.get(e.name());
        if (entry != null) {
            entry.mbean().transition(e);
        }
    }

    /** Registers the instances that have no MBean and drops the MBeans whose instance is gone. */
    synchronized void reconcile() {
        Set<String> names;
        try {
            names = vrrp.instances().stream().map(InstanceStatus::name).collect(Collectors.toSet());
        } catch (RuntimeException e) {
            LOG.debug("instances not available: {}", e.toString());
            return;
        }
        for (String name : names) {
            mbeans.computeIfAbsent(name, n -> {
                InstanceMBean mbean = new InstanceMBean(n, vrrp, priorities);
                Hashtable<String, Object> props = new Hashtable<>();
                props.put(MBeanWhiteboard.OBJECT_NAME, objectName(n));
                return new Entry(mbean, context.registerService(DynamicMBean.class, mbean, props));
            });
        }
        mbeans.keySet().removeIf(n -> {
            if (names.contains(n)) {
                return false;
            }
            unregister(mbeans.get(n).registration());
            return true;
        });
    }

    /** {@code org.vigil:type=VrrpInstance,name=VI_1}, the name quoted when it holds JMX's special characters. */
    static String objectName(String instance) {
        boolean plain = instance.chars().noneMatch(c -> ",=:\"*?\n".indexOf(c) >= 0);
        return InstanceMBean.TYPE + ",name=" + (plain ? instance : ObjectName.quote(instance));
    }

    private static void unregister(ServiceRegistration<?> r) {
        try {
            r.unregister();
        } catch (IllegalStateException e) {
            // already gone with the bundle
        }
    }
}
