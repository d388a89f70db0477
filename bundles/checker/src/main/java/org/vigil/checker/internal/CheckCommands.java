package org.vigil.checker.internal;

import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.annotations.GogoCommand;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The {@code check:*} Gogo commands (also {@code bin/vigil ctl check:list}). They live here, not
 * in the shell bundle, so the shell needs no checker: the commands come and go with this bundle.
 */
@Component(service = CheckCommands.class)
@GogoCommand(scope = "check", function = { "list", "show", "driver" })
public final class CheckCommands {
    private final Checker checker;

    @Activate
    public CheckCommands(@Reference Checker checker) {
        this.checker = checker;
    }

    @Descriptor("lists every virtual server: quorum, live weight, real servers up, and the checks' totals")
    public String list() {
        return StatusText.list(checker.snapshot(), checker.totals(), checker.driverName());
    }

    @Descriptor("shows the load-balancer drivers and which one programs the pools")
    public String driver() {
        List<String> names = checker.driverNames();
        return "load-balancer drivers (best ranked first): " + (names.isEmpty() ? "none" : String.join(", ", names))
                + "\nprogramming the pools: " + checker.driverName().orElse("none (pools are reported only)")
                + "\npreferred: " + Optional.ofNullable(checker.preferredDriver()).orElse("none (ranking decides)");
    }

    @Descriptor("prefers a load-balancer driver by name (nft, ipvs) over ranking; '-' goes back to ranking")
    public String driver(@Descriptor("the driver's name, or - for the best ranked") String name) {
        checker.preferDriver(name.equals("-") ? null : name);
        checker.totals(); // a round trip through the checker's loop: the choice is made by now
        return driver();
    }

    @Descriptor("shows one virtual server: each real server's state, weight, checks, last result, failures, latency")
    public String show(@Descriptor("the virtual server: [192.0.2.249]:tcp:80, 192.0.2.249:tcp:80, FWM 10, or a unique part")
            String name) {
        List<Status.Virtual> all = checker.snapshot();
        Optional<Status.Virtual> vs = StatusText.find(all, name);
        if (vs.isEmpty()) {
            String known = all.stream().map(Status.Virtual::text).collect(Collectors.joining(", "));
            throw new IllegalArgumentException("No virtual server '" + name + "'"
                    + (known.isEmpty() ? "; none are configured" : "; known: " + known));
        }
        return StatusText.show(vs.get());
    }
}
