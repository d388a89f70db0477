package org.vigil.jmx.internal;

import static org.vigil.jmx.internal.OpenMBean.attr;
import static org.vigil.jmx.internal.Tables.STRINGS;
import static org.vigil.jmx.internal.Tables.col;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import javax.management.DynamicMBean;
import javax.management.MBeanNotificationInfo;
import javax.management.Notification;
import javax.management.openmbean.SimpleType;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.vigil.api.check.CheckEvent;
import org.vigil.api.check.PoolStatus;

/**
 * {@code org.vigil:type=Checker}: virtual and real servers from the checker's {@link PoolStatus},
 * the check types and load-balancer driver present, and a notification for every real-server
 * change ({@value #REAL_SERVER}) and quorum change ({@value #QUORUM}). Comes and goes with the
 * checker bundle.
 */
@Component(service = DynamicMBean.class,
        property = MBeanWhiteboard.OBJECT_NAME + "=" + CheckerMBean.NAME)
public final class CheckerMBean extends OpenMBean {
    static final String NAME = "org.vigil:type=Checker";
    static final String REAL_SERVER = "vigil.realserver.change";
    static final String QUORUM = "vigil.virtualserver.quorum";

    static final Tables.Row<PoolStatus.VirtualServer> VIRTUAL = new Tables.Row<>("VirtualServer", "A virtual server",
            1, col("virtualServer", SimpleType.STRING, "[192.0.2.249]:tcp:80, FWM 10", PoolStatus.VirtualServer::text),
            col("scheduler", SimpleType.STRING, "lb_algo", PoolStatus.VirtualServer::scheduler),
            col("method", SimpleType.STRING, "lb_kind", PoolStatus.VirtualServer::method),
            col("quorum", SimpleType.INTEGER, "quorum", PoolStatus.VirtualServer::quorum),
            col("quorumUp", SimpleType.BOOLEAN, "the live weight holds the quorum", PoolStatus.VirtualServer::quorumUp),
            col("liveWeight", SimpleType.INTEGER, "sum of the weights in the pool", PoolStatus.VirtualServer::liveWeight),
            col("realServersUp", SimpleType.INTEGER, "real servers in the pool",
                    v -> (int) v.realServers().stream().filter(PoolStatus.RealServer::inPool).count()),
            col("realServers", SimpleType.INTEGER, "real servers configured", v -> v.realServers().size()),
            col("sorryServer", SimpleType.STRING, "\"\" without one", v -> v.sorryServer() == null ? ""
                    : v.sorryServer().text()),
            col("sorryActive", SimpleType.BOOLEAN, "the sorry server replaces the pool",
                    PoolStatus.VirtualServer::sorryActive));

    /** A real server under its virtual server (one real server may serve several). */
    record Member(PoolStatus.VirtualServer vs, PoolStatus.RealServer rs) {
    }

    static final Tables.Row<Member> REAL = new Tables.Row<>("RealServer", "A real server of a virtual server", 2,
            col("virtualServer", SimpleType.STRING, "its virtual server", m -> m.vs().text()),
            col("realServer", SimpleType.STRING, "[192.0.2.21]:tcp:80", m -> m.rs().text()),
            col("state", SimpleType.STRING, "UP (in the pool) or DOWN", m -> m.rs().inPool() ? "UP" : "DOWN"),
            col("weight", SimpleType.INTEGER, "weight", m -> m.rs().weight()),
            col("sorry", SimpleType.BOOLEAN, "the sorry server", m -> m.rs().sorry()),
            col("checks", STRINGS, "each check: type and status", m -> m.rs().checks().stream()
                    .map(c -> c.type() + " " + c.status() + (c.up() ? "" : ",failed")).toArray(String[]::new)),
            col("failures", SimpleType.INTEGER, "consecutive failures, the worst check's",
                    m -> m.rs().checks().stream().mapToInt(PoolStatus.Check::failures).max().orElse(0)),
            col("lastResult", SimpleType.STRING, "the last result lines", m -> m.rs().checks().stream()
                    .map(PoolStatus.Check::lastLine).filter(l -> !l.isEmpty()).collect(Collectors.joining("; "))),
            col("latencyMicros", SimpleType.LONG, "the slowest check's last duration, -1 before any",
                    m -> m.rs().checks().stream().mapToLong(PoolStatus.Check::latencyMicros).max().orElse(-1)));

    static final Tables.Row<CheckEvent> EVENT = new Tables.Row<>("CheckerChange", "A pool change", 3,
            col("kind", SimpleType.STRING, "REAL_SERVER_UP, REAL_SERVER_DOWN, QUORUM_GAINED, QUORUM_LOST",
                    e -> e.kind().name()),
            col("virtualServer", SimpleType.STRING, "the virtual server", CheckEvent::virtualServer),
            col("realServer", SimpleType.STRING, "the real server, \"\" for quorum", CheckEvent::realServer),
            col("weight", SimpleType.INTEGER, "its weight now, -1 for quorum", CheckEvent::weight),
            col("checkType", SimpleType.STRING, "the check that decided", CheckEvent::checkType),
            col("line", SimpleType.STRING, "the log line", CheckEvent::line));

    private final PoolStatus pools;
    private final Relays.Checks checks;
    private final Consumer<CheckEvent> sink = this::changed;

    @Activate
    public CheckerMBean(@Reference PoolStatus pools, @Reference Relays.Checks checks) {
        super("Vigil's virtual and real servers (the checker's pools)",
                new MBeanNotificationInfo(new String[] { REAL_SERVER }, Notification.class.getName(),
                        "a real server entered or left its pool; user data: " + EVENT.composite.getTypeName()),
                new MBeanNotificationInfo(new String[] { QUORUM }, Notification.class.getName(),
                        "a virtual server gained or lost its quorum; user data: " + EVENT.composite.getTypeName()));
        this.pools = pools;
        define(List.of(
                attr("VirtualServers", VIRTUAL.table, "every virtual server", () -> VIRTUAL.of(pools.virtualServers())),
                attr("RealServers", REAL.table, "every real server of every virtual server",
                        () -> REAL.of(members(pools.virtualServers()))),
                attr("CheckTypes", STRINGS, "the check types present",
                        () -> pools.checkTypes().toArray(String[]::new)),
                attr("LoadBalancerDriver", SimpleType.STRING, "the driver programming the pools, \"\" when none",
                        () -> pools.loadBalancerDriver().orElse(""))),
                List.of());
        this.checks = checks;
        checks.attach(sink);
    }

    @Deactivate
    void deactivate() {
        checks.detach(sink);
    }

    static List<Member> members(List<PoolStatus.VirtualServer> all) {
        List<Member> out = new ArrayList<>();
        for (PoolStatus.VirtualServer v : all) {
            v.realServers().forEach(r -> out.add(new Member(v, r)));
            if (v.sorryServer() != null) {
                out.add(new Member(v, v.sorryServer()));
            }
        }
        return out;
    }

    void changed(CheckEvent e) {
        boolean quorum = e.kind() == CheckEvent.Kind.QUORUM_GAINED || e.kind() == CheckEvent.Kind.QUORUM_LOST;
        emit(quorum ? QUORUM : REAL_SERVER, e.line(), EVENT.of(e));
    }
}
