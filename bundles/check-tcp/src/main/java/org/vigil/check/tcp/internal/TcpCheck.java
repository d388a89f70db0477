package org.vigil.check.tcp.internal;

import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.vigil.api.check.CheckContext;
import org.vigil.api.check.CheckResult;
import org.vigil.api.check.CheckSpec;
import org.vigil.api.check.HealthCheck;

/** One prepared TCP_CHECK; its lines are keepalived's. */
final class TcpCheck implements HealthCheck {
    private final CheckSpec spec;
    private final Connector connector;
    private final String success;
    private final String failed;

    TcpCheck(CheckSpec spec, Connector connector) {
        this.spec = spec;
        this.connector = connector;
        this.success = "TCP connection to " + spec.realServerText() + " success.";
        this.failed = "TCP connection to " + spec.realServerText() + " failed.";
    }

    @Override
    public CompletionStage<CheckResult> attempt(CheckContext context) {
        InetSocketAddress bind = spec.bindTo() == null ? null : new InetSocketAddress(spec.bindTo(), 0);
        CompletableFuture<Void> connection = connector.connect(spec.connectTo(), bind);
        CompletableFuture<CheckResult> result = connection
                .handle((v, e) -> e == null ? CheckResult.success(success) : CheckResult.failure(failed));
        // the checker cancels this stage at connect_timeout: pass it on so the socket is closed
        result.whenComplete((r, e) -> {
            if (result.isCancelled()) {
                connection.cancel(false);
            }
        });
        return result;
    }
}
