package org.vigil.jmx.internal;

import static org.vigil.jmx.internal.OpenMBean.action;
import static org.vigil.jmx.internal.OpenMBean.attr;
import static org.vigil.jmx.internal.OpenMBean.param;
import static org.vigil.jmx.internal.OpenMBean.query;
import static org.vigil.jmx.internal.Tables.STRINGS;
import static org.vigil.jmx.internal.Tables.col;
import static org.vigil.jmx.internal.Tables.text;

import java.util.List;
import java.util.function.Consumer;

import javax.management.DynamicMBean;
import javax.management.MBeanNotificationInfo;
import javax.management.Notification;
import javax.management.openmbean.SimpleType;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.vigil.api.vrrp.DriverInfo;
import org.vigil.api.vrrp.InstanceStatus;
import org.vigil.api.vrrp.SyncGroupStatus;
import org.vigil.api.vrrp.TrackStatus;
import org.vigil.api.vrrp.TransitionEvent;
import org.vigil.api.vrrp.VrrpService;
import org.vigil.config.ConfigReloader;

/**
 * {@code org.vigil:type=Vrrp}: the instances, sync groups and interface drivers as tables, the
 * operator's actions (priority, fault, gratuitous ARP, reload, clearing counters), and a
 * {@value #TRANSITION} notification for every instance and group transition (heard through
 * {@link Relays.Transitions}). Nothing here
 * carries a secret: the status values hold no auth_pass or auth_hmac key.
 */
@Component(service = DynamicMBean.class,
        property = MBeanWhiteboard.OBJECT_NAME + "=" + VrrpMBean.NAME)
public final class VrrpMBean extends OpenMBean {
    static final String NAME = "org.vigil:type=Vrrp";
    static final String TRANSITION = "vigil.vrrp.transition";

    static final Tables.Row<InstanceStatus> INSTANCE = new Tables.Row<>("VrrpInstance", "A VRRP instance", 1,
            col("name", SimpleType.STRING, "vrrp_instance NAME", InstanceStatus::name),
            col("state", SimpleType.STRING, "INIT, BACKUP, MASTER or FAULT", s -> s.state().name()),
            col("vrid", SimpleType.INTEGER, "virtual_router_id", InstanceStatus::vrid),
            col("interface", SimpleType.STRING, "interface", InstanceStatus::interfaceName),
            col("family", SimpleType.STRING, "IPV4 or IPV6", s -> s.family().name()),
            col("version", SimpleType.INTEGER, "VRRP version", InstanceStatus::version),
            col("basePriority", SimpleType.INTEGER, "configured priority", InstanceStatus::basePriority),
            col("priority", SimpleType.INTEGER, "effective priority (after tracking)", InstanceStatus::effectivePriority),
            col("master", SimpleType.STRING, "the master's address, \"\" when unknown", s -> text(s.masterAddress())),
            col("advertIntervalCs", SimpleType.INTEGER, "advert_int in centiseconds", InstanceStatus::advertIntervalCs),
            col("virtualAddresses", STRINGS, "virtual_ipaddress", s -> s.virtualAddresses().toArray(String[]::new)),
            col("heldAddresses", STRINGS, "addresses held now", s -> s.heldAddresses().toArray(String[]::new)),
            col("advertsReceived", SimpleType.LONG, "adverts received", s -> s.counters().advertsReceived()),
            col("advertsSent", SimpleType.LONG, "adverts sent", s -> s.counters().advertsSent()),
            col("becameMaster", SimpleType.LONG, "transitions into MASTER", s -> s.counters().becameMaster()),
            col("releasedMaster", SimpleType.LONG, "transitions out of MASTER", s -> s.counters().releasedMaster()),
            col("priorityZeroReceived", SimpleType.LONG, "priority 0 adverts received",
                    s -> s.counters().priorityZeroReceived()),
            col("priorityZeroSent", SimpleType.LONG, "priority 0 adverts sent", s -> s.counters().priorityZeroSent()),
            col("dropped", SimpleType.LONG, "packets dropped by a receive check", s -> s.counters().droppedTotal()),
            col("lateTimers", SimpleType.LONG, "timers that fired late", s -> s.counters().lateTimers()),
            col("enteredState", SimpleType.STRING, "when the state was entered (ISO-8601)", s -> text(s.enteredState())));

    static final Tables.Row<SyncGroupStatus> GROUP = new Tables.Row<>("VrrpSyncGroup", "A vrrp_sync_group", 1,
            col("name", SimpleType.STRING, "vrrp_sync_group NAME", SyncGroupStatus::name),
            col("state", SimpleType.STRING, "the state every member reached", g -> g.state().name()),
            col("members", STRINGS, "member instances", g -> g.members().toArray(String[]::new)));

    static final Tables.Row<DriverInfo> DRIVER = new Tables.Row<>("InterfaceDriver", "An interface driver", 1,
            col("name", SimpleType.STRING, "linux, pcap, sim", DriverInfo::name),
            col("ranking", SimpleType.INTEGER, "service ranking", DriverInfo::ranking),
            col("active", SimpleType.BOOLEAN, "carries the instances now", DriverInfo::active));

    static final Tables.Row<TrackStatus> TRACK = new Tables.Row<>("TrackedObject", "A tracked script, interface or file",
            2, col("kind", SimpleType.STRING, "SCRIPT, INTERFACE or FILE", t -> t.kind().name()),
            col("name", SimpleType.STRING, "as configured", TrackStatus::name),
            col("status", SimpleType.STRING, "its verdict now", TrackStatus::status),
            col("weight", SimpleType.INTEGER, "configured weight (0: FAULT while failing)", TrackStatus::weight),
            col("reverse", SimpleType.BOOLEAN, "weight reversed", TrackStatus::reverse),
            col("contribution", SimpleType.INTEGER, "what it adds to the priority now", TrackStatus::contribution),
            col("fault", SimpleType.BOOLEAN, "holds the instance in FAULT now", TrackStatus::fault));

    static final Tables.Row<TransitionEvent> EVENT = new Tables.Row<>("VrrpTransition", "A VRRP transition", 2,
            col("kind", SimpleType.STRING, "INSTANCE or GROUP", e -> e.kind().name()),
            col("name", SimpleType.STRING, "instance or group", TransitionEvent::name),
            col("from", SimpleType.STRING, "previous state", e -> e.from().name()),
            col("to", SimpleType.STRING, "new state", e -> e.to().name()),
            col("priority", SimpleType.INTEGER, "effective priority", TransitionEvent::effectivePriority),
            col("stopping", SimpleType.BOOLEAN, "the instance is stopping", TransitionEvent::stopping),
            col("time", SimpleType.STRING, "when (ISO-8601)", e -> e.time().toString()));

    private final VrrpService vrrp;
    private final InstancePriorities priorities;
    private final Relays.Transitions transitions;
    private final Consumer<TransitionEvent> sink = this::transition;
    private volatile ConfigReloader reloader;

    @Activate
    public VrrpMBean(@Reference VrrpService vrrp, @Reference InstancePriorities priorities,
            @Reference Relays.Transitions transitions) {
        super("Vigil's VRRP instances, sync groups and interface drivers",
                new MBeanNotificationInfo(new String[] { TRANSITION }, Notification.class.getName(),
                        "an instance or sync group changed state; user data: " + EVENT.composite.getTypeName()));
        this.vrrp = vrrp;
        this.priorities = priorities;
        define(List.of(
                attr("Instances", INSTANCE.table, "every VRRP instance", () -> INSTANCE.of(vrrp.instances())),
                attr("SyncGroups", GROUP.table, "every vrrp_sync_group", () -> GROUP.of(vrrp.syncGroups())),
                attr("Drivers", DRIVER.table, "the interface drivers present", () -> DRIVER.of(vrrp.drivers())),
                attr("ActiveDriver", SimpleType.STRING, "the interface driver in use, \"\" when none",
                        () -> vrrp.activeDriver().orElse(""))),
                List.of(
                        query("tracking", "what an instance tracks, with each verdict", TRACK.table,
                                List.of(param("instance", SimpleType.STRING, "vrrp_instance NAME")),
                                a -> TRACK.of(vrrp.tracking(name(a)))),
                        action("setPriority", "sets an instance's priority (1-254) until the next reload",
                                SimpleType.STRING, List.of(param("instance", SimpleType.STRING, "vrrp_instance NAME"),
                                        param("priority", SimpleType.INTEGER, "1-254")),
                                a -> priorities.set(name(a), (Integer) a[1])),
                        action("forceFault", "holds an instance in FAULT until clearFault", SimpleType.VOID,
                                List.of(param("instance", SimpleType.STRING, "vrrp_instance NAME")), a -> {
                                    vrrp.forceFault(name(a), true);
                                    return null;
                                }),
                        action("clearFault", "releases an operator's FAULT", SimpleType.VOID,
                                List.of(param("instance", SimpleType.STRING, "vrrp_instance NAME")), a -> {
                                    vrrp.forceFault(name(a), false);
                                    return null;
                                }),
                        action("sendGratuitousArp", "a master sends its gratuitous ARP / NA burst again; false "
                                + "when not master", SimpleType.BOOLEAN,
                                List.of(param("instance", SimpleType.STRING, "vrrp_instance NAME")),
                                a -> vrrp.announce(name(a))),
                        action("clearCounters", "every instance's counters back to zero (keepalived's STATS_CLEAR)",
                                SimpleType.VOID, List.of(), a -> {
                                    vrrp.clearCounters();
                                    return null;
                                }),
                        action("reload", "re-reads keepalived.conf and applies what changed (SIGHUP)",
                                SimpleType.STRING, List.of(), a -> reload())));
        this.transitions = transitions;
        transitions.attach(sink);
    }

    @Deactivate
    void deactivate() {
        transitions.detach(sink);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindReloader(ConfigReloader r) {
        reloader = r;
    }

    void unbindReloader(ConfigReloader r) {
        if (reloader == r) {
            reloader = null;
        }
    }

    private static String name(Object[] args) {
        if (args.length == 0 || !(args[0] instanceof String s) || s.isBlank()) {
            throw new IllegalArgumentException("an instance name is required");
        }
        return s.trim();
    }

    private String reload() {
        ConfigReloader r = reloader;
        if (r == null) {
            throw new IllegalStateException("no configuration bundle: nothing to reload");
        }
        return r.reloadVerdict();
    }

    void transition(TransitionEvent e) {
        String who = e.kind() == TransitionEvent.Kind.GROUP ? "group " + e.name() : e.name();
        emit(TRANSITION, "(" + who + ") " + e.from() + " -> " + e.to() + (e.stopping() ? " (stopping)" : ""),
                EVENT.of(e));
    }
}
