package org.vigil.jmx.internal;

import static org.vigil.jmx.internal.OpenMBean.action;
import static org.vigil.jmx.internal.OpenMBean.attr;
import static org.vigil.jmx.internal.Tables.STRINGS;

import java.util.List;
import java.util.function.Function;

import javax.management.MBeanNotificationInfo;
import javax.management.Notification;
import javax.management.openmbean.SimpleType;

import org.vigil.api.vrrp.InstanceStatus;
import org.vigil.api.vrrp.TransitionEvent;
import org.vigil.api.vrrp.VrrpService;

/**
 * {@code org.vigil:type=VrrpInstance,name=VI_1}: one instance as jconsole lists it, its values as
 * attributes, the operator's actions without the name argument, and its own transitions. Made
 * and dropped by {@link InstanceMBeans} as instances come and go.
 */
final class InstanceMBean extends OpenMBean {
    static final String TYPE = "org.vigil:type=VrrpInstance";

    private final String name;
    private final VrrpService vrrp;

    InstanceMBean(String name, VrrpService vrrp, InstancePriorities priorities) {
        super("VRRP instance " + name, new MBeanNotificationInfo(new String[] { VrrpMBean.TRANSITION },
                Notification.class.getName(), "this instance changed state; user data: "
                        + VrrpMBean.EVENT.composite.getTypeName()));
        this.name = name;
        this.vrrp = vrrp;
        define(List.of(
                attr("Status", VrrpMBean.INSTANCE.composite, "every value at once", () -> VrrpMBean.INSTANCE.of(now())),
                value("State", SimpleType.STRING, "INIT, BACKUP, MASTER or FAULT", s -> s.state().name()),
                value("Priority", SimpleType.INTEGER, "effective priority", InstanceStatus::effectivePriority),
                value("BasePriority", SimpleType.INTEGER, "configured priority", InstanceStatus::basePriority),
                value("VirtualRouterId", SimpleType.INTEGER, "VRID", InstanceStatus::vrid),
                value("Interface", SimpleType.STRING, "interface", InstanceStatus::interfaceName),
                value("Master", SimpleType.STRING, "the master's address", s -> Tables.text(s.masterAddress())),
                value("VirtualAddresses", STRINGS, "virtual_ipaddress", s -> s.virtualAddresses().toArray(String[]::new)),
                value("HeldAddresses", STRINGS, "held now", s -> s.heldAddresses().toArray(String[]::new)),
                value("AdvertsSent", SimpleType.LONG, "adverts sent", s -> s.counters().advertsSent()),
                value("AdvertsReceived", SimpleType.LONG, "adverts received", s -> s.counters().advertsReceived()),
                value("BecameMaster", SimpleType.LONG, "transitions into MASTER", s -> s.counters().becameMaster()),
                attr("Tracking", VrrpMBean.TRACK.table, "what it tracks, with each verdict",
                        () -> VrrpMBean.TRACK.of(vrrp.tracking(name)))),
                List.of(
                        action("setPriority", "sets the priority (1-254) until the next reload", SimpleType.STRING,
                                List.of(param("priority", SimpleType.INTEGER, "1-254")),
                                a -> priorities.set(name, (Integer) a[0])),
                        action("forceFault", "holds the instance in FAULT until clearFault", SimpleType.VOID, List.of(),
                                a -> {
                                    vrrp.forceFault(name, true);
                                    return null;
                                }),
                        action("clearFault", "releases an operator's FAULT", SimpleType.VOID, List.of(), a -> {
                            vrrp.forceFault(name, false);
                            return null;
                        }),
                        action("sendGratuitousArp", "a master sends its gratuitous ARP / NA burst again",
                                SimpleType.BOOLEAN, List.of(), a -> vrrp.announce(name))));
    }

    private Attr value(String attribute, javax.management.openmbean.OpenType<?> type, String description,
            Function<InstanceStatus, Object> f) {
        return attr(attribute, type, description, () -> f.apply(now()));
    }

    private InstanceStatus now() {
        return vrrp.instance(name).orElseThrow(() -> new IllegalStateException("instance " + name + " is gone"));
    }

    void transition(TransitionEvent e) {
        emit(VrrpMBean.TRANSITION, "(" + name + ") " + e.from() + " -> " + e.to() + (e.stopping() ? " (stopping)" : ""),
                VrrpMBean.EVENT.of(e));
    }
}
