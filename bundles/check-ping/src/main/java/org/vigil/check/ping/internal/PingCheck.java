package org.vigil.check.ping.internal;

import java.net.InetAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.vigil.api.check.CheckContext;
import org.vigil.api.check.CheckResult;
import org.vigil.api.check.CheckSpec;
import org.vigil.api.check.HealthCheck;

/** One prepared PING_CHECK; its success line is keepalived's. */
final class PingCheck implements HealthCheck {
    private final InetAddress to;
    private final Pinger pinger;
    private final String success;
    private final String failed;

    PingCheck(CheckSpec spec, Pinger pinger) {
        this.to = spec.connectTo().getAddress();
        this.pinger = pinger;
        this.success = "ICMP connection to " + spec.realServerText() + " success.";
        this.failed = "ICMP connection to " + spec.realServerText() + " failed";
    }

    @Override
    public CompletionStage<CheckResult> attempt(CheckContext context) {
        CompletableFuture<Void> reply = pinger.ping(to);
        CompletableFuture<CheckResult> result = reply.handle((v, e) -> e == null ? CheckResult.success(success)
                : CheckResult.failure(failed + ": " + cause(e).getMessage() + "."));
        // the checker cancels this stage at connect_timeout: forget the echo with it
        result.whenComplete((r, e) -> {
            if (result.isCancelled()) {
                reply.cancel(false);
            }
        });
        return result;
    }

    private static Throwable cause(Throwable e) {
        return e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
    }
}
