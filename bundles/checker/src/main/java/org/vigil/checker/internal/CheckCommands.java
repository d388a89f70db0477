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
@GogoCommand(scope = "check", function = { "list", "show" })
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
