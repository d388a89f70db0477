package org.vigil.jmx.internal;

import java.util.Hashtable;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

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
import org.vigil.api.vrrp.TransitionEvent;
import org.vigil.api.vrrp.VrrpService;

/**
 * One {@link InstanceMBean} service per VRRP instance, for the whiteboard. The set follows the
 * core's instances: checked after instance transitions (an instance starts with INIT -> BACKUP
 * or FAULT; a removal ends {@value #RECHECK_SECONDS} s after its stopping transition at the
 * latest), coalesced, on this component's own thread. Nothing is polled: a steady daemon reads
 * nothing through the election loop for these MBeans until someone reads one.
 */
@Component(immediate = true)
public final class InstanceMBeans {
    static final long RECHECK_SECONDS = 2;
    /** How long a transition waits for the others of its burst before the MBeans are reconciled. */
    static final long COALESCE_MILLIS = 200;
    /** How long the thread waits with nothing scheduled before it ends. */
    static final long IDLE_SECONDS = 10;
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
    private final java.util.concurrent.atomic.AtomicBoolean reconcilePending = new java.util.concurrent.atomic.AtomicBoolean();

    @Activate
    public InstanceMBeans(BundleContext context, @Reference VrrpService vrrp, @Reference InstancePriorities priorities,
            @Reference Relays.Transitions transitions) {
        this.context = context;
        this.vrrp = vrrp;
        this.priorities = priorities;
        this.transitions = transitions;
        transitions.attach(sink);
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "vigil-jmx");
            t.setDaemon(true);
            return t;
        });
        // transitions are rare: the thread ends when idle and the next transition starts it (issue 12)
        executor.setKeepAliveTime(IDLE_SECONDS, TimeUnit.SECONDS);
        executor.allowCoreThreadTimeOut(true);
        recheck = executor;
        recheck.execute(this::reconcile);
    }

    @Deactivate
    void deactivate() {
        transitions.detach(sink);
        recheck.shutdownNow();
        mbeans.values().forEach(e -> unregister(e.registration()));
        mbeans.clear();
    }

    /**
     * Passes the event to its instance's MBean and asks for one reconcile on our own thread: not
     * inline, since a reconcile reads every instance through the election loop, and hundreds of
     * instances failing over together must cost it one read, not one per transition.
     */
    private void transition(TransitionEvent e) {
        if (e.kind() != TransitionEvent.Kind.INSTANCE) {
            return;
        }
        if (e.stopping()) {
            // the instance is forgotten just after its last transition
            recheck.schedule(this::reconcile, RECHECK_SECONDS, TimeUnit.SECONDS);
        } else if (reconcilePending.compareAndSet(false, true)) {
            // a little later, so that a burst (hundreds of instances starting or failing over
            // together) costs one reconcile, not one per transition the thread keeps up with
            recheck.schedule(() -> {
                reconcilePending.set(false);
                reconcile();
            }, COALESCE_MILLIS, TimeUnit.MILLISECONDS);
        }
        Entry entry = mbeans.get(e.name());
        if (entry != null) {
            entry.mbean().transition(e);
        }
    }

    /** Registers the instances that have no MBean and drops the MBeans whose instance is gone. */
    synchronized void reconcile() {
        Set<String> names;
        try {
            names = new java.util.HashSet<>(vrrp.instanceNames());
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
