package org.vigil.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.ComponentServiceObjects;
import org.vigil.api.driver.InterfaceDriver;
import org.vigil.api.vrrp.DriverInfo;
import org.vigil.api.vrrp.InstanceState;
import org.vigil.api.vrrp.TransitionEvent;
import org.vigil.auth.internal.NoneAuthenticator;

/**
 * The DS component with its real election thread: which driver is active (ranking, framework
 * property, run-time selection) and what an instance sees of a swap (swap contract).
 */
class ElectionCoreTest {
    private static final AtomicLong SERVICE_IDS = new AtomicLong();

    private final FakeLan lan = new FakeLan(() -> System.nanoTime() / 1_000);
    private final List<Runnable> cleanup = new ArrayList<>();
    private final ElectionEngineTest.RecordingVips vips = new ElectionEngineTest.RecordingVips();

    @AfterEach
    void stop() {
        cleanup.forEach(Runnable::run);
    }

    private ElectionCore core(Map<String, String> frameworkProperties) {
        BundleContext context = (BundleContext) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] { BundleContext.class },
                (proxy, method, args) -> method.getName().equals("getProperty") ? frameworkProperties.get(args[0])
                        : null);
        ElectionCore core = new ElectionCore(context);
        core.bindAuthenticator(new NoneAuthenticator());
        cleanup.add(core::deactivate);
        return core;
    }

    private static ServiceReference<InterfaceDriver> bind(ElectionCore core, FakeLan.Host host, int ranking) {
        return bind(core, new FakeObjects(host, ranking));
    }

    private static ServiceReference<InterfaceDriver> bind(ElectionCore core, FakeObjects objects) {
        core.bindDriver(objects.reference, objects);
        return objects.reference;
    }

    private InstanceState state(ElectionCore core) {
        return core.instance("VI_1").orElseThrow().state();
    }

    @Test
    void theHighestRankingIsActiveUnlessTheFrameworkPropertyNamesAnother() {
        ElectionCore core = core(Map.of());
        bind(core, lan.host("sim", "192.0.2.11"), -100);
        bind(core, lan.host("linux", "192.0.2.11"), 100);
        bind(core, lan.host("pcap", "192.0.2.11"), 50);
        assertThat(core.activeDriver()).contains("linux");
        assertThat(core.selectedDriver()).isEmpty();
        assertThat(core.drivers()).containsExactly(new DriverInfo("linux", 100, true),
                new DriverInfo("pcap", 50, false), new DriverInfo("sim", -100, false));

        ElectionCore named = core(Map.of("vigil.driver", "sim"));
        bind(named, lan.host("sim", "192.0.2.12"), -100);
        bind(named, lan.host("linux", "192.0.2.12"), 100);
        assertThat(named.activeDriver()).contains("sim");
        assertThat(named.selectedDriver()).contains("sim");
    }

    @Test
    void aSelectedNameIsAPreferenceTheBestRemainingDriverCarriesTheInstancesMeanwhile() {
        ElectionCore core = core(Map.of());
        FakeLan.Host linux = lan.host("linux", "192.0.2.11");
        bind(core, linux, 100);
        core.addInstance(TestConfigs.v3(255, 10).build());
        List<TransitionEvent> events = new CopyOnWriteArrayList<>();
        core.bindTransitionListener(events::add);
        await().atMost(Duration.ofSeconds(5)).until(() -> state(core) == InstanceState.MASTER);
        events.clear();

        // selected but absent: linux keeps carrying the instance, no FAULT
        core.selectDriver("pcap");
        assertThat(core.activeDriver()).contains("linux");
        assertThat(core.selectedDriver()).contains("pcap");
        assertThat(core.drivers()).containsExactly(new DriverInfo("linux", 100, true));
        assertThat(state(core)).isEqualTo(InstanceState.MASTER);
        assertThat(linux.openChannels()).isEqualTo(1);

        // it appears, though ranked lower: it takes over
        FakeLan.Host pcap = lan.host("pcap", "192.0.2.11");
        ServiceReference<InterfaceDriver> pcapRef = bind(core, pcap, 50);
        assertThat(core.activeDriver()).contains("pcap");
        assertThat(pcap.openChannels()).isEqualTo(1);
        assertThat(linux.openChannels()).isZero();
        await().atMost(Duration.ofSeconds(2)).until(() -> lan.framesFrom("pcap").size() >= 3);

        // its bundle stops: the best remaining one takes over at once, still the preference
        core.unbindDriver(pcapRef);
        assertThat(core.activeDriver()).contains("linux");
        assertThat(core.selectedDriver()).contains("pcap");
        assertThat(linux.openChannels()).isEqualTo(1);
        assertThat(state(core)).isEqualTo(InstanceState.MASTER);

        // and it returns when the driver comes back
        FakeLan.Host pcapAgain = lan.host("pcap", "192.0.2.11");
        bind(core, pcapAgain, 50);
        assertThat(core.activeDriver()).contains("pcap");
        assertThat(pcapAgain.openChannels()).isEqualTo(1);
        assertThat(events).as("no transition through any of it").isEmpty();

        core.selectDriver(null);
        assertThat(core.activeDriver()).contains("linux");
        assertThat(core.selectedDriver()).isEmpty();
    }

    /** A native layer that records its calls (and on which thread the per-thread ones came). */
    private static org.vigil.api.system.ProcessTuning recorder(List<String> calls) {
        return new org.vigil.api.system.ProcessTuning() {
            @Override
            public void realtimeCurrentThread(int priority) {
                calls.add("rt " + priority + " on " + Thread.currentThread().getName());
            }

            @Override
            public void realtimeIoThreads(int priority) {
                calls.add("rt-io " + priority);
            }

            @Override
            public void niceCurrentThread(int niceness) {
                calls.add("nice " + niceness + " on " + Thread.currentThread().getName());
            }

            @Override
            public void niceIoThreads(int niceness) {
                calls.add("nice-io " + niceness);
            }

            @Override
            public void lockMemory() {
                calls.add("mlockall");
            }

            @Override
            public void limitRealtimeMicros(long micros) {
                calls.add("rttime " + micros);
            }
        };
    }

    @Test
    void vrrpPriorityAppliesToTheElectionAndItsReceiveThreadsAndNothingWithoutGlobalDefs() {
        ElectionCore core = core(Map.of());
        List<String> calls = new CopyOnWriteArrayList<>();
        core.bindProcessTuning(recorder(calls));
        core.awaitLoopForTests();
        assertThat(calls).as("no global_defs component yet: the scheduler's").isEmpty();
        core.scheduling(TypedConfigs.scheduling(Map.of("vrrp.priority", -5)));
        await().atMost(Duration.ofSeconds(5)).until(() -> calls.size() == 2);
        assertThat(calls).containsExactly("nice -5 on vigil-election", "nice-io -5");
    }

    @Test
    void withNeitherKnobTheElectionGetsRealtimePriorityOneAndVrrpRtPriorityZeroTurnsItOff() {
        SchedulingSettings defaults = TypedConfigs.scheduling(Map.of());
        assertThat(defaults.realtimePriority()).isEqualTo(SchedulingSettings.DEFAULT_REALTIME_PRIORITY);
        assertThat(defaults.realtimeByDefault()).isTrue();
        assertThat(TypedConfigs.scheduling(Map.of("vrrp.rt.priority", 0)).any()).isFalse();
        assertThat(TypedConfigs.scheduling(Map.of("vrrp.priority", -5)).realtimePriority()).isNull();
        assertThat(TypedConfigs.scheduling(Map.of("vrrp.rt.priority", 7)).realtimeByDefault()).isFalse();

        ElectionCore core = core(Map.of());
        List<String> calls = new CopyOnWriteArrayList<>();
        core.bindProcessTuning(recorder(calls));
        core.scheduling(defaults);
        await().atMost(Duration.ofSeconds(5)).until(() -> calls.size() == 2);
        assertThat(calls).containsExactly("rt-io 1", "rt 1 on vigil-election");
    }

    @Test
    void schedulingKnobsApplyOnTheElectionThreadOnceAndAgainForANewNativeLayer() {
        ElectionCore core = core(Map.of());
        List<String> calls = new CopyOnWriteArrayList<>();
        org.vigil.api.system.ProcessTuning recording = recorder(calls);
        // global_defs { vrrp_rt_priority 5  vrrp_priority -10  vrrp_no_swap } as the bridge emits it (typed)
        core.scheduling(TypedConfigs.scheduling(Map.of("vrrp.rt.priority", 5, "vrrp.priority", -10,
                "vrrp.no.swap", true)));
        assertThat(calls).as("nothing to apply it with yet").isEmpty();
        core.bindProcessTuning(recording);
        await().atMost(Duration.ofSeconds(5)).until(() -> calls.size() == 5);
        assertThat(calls).containsExactly("rt-io 5", "rt 5 on vigil-election", "nice -10 on vigil-election",
                "nice-io -10", "mlockall");
        // a reload with the same values does nothing; out-of-range values are ignored
        core.scheduling(TypedConfigs.scheduling(Map.of("vrrp.rt.priority", 5, "vrrp.priority", -10,
                "vrrp.no.swap", true)));
        assertThat(TypedConfigs.scheduling(Map.of("vrrp.rt.priority", 150)).realtimePriority()).isNull();
        core.awaitLoopForTests();
        assertThat(calls).hasSize(5);
    }

    @Test
    void onlyNoDriverAtAllMeansFault() {
        ElectionCore core = core(Map.of());
        FakeLan.Host linux = lan.host("linux", "192.0.2.11");
        ServiceReference<InterfaceDriver> ref = bind(core, linux, 100);
        core.selectDriver("pcap");
        core.addInstance(TestConfigs.v3(255, 10).build());
        await().atMost(Duration.ofSeconds(5)).until(() -> state(core) == InstanceState.MASTER);
        core.unbindDriver(ref);
        assertThat(core.activeDriver()).isEmpty();
        await().atMost(Duration.ofSeconds(5)).until(() -> state(core) == InstanceState.FAULT);
        bind(core, lan.host("sim", "192.0.2.11"), -100);
        assertThat(core.activeDriver()).contains("sim");
        await().atMost(Duration.ofSeconds(5)).until(() -> state(core) == InstanceState.MASTER);
    }

    @Test
    void swapsKeepTheMasterTheVipsAndTheCountersAndThePeerNeverTakesOver() {
        ElectionCore core = core(Map.of());
        core.bindVipManager(new FakeReference<>(0), vips);
        FakeLan.Host linux = lan.host("linux", "192.0.2.11");
        ServiceReference<InterfaceDriver> linuxRef = bind(core, linux, 100);
        core.addInstance(TestConfigs.v3(200, 10).build());
        List<TransitionEvent> peerEvents = peer("192.0.2.12", 100);
        await().atMost(Duration.ofSeconds(5)).until(() -> state(core) == InstanceState.MASTER);
        assertThat(vips.held("VI_1")).containsExactly(TestConfigs.vip("192.0.2.249", 24));

        // a higher ranking replaces the active driver; the channel moves before bind returns
        FakeLan.Host pcap = lan.host("pcap", "192.0.2.11");
        ServiceReference<InterfaceDriver> pcapRef = bind(core, pcap, 200);
        assertThat(core.activeDriver()).contains("pcap");
        assertThat(pcap.openChannels()).isEqualTo(1);
        assertThat(linux.openChannels()).isZero();
        long sent = core.instance("VI_1").orElseThrow().counters().advertsSent();
        await().atMost(Duration.ofSeconds(2)).until(() -> lan.framesFrom("pcap").size() >= 5);

        // by name at run time, back to the lower ranked one
        core.selectDriver("linux");
        assertThat(linux.openChannels()).isEqualTo(1);
        assertThat(pcap.openChannels()).isZero();
        await().atMost(Duration.ofSeconds(2)).until(() -> lan.framesFrom("linux").size() >= 10);
        core.selectDriver(null);
        assertThat(core.activeDriver()).contains("pcap");

        // the active driver goes away: the other takes over before unbind returns
        core.unbindDriver(pcapRef);
        assertThat(core.activeDriver()).contains("linux");
        assertThat(linux.openChannels()).isEqualTo(1);
        await().atMost(Duration.ofSeconds(2)).until(() -> lan.framesFrom("linux").size() >= 20);

        assertThat(state(core)).isEqualTo(InstanceState.MASTER);
        assertThat(core.instance("VI_1").orElseThrow().counters().becameMaster()).isEqualTo(1);
        assertThat(core.instance("VI_1").orElseThrow().counters().advertsSent()).isGreaterThan(sent);
        assertThat(vips.held("VI_1")).containsExactly(TestConfigs.vip("192.0.2.249", 24));
        assertThat(lan.wire).noneMatch(f -> f.priority() == 0);
        assertThat(peerEvents).extracting(TransitionEvent::to).containsOnly(InstanceState.BACKUP);

        // no driver at all: FAULT, and the peer takes over
        core.unbindDriver(linuxRef);
        assertThat(core.activeDriver()).isEmpty();
        await().atMost(Duration.ofSeconds(5)).until(() -> state(core) == InstanceState.FAULT);
        await().atMost(Duration.ofSeconds(5))
                .until(() -> peerEvents.stream().anyMatch(e -> e.to() == InstanceState.MASTER));
    }

    @Test
    void aDriverTheCoreDoesNotUseIsNeverActivatedAndOneItLeavesIsReleased() {
        ElectionCore core = core(Map.of());
        FakeObjects linux = new FakeObjects(lan.host("linux", "192.0.2.11"), 100);
        FakeObjects pcap = new FakeObjects(lan.host("pcap", "192.0.2.11"), 50);
        bind(core, linux);
        bind(core, pcap);
        core.addInstance(TestConfigs.v3(255, 10).build());
        await().atMost(Duration.ofSeconds(5)).until(() -> state(core) == InstanceState.MASTER);
        // ranking and name come from the service properties: pcap is listed, never got
        assertThat(core.drivers()).containsExactly(new DriverInfo("linux", 100, true), new DriverInfo("pcap", 50, false));
        assertThat(pcap.got).isZero();
        assertThat(linux.held()).isOne();

        // named: got once; the one left is released when its channels are closed
        core.selectDriver("pcap");
        assertThat(pcap.got).isOne();
        assertThat(pcap.held()).isOne();
        assertThat(linux.held()).isZero();
        assertThat(linux.host.openChannels()).isZero();
        core.selectDriver(null);
        assertThat(pcap.held()).isZero();
        assertThat(linux.held()).isOne();
        assertThat(linux.host.openChannels()).isEqualTo(1);
        assertThat(state(core)).isEqualTo(InstanceState.MASTER);

        // an unbound driver is released too
        core.unbindDriver(linux.reference);
        assertThat(linux.held()).isZero();
        assertThat(pcap.held()).isOne();

        // a deactivated core, unbound driver by driver as SCR does, activates none
        FakeObjects sim = new FakeObjects(lan.host("sim", "192.0.2.11"), -100);
        bind(core, sim);
        core.deactivate();
        core.unbindDriver(pcap.reference);
        assertThat(sim.attempts).isZero();
    }

    @Test
    void aDriverWhoseActivationFailsIsPassedOverUntilTheOperatorNamesIt() {
        ElectionCore core = core(Map.of());
        FakeObjects linux = new FakeObjects(lan.host("linux", "192.0.2.11"), 100);
        linux.broken = true; // as SCR answers for a component whose activation threw
        FakeObjects sim = new FakeObjects(lan.host("sim", "192.0.2.11"), -100);
        bind(core, linux);
        bind(core, sim);
        assertThat(core.activeDriver()).contains("sim");
        assertThat(core.drivers()).containsExactly(new DriverInfo("sim", -100, true));
        core.addInstance(TestConfigs.v3(255, 10).build());
        await().atMost(Duration.ofSeconds(5)).until(() -> state(core) == InstanceState.MASTER);
        // later service events do not activate it again
        bind(core, new FakeObjects(lan.host("pcap", "192.0.2.11"), 50));
        assertThat(linux.attempts).isOne();
        assertThat(core.activeDriver()).contains("pcap");

        // fixed, and named by the operator: tried again
        linux.broken = false;
        core.selectDriver("linux");
        assertThat(linux.attempts).isEqualTo(2);
        assertThat(core.activeDriver()).contains("linux");
        assertThat(linux.host.openChannels()).isEqualTo(1);
    }

    /** ComponentServiceObjects as SCR gives them: getService activates (or fails), counted. */
    static final class FakeObjects implements ComponentServiceObjects<InterfaceDriver> {
        final FakeLan.Host host;
        final FakeReference<InterfaceDriver> reference;
        volatile boolean broken;
        int attempts;
        int got;
        int ungot;

        FakeObjects(FakeLan.Host host, int ranking) {
            this.host = host;
            this.reference = new FakeReference<>(ranking);
            reference.properties.put(InterfaceDriver.NAME_PROPERTY, host.name());
        }

        int held() {
            return got - ungot;
        }

        @Override
        public synchronized InterfaceDriver getService() {
            attempts++;
            if (broken) {
                return null;
            }
            got++;
            return host;
        }

        @Override
        public synchronized void ungetService(InterfaceDriver service) {
            assertThat(service).isSameAs(host);
            ungot++;
            assertThat(ungot).isLessThanOrEqualTo(got);
        }

        @Override
        public ServiceReference<InterfaceDriver> getServiceReference() {
            return reference;
        }
    }

    /** A second router on the LAN, a plain engine, recording its transitions. */
    private List<TransitionEvent> peer(String address, int priority) {
        ElectionLoop loop = new ElectionLoop("peer-election");
        Notifier notifier = new Notifier();
        ElectionEngine engine = new ElectionEngine(loop, (line, detail) -> { }, notifier, 2_000);
        List<TransitionEvent> events = new CopyOnWriteArrayList<>();
        engine.listenerAdded(events::add);
        engine.driverBound(lan.host("peer", address));
        engine.authenticatorAdded(new NoneAuthenticator());
        engine.addInstance(TestConfigs.v3(priority, 10).build());
        cleanup.add(() -> {
            engine.stopAll();
            loop.stop(1_000);
            notifier.close(1_000);
        });
        return events;
    }

    /** Orders as the framework does: higher ranking, then lower service id, compares greater. */
    static final class FakeReference<S> implements ServiceReference<S> {
        final Hashtable<String, Object> properties = new Hashtable<>();

        FakeReference(int ranking) {
            properties.put(Constants.SERVICE_RANKING, ranking);
            properties.put(Constants.SERVICE_ID, SERVICE_IDS.incrementAndGet());
        }

        @Override
        public Object getProperty(String key) {
            return properties.get(key);
        }

        @Override
        public String[] getPropertyKeys() {
            return properties.keySet().toArray(String[]::new);
        }

        @Override
        public Bundle getBundle() {
            return null;
        }

        @Override
        public Bundle[] getUsingBundles() {
            return null;
        }

        @Override
        public boolean isAssignableTo(Bundle bundle, String className) {
            return true;
        }

        @Override
        public int compareTo(Object other) {
            FakeReference<?> o = (FakeReference<?>) other;
            int byRanking = Integer.compare((Integer) getProperty(Constants.SERVICE_RANKING),
                    (Integer) o.getProperty(Constants.SERVICE_RANKING));
            return byRanking != 0 ? byRanking
                    : Long.compare((Long) o.getProperty(Constants.SERVICE_ID), (Long) getProperty(Constants.SERVICE_ID));
        }

        @Override
        public Dictionary<String, Object> getProperties() {
            return new Hashtable<>(properties);
        }

        @Override
        public <A> A adapt(Class<A> type) {
            return null;
        }
    }
}
