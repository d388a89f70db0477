package org.vigil.check.udp.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.vigil.api.check.CheckContext;
import org.vigil.api.check.CheckResult;
import org.vigil.api.check.CheckSpec;
import org.vigil.api.check.HealthCheck;
import org.vigil.check.support.Datagrams;

/**
 * One prepared UDP_CHECK, keepalived 2.2.7's rules: the datagram is sent on a connected channel;
 * an ICMP unreachable (a PortUnreachableException on the read) fails; a reply passes, unless
 * require_reply has a pattern it does not match; no reply by connect_timeout passes, unless
 * require_reply is set. The checker counts an attempt still open at connect_timeout as failed with
 * its own line, so this check ends a silent wait itself a little earlier: with success, or with
 * require_reply keepalived's failure line.
 */
final class UdpCheck implements HealthCheck {
    /** How much earlier than the checker's connect_timeout the silent wait ends: at most this, at most a fifth of it. */
    static final Duration MARGIN = Duration.ofMillis(250);

    private final CheckSpec spec;
    private final UdpSettings settings;
    private final Datagrams datagrams;
    private final String success;
    private final String failed;
    private final String mismatch;

    UdpCheck(CheckSpec spec, UdpSettings settings, Datagrams datagrams) {
        this.spec = spec;
        this.settings = settings;
        this.datagrams = datagrams;
        this.success = "UDP connection to " + spec.realServerText() + " success.";
        this.failed = "UDP connection to " + spec.realServerText() + " failed.";
        this.mismatch = "UDP check to " + spec.realServerText() + " reply data mismatch.";
    }

    UdpSettings settings() {
        return settings;
    }

    /** How long a check waits in silence before it decides (passes, or fails with require_reply). */
    static Duration silentWait(Duration connectTimeout) {
        Duration fifth = connectTimeout.dividedBy(5);
        return connectTimeout.minus(fifth.compareTo(MARGIN) < 0 ? fifth : MARGIN);
    }

    @Override
    public CompletionStage<CheckResult> attempt(CheckContext context) {
        InetSocketAddress bind = spec.bindTo() == null ? null : new InetSocketAddress(spec.bindTo(), 0);
        CompletableFuture<CheckResult> f = datagrams.exchange(spec.connectTo(), bind, settings.datagram(),
                new Datagrams.Receiver<CheckResult>() {
                    @Override
                    public CheckResult datagram(ByteBuffer datagram) {
                        return settings.accepts(datagram) ? CheckResult.success(success) : CheckResult.failure(mismatch);
                    }

                    @Override
                    public CheckResult error(IOException e, boolean sending) {
                        return CheckResult.failure(failed);
                    }
                });
        if (!f.isDone()) {
            // silence: a pass without require_reply; with it, keepalived's failure line, not the checker's timeout line
            CheckResult silence = settings.requireReply() ? CheckResult.failure(failed) : CheckResult.success(success);
            ScheduledFuture<?> quiet = context.scheduler().schedule(() -> f.complete(silence),
                    silentWait(spec.connectTimeout()).toNanos(), TimeUnit.NANOSECONDS);
            f.whenComplete((r, e) -> quiet.cancel(false));
        }
        return f;
    }
}
