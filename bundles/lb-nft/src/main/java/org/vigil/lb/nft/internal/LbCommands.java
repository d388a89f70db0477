package org.vigil.lb.nft.internal;

import java.io.IOException;

import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.annotations.GogoCommand;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code lb:show} (also {@code bin/vigil ctl lb:show}): the checker's pools as the driver last
 * programmed them, beside what the kernel holds, read back with {@code nft -j list table}. A
 * difference is printed, logged and repaired (the table rebuilt). Here, not in the shell bundle,
 * so the command comes and goes with the driver.
 */
@Component(service = LbCommands.class)
@GogoCommand(scope = "lb", function = { "show" })
public final class LbCommands {
    private final NftLoadBalancer lb;

    @Activate
    public LbCommands(@Reference NftLoadBalancer lb) {
        this.lb = lb;
    }

    @Descriptor("shows each virtual service: the checker's real servers and weights beside the kernel's nftables slots and counters")
    public String show() throws IOException {
        NftDriver d = lb.driver().orElseThrow(
                () -> new IllegalStateException("The nftables driver is not active here (see the log line at start)"));
        return LbText.show(d.verify(true), d.table());
    }
}
