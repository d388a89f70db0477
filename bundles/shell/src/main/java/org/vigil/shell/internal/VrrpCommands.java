package org.vigil.shell.internal;

import java.time.Clock;
import java.time.ZoneId;
import java.util.stream.Collectors;

import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.annotations.GogoCommand;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.vigil.api.vrrp.InstanceStatus;
import org.vigil.api.vrrp.VrrpService;

/** The {@code vrrp:*} Gogo commands. They return text; Gogo prints it. */
@Component(service = VrrpCommands.class)
@GogoCommand(scope = "vrrp", function = { "list", "show", "driver" })
public final class VrrpCommands {

    private final VrrpService vrrp;
    private final StatusFormatter formatter;

    @Activate
    public VrrpCommands(@Reference(name = "vrrp") VrrpService vrrp) {
        this(vrrp, new StatusFormatter(Clock.systemUTC(), ZoneId.systemDefault()));
    }

    VrrpCommands(VrrpService vrrp, StatusFormatter formatter) {
        this.vrrp = vrrp;
        this.formatter = formatter;
    }

    @Descriptor("lists every VRRP instance: state, priority, master and VIPs")
    public String list() {
        return formatter.list(vrrp.instances());
    }

    @Descriptor("shows one VRRP instance in detail, with its timers and counters")
    public String show(@Descriptor("the instance name (vrrp_instance NAME)") String name) {
        InstanceStatus status = vrrp.instance(name).orElseThrow(() -> new IllegalArgumentException(
                "No VRRP instance named '" + name + "'" + known()));
        return formatter.show(status);
    }

    @Descriptor("names the interface driver the election core uses")
    public String driver() {
        return vrrp.activeDriver().orElse("none: no interface driver is bound, instances are in FAULT");
    }

    private String known() {
        var names = vrrp.instances().stream().map(InstanceStatus::name).collect(Collectors.joining(", "));
        return names.isEmpty() ? "; none are configured" : "; known: " + names;
    }
}
