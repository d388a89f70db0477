package org.vigil.shell.internal;

import java.time.Clock;
import java.time.ZoneId;
import java.util.regex.Pattern;
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

    /** What {@code vrrp:driver} takes for "the framework property, else the highest ranking". */
    static final String AUTO = "auto";
    private static final Pattern DRIVER_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

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

    @Descriptor("shows one VRRP instance in detail: timers, counters, and what it tracks")
    public String show(@Descriptor("the instance name (vrrp_instance NAME)") String name) {
        InstanceStatus status = vrrp.instance(name).orElseThrow(() -> new IllegalArgumentException(
                "No VRRP instance named '" + name + "'" + known()));
        return formatter.show(status, vrrp.tracking(status.name()));
    }

    @Descriptor("lists the interface drivers present and marks the one the election core uses")
    public String driver() {
        return formatter.drivers(vrrp.drivers(), vrrp.selectedDriver().orElse(null));
    }

    @Descriptor("selects the interface driver at run time, keeping every instance's state; 'auto' returns to the default")
    public String driver(@Descriptor("the driver name: linux, pcap, sim; or auto") String name) {
        String wanted = name.trim();
        if (!DRIVER_NAME.matcher(wanted).matches()) {
            throw new IllegalArgumentException("Not a driver name: '" + name + "' (linux, pcap, sim, or auto)");
        }
        vrrp.selectDriver(AUTO.equals(wanted) ? null : wanted);
        return formatter.drivers(vrrp.drivers(), vrrp.selectedDriver().orElse(null));
    }

    private String known() {
        var names = vrrp.instances().stream().map(InstanceStatus::name).collect(Collectors.joining(", "));
        return names.isEmpty() ? "; none are configured" : "; known: " + names;
    }
}
