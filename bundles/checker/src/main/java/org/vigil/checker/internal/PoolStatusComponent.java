package org.vigil.checker.internal;

import java.util.List;
import java.util.Optional;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.vigil.api.check.PoolStatus;

/** The pools for management (JMX, the status page), as the api's read-only values. */
@Component(service = PoolStatus.class)
public final class PoolStatusComponent implements PoolStatus {
    private final Checker checker;

    @Activate
    public PoolStatusComponent(@Reference Checker checker) {
        this.checker = checker;
    }

    @Override
    public List<VirtualServer> virtualServers() {
        return checker.snapshot().stream().map(PoolStatusComponent::virtual).toList();
    }

    @Override
    public List<String> checkTypes() {
        return checker.totals().types().stream().sorted().toList();
    }

    @Override
    public Optional<String> loadBalancerDriver() {
        return checker.driverName();
    }

    static VirtualServer virtual(Status.Virtual v) {
        return new VirtualServer(v.text(), v.scheduler(), v.method(), v.quorum(), v.quorumUp(), v.liveWeight(),
                v.sorryActive(), v.reals().stream().map(PoolStatusComponent::real).toList(),
                v.sorry() == null ? null : real(v.sorry()));
    }

    private static RealServer real(Status.Real r) {
        return new RealServer(r.text(), r.sorry(), r.inPool(), r.inPool() || !r.inhibit() ? r.weight() : 0,
                r.checks().stream().map(c -> new Check(c.type(), c.status().equals("preparing") ? "active" : c.status(),
                        c.up(), c.failures(), c.lastLine(), c.latencyMicros())).toList());
    }
}
