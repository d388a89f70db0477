package org.vigil.jmx.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.management.MBeanServer;
import javax.management.MBeanServerFactory;
import javax.management.Notification;
import javax.management.ObjectName;
import javax.management.RuntimeOperationsException;
import javax.management.openmbean.CompositeData;
import javax.management.openmbean.OpenMBeanInfo;
import javax.management.openmbean.TabularData;

import org.junit.jupiter.api.Test;
import org.vigil.api.vrrp.DriverInfo;
import org.vigil.api.vrrp.InstanceCounters;
import org.vigil.api.vrrp.InstanceState;
import org.vigil.api.vrrp.InstanceStatus;
import org.vigil.api.vrrp.IpFamily;
import org.vigil.api.vrrp.SyncGroupStatus;
import org.vigil.api.vrrp.TrackStatus;
import org.vigil.api.vrrp.TransitionEvent;
import org.vigil.api.vrrp.VrrpService;

/** The VRRP MBean in an MBeanServer of its own, through the whiteboard, as a JMX client sees it. */
class VrrpMBeanTest {
    private final List<String> calls = new CopyOnWriteArrayList<>();
    private final MBeanServer server = MBeanServerFactory.newMBeanServer();
    private final MBeanWhiteboard whiteboard = new MBeanWhiteboard(server);

    static InstanceStatus vi1(InstanceState state) {
        return new InstanceStatus("VI_1", state, 51, IpFamily.IPV4, 3, "lan0", 150, 140, "192.0.2.11", 100, 100,
                414_000, 3_414_000, true, 0, List.of("203.0.113.51/32"), List.of("203.0.113.51/32"),
                new InstanceCounters(3, 42, 1, 0, 0, 0, Map.of("BAD_TTL", 2L), 0), Instant.parse("2026-12-03T06:00:00Z"));
    }

    private final VrrpService vrrp = new VrrpService() {
        @Override
        public List<InstanceStatus> instances() {
            return List.of(vi1(InstanceState.MASTER));
        }

        @Override
        public Optional<InstanceStatus> instance(String name) {
            return instances().stream().filter(i -> i.name().equals(name)).findFirst();
        }

        @Override
        public Optional<String> activeDriver() {
            return Optional.of("linux");
        }

        @Override
        public List<DriverInfo> drivers() {
            return List.of(new DriverInfo("linux", 100, true), new DriverInfo("sim", 0, false));
        }

        @Override
        public List<SyncGroupStatus> syncGroups() {
            return List.of(new SyncGroupStatus("G1", InstanceState.MASTER, List.of("VI_1")));
        }

        @Override
        public List<TrackStatus> tracking(String instance) {
            return List.of(new TrackStatus(TrackStatus.Kind.SCRIPT, "chk_web", "bad", -10, false, -10, false));
        }

        @Override
        public void forceFault(String instance, boolean fault) {
            if (!instance.equals("VI_1")) {
                throw new IllegalArgumentException("No instance '" + instance + "'");
            }
            calls.add("forceFault " + instance + " " + fault);
        }

        @Override
        public boolean announce(String instance) {
            calls.add("announce " + instance);
            return true;
        }

        @Override
        public void clearCounters() {
            calls.add("clearCounters");
        }
    };

    private final Relays.Transitions relay = new Relays.Transitions();
    private final VrrpMBean mbean = new VrrpMBean(vrrp, new InstancePriorities(null), relay);
    private final ObjectName name = name();

    private static ObjectName name() {
        try {
            return new ObjectName(VrrpMBean.NAME);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    VrrpMBeanTest() {
        whiteboard.add(VrrpMBean.NAME, mbean);
    }

    @Test
    void instancesAreAnOpenTableKeyedByName() throws Exception {
        assertThat(server.getMBeanInfo(name)).isInstanceOf(OpenMBeanInfo.class);
        TabularData table = (TabularData) server.getAttribute(name, "Instances");
        CompositeData vi1 = table.get(new Object[] { "VI_1" });
        assertThat(vi1.get("state")).isEqualTo("MASTER");
        assertThat(vi1.get("basePriority")).isEqualTo(150);
        assertThat(vi1.get("priority")).isEqualTo(140);
        assertThat(vi1.get("vrid")).isEqualTo(51);
        assertThat(vi1.get("interface")).isEqualTo("lan0");
        assertThat((String[]) vi1.get("virtualAddresses")).containsExactly("203.0.113.51/32");
        assertThat(vi1.get("advertsSent")).isEqualTo(42L);
        assertThat(vi1.get("dropped")).isEqualTo(2L);
        CompositeData g1 = ((TabularData) server.getAttribute(name, "SyncGroups")).get(new Object[] { "G1" });
        assertThat(g1.get("state")).isEqualTo("MASTER");
        assertThat(((TabularData) server.getAttribute(name, "Drivers")).size()).isEqualTo(2);
        assertThat(server.getAttribute(name, "ActiveDriver")).isEqualTo("linux");
        TabularData tracking = (TabularData) server.invoke(name, "tracking", new Object[] { "VI_1" },
                new String[] { String.class.getName() });
        assertThat(tracking.get(new Object[] { "SCRIPT", "chk_web" }).get("contribution")).isEqualTo(-10);
    }

    @Test
    void operationsReachTheCoreAndBadArgumentsComeBackAsJdkExceptions() throws Exception {
        String[] sig = { String.class.getName() };
        server.invoke(name, "forceFault", new Object[] { "VI_1" }, sig);
        server.invoke(name, "clearFault", new Object[] { "VI_1" }, sig);
        assertThat(server.invoke(name, "sendGratuitousArp", new Object[] { "VI_1" }, sig)).isEqualTo(true);
        server.invoke(name, "clearCounters", new Object[0], new String[0]);
        assertThat(calls).containsExactly("forceFault VI_1 true", "forceFault VI_1 false", "announce VI_1",
                "clearCounters");
        assertThatThrownBy(() -> server.invoke(name, "forceFault", new Object[] { "VI_9" }, sig))
                .isInstanceOf(RuntimeOperationsException.class).hasMessageContaining("No instance 'VI_9'");
        assertThatThrownBy(() -> server.invoke(name, "setPriority", new Object[] { "VI_1", 300 },
                new String[] { String.class.getName(), Integer.class.getName() }))
                .isInstanceOf(RuntimeOperationsException.class).hasMessageContaining("not in 1-254");
        assertThatThrownBy(() -> server.invoke(name, "reload", new Object[0], new String[0]))
                .hasMessageContaining("nothing to reload");
    }

    @Test
    void everyTransitionIsANotificationWithOpenUserData() throws Exception {
        List<Notification> heard = new ArrayList<>();
        server.addNotificationListener(name, (n, handback) -> heard.add(n), null, null);
        relay.transition(new TransitionEvent(TransitionEvent.Kind.INSTANCE, "VI_1", InstanceState.BACKUP,
                InstanceState.MASTER, 150, false, Instant.parse("2026-12-03T06:00:01Z")));
        relay.transition(new TransitionEvent(TransitionEvent.Kind.GROUP, "G1", InstanceState.BACKUP,
                InstanceState.MASTER, 0, false, Instant.parse("2026-12-03T06:00:01Z")));
        assertThat(heard).hasSize(2);
        Notification n = heard.get(0);
        assertThat(n.getType()).isEqualTo("vigil.vrrp.transition");
        assertThat(n.getMessage()).isEqualTo("(VI_1) BACKUP -> MASTER");
        assertThat(n.getSource()).isEqualTo(name);
        CompositeData data = (CompositeData) n.getUserData();
        assertThat(data.get("to")).isEqualTo("MASTER");
        assertThat(data.get("priority")).isEqualTo(150);
        assertThat(heard.get(1).getMessage()).isEqualTo("(group G1) BACKUP -> MASTER");
        assertThat(heard.get(1).getSequenceNumber()).isGreaterThan(n.getSequenceNumber());
    }

    @Test
    void theWhiteboardUnregistersWhatItRegistered() {
        whiteboard.remove(mbean);
        assertThat(server.isRegistered(name)).isFalse();
    }

    @Test
    void anInstanceMBeanShowsOneInstanceAndActsOnIt() throws Exception {
        InstanceMBean vi1 = new InstanceMBean("VI_1", vrrp, new InstancePriorities(null));
        whiteboard.add(InstanceMBeans.objectName("VI_1"), vi1);
        ObjectName on = new ObjectName("org.vigil:type=VrrpInstance,name=VI_1");
        assertThat(server.getAttribute(on, "State")).isEqualTo("MASTER");
        assertThat(server.getAttribute(on, "Priority")).isEqualTo(140);
        assertThat(((CompositeData) server.getAttribute(on, "Status")).get("advertsSent")).isEqualTo(42L);
        assertThat((String[]) server.getAttribute(on, "HeldAddresses")).containsExactly("203.0.113.51/32");
        server.invoke(on, "forceFault", new Object[0], new String[0]);
        assertThat(calls).containsExactly("forceFault VI_1 true");
        List<Notification> heard = new ArrayList<>();
        server.addNotificationListener(on, (n, h) -> heard.add(n), null, null);
        vi1.transition(new TransitionEvent(TransitionEvent.Kind.INSTANCE, "VI_1", InstanceState.MASTER,
                InstanceState.FAULT, 140, false, Instant.EPOCH));
        assertThat(heard).extracting(Notification::getMessage).containsExactly("(VI_1) MASTER -> FAULT");
        assertThat(InstanceMBeans.objectName("a,b")).isEqualTo("org.vigil:type=VrrpInstance,name=\"a,b\"");
        assertThat(new ObjectName(InstanceMBeans.objectName("a,b")).getKeyProperty("name")).isEqualTo("\"a,b\"");
    }
}
