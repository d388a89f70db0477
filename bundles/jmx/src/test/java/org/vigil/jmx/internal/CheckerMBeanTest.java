package org.vigil.jmx.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import javax.management.MBeanServer;
import javax.management.MBeanServerFactory;
import javax.management.Notification;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import javax.management.openmbean.TabularData;

import org.junit.jupiter.api.Test;
import org.vigil.api.check.CheckEvent;
import org.vigil.api.check.PoolStatus;

class CheckerMBeanTest {
    private final PoolStatus pools = new PoolStatus() {
        @Override
        public List<VirtualServer> virtualServers() {
            RealServer up = new RealServer("[192.0.2.21]:tcp:80", false, true, 2,
                    List.of(new Check("TCP_CHECK", "active", true, 0, "", 812)));
            RealServer down = new RealServer("[192.0.2.22]:tcp:80", false, false, 1,
                    List.of(new Check("HTTP_GET", "active", false, 3, "Timeout connecting server [192.0.2.22]:tcp:80.",
                            1_000_000)));
            RealServer sorry = new RealServer("[192.0.2.30]:tcp:80", true, false, 1, List.of());
            return List.of(new VirtualServer("[192.0.2.249]:tcp:80", "wrr", "NAT", 1, true, 2, false,
                    List.of(up, down), sorry));
        }

        @Override
        public List<String> checkTypes() {
            return List.of("HTTP_GET", "TCP_CHECK");
        }

        @Override
        public Optional<String> loadBalancerDriver() {
            return Optional.of("nft");
        }
    };

    private final MBeanServer server = MBeanServerFactory.newMBeanServer();
    private final Relays.Checks relay = new Relays.Checks();
    private final CheckerMBean mbean = new CheckerMBean(pools, relay);

    @Test
    void virtualAndRealServersAreTablesAndChangesAreNotifications() throws Exception {
        new MBeanWhiteboard(server).add(CheckerMBean.NAME, mbean);
        ObjectName name = new ObjectName(CheckerMBean.NAME);
        CompositeData vs = ((TabularData) server.getAttribute(name, "VirtualServers"))
                .get(new Object[] { "[192.0.2.249]:tcp:80" });
        assertThat(vs.get("realServersUp")).isEqualTo(1);
        assertThat(vs.get("realServers")).isEqualTo(2);
        assertThat(vs.get("sorryServer")).isEqualTo("[192.0.2.30]:tcp:80");
        TabularData reals = (TabularData) server.getAttribute(name, "RealServers");
        assertThat(reals.size()).isEqualTo(3);
        CompositeData rs2 = reals.get(new Object[] { "[192.0.2.249]:tcp:80", "[192.0.2.22]:tcp:80" });
        assertThat(rs2.get("state")).isEqualTo("DOWN");
        assertThat(rs2.get("failures")).isEqualTo(3);
        assertThat((String[]) rs2.get("checks")).containsExactly("HTTP_GET active,failed");
        assertThat((String[]) server.getAttribute(name, "CheckTypes")).containsExactly("HTTP_GET", "TCP_CHECK");
        assertThat(server.getAttribute(name, "LoadBalancerDriver")).isEqualTo("nft");

        List<Notification> heard = new ArrayList<>();
        server.addNotificationListener(name, (n, h) -> heard.add(n), null, null);
        relay.changed(new CheckEvent(CheckEvent.Kind.REAL_SERVER_DOWN, "[192.0.2.249]:tcp:80", "[192.0.2.22]:tcp:80",
                1, "Removing service [192.0.2.22]:tcp:80 from VS [192.0.2.249]:tcp:80", "HTTP_GET", false));
        relay.changed(new CheckEvent(CheckEvent.Kind.QUORUM_LOST, "[192.0.2.249]:tcp:80", "", -1,
                "Lost quorum 1-0=1 > 0 for VS [192.0.2.249]:tcp:80"));
        assertThat(heard).extracting(Notification::getType).containsExactly("vigil.realserver.change",
                "vigil.virtualserver.quorum");
        assertThat(((CompositeData) heard.get(0).getUserData()).get("kind")).isEqualTo("REAL_SERVER_DOWN");
    }
}
