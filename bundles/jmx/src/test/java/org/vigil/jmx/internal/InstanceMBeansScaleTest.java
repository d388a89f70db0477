package org.vigil.jmx.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import javax.management.DynamicMBean;
import javax.management.MBeanServer;
import javax.management.MBeanServerFactory;
import javax.management.ObjectName;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceEvent;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;
import org.vigil.api.vrrp.InstanceState;
import org.vigil.api.vrrp.InstanceStatus;
import org.vigil.api.vrrp.TransitionEvent;
import org.vigil.api.vrrp.VrrpService;

/**
 * 510 instances (255 VRIDs x IPv4 and IPv6, issue 8's scale) in a real OSGi service registry
 * (an embedded Felix framework), their MBean services carried into an MBeanServer as the
 * whiteboard does: every instance gets its MBean, and a burst of 510 transitions (all of them
 * starting, all of them failing over) is reconciled from the instance names in a few reads,
 * never by building every instance's full status (a read through the election loop each).
 */
class InstanceMBeansScaleTest {
    private static final int INSTANCES = 510;
    private static final Duration DEADLINE = Duration.ofSeconds(10);

    private final List<String> running = new CopyOnWriteArrayList<>();
    private final AtomicInteger nameReads = new AtomicInteger();
    private final AtomicInteger statusesBuilt = new AtomicInteger();
    private final VrrpService vrrp = new VrrpService() {
        @Override
        public List<String> instanceNames() {
            nameReads.incrementAndGet();
            return List.copyOf(running);
        }

        @Override
        public List<InstanceStatus> instances() {
            statusesBuilt.addAndGet(running.size());
            return List.of();
        }

        @Override
        public Optional<InstanceStatus> instance(String name) {
            statusesBuilt.incrementAndGet();
            return Optional.empty();
        }

        @Override
        public Optional<String> activeDriver() {
            return Optional.of("linux");
        }

        @Override
        public List<org.vigil.api.vrrp.SyncGroupStatus> syncGroups() {
            return List.of();
        }
    };
    private final MBeanServer server = MBeanServerFactory.newMBeanServer();
    private final MBeanWhiteboard whiteboard = new MBeanWhiteboard(server);
    private final Relays.Transitions transitions = new Relays.Transitions();
    private Path storage;
    private Framework framework;
    private InstanceMBeans mbeans;

    @BeforeEach
    void startFramework() throws Exception {
        storage = Files.createTempDirectory("vigil-jmx-scale");
        FrameworkFactory factory = ServiceLoader.load(FrameworkFactory.class).findFirst().orElseThrow();
        framework = factory.newFramework(Map.of(Constants.FRAMEWORK_STORAGE, storage.toString(),
                Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT));
        framework.start();
        BundleContext context = framework.getBundleContext();
        // the whiteboard's DS references, as SCR would call them
        context.addServiceListener(event -> {
            @SuppressWarnings("unchecked")
            ServiceReference<DynamicMBean> ref = (ServiceReference<DynamicMBean>) event.getServiceReference();
            if (event.getType() == ServiceEvent.REGISTERED) {
                whiteboard.bindMBean(ref, context.getService(ref));
            } else if (event.getType() == ServiceEvent.UNREGISTERING) {
                whiteboard.unbindMBean(ref, context.getService(ref));
                context.ungetService(ref);
            }
        }, "(&(objectClass=" + DynamicMBean.class.getName() + ")(" + MBeanWhiteboard.OBJECT_NAME + "=*))");
        mbeans = new InstanceMBeans(context, vrrp, new InstancePriorities(null), transitions);
    }

    @AfterEach
    void stopFramework() throws Exception {
        if (mbeans != null) {
            mbeans.deactivate();
        }
        framework.stop();
        framework.waitForStop(10_000);
        try (var files = Files.walk(storage)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Test
    void all510InstancesGetTheirMBeanAndABurstOfTransitionsReadsNamesNotStatuses() throws Exception {
        await().atMost(DEADLINE).until(() -> nameReads.get() >= 1); // the first reconcile, with no instance yet
        List<String> names = IntStream.rangeClosed(1, 255)
                .boxed().flatMap(vrid -> java.util.stream.Stream.of("VI_" + vrid + "_4", "VI_" + vrid + "_6")).toList();
        int readsBefore = nameReads.get();

        // the core starts all 510 together: each appears and transitions INIT -> BACKUP
        for (String name : names) {
            running.add(name);
            transitions.transition(event(name, InstanceState.INIT, InstanceState.BACKUP));
        }

        await().atMost(DEADLINE).until(() -> instanceMBeans() == INSTANCES);
        assertThat(server.isRegistered(new ObjectName("org.vigil:type=VrrpInstance,name=VI_255_6"))).isTrue();
        int startReads = nameReads.get() - readsBefore;
        assertThat(startReads).as("reconciles for 510 starting instances (coalesced over %d ms)",
                InstanceMBeans.COALESCE_MILLIS).isBetween(1, 5);

        // the master dies: all 510 become master within a few milliseconds
        int readsBeforeFailover = nameReads.get();
        for (String name : names) {
            transitions.transition(event(name, InstanceState.BACKUP, InstanceState.MASTER));
        }
        await().atMost(DEADLINE).until(() -> nameReads.get() > readsBeforeFailover);
        // one coalescing window more: a second reconcile would have started by now
        Thread.sleep(3 * InstanceMBeans.COALESCE_MILLIS);
        assertThat(nameReads.get() - readsBeforeFailover).as("reconciles for 510 transitions").isBetween(1, 2);
        assertThat(instanceMBeans()).isEqualTo(INSTANCES);
        assertThat(statusesBuilt.get()).as("full statuses built by reconciling (each a read through the election loop)")
                .isZero();
    }

    private int instanceMBeans() throws Exception {
        return server.queryNames(new ObjectName(InstanceMBean.TYPE + ",*"), null).size();
    }

    private static TransitionEvent event(String name, InstanceState from, InstanceState to) {
        return new TransitionEvent(TransitionEvent.Kind.INSTANCE, name, from, to, 100, false, Instant.now());
    }
}
