package org.vigil.check.dns.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import org.vigil.api.check.CheckContext;
import org.vigil.api.check.CheckResult;
import org.vigil.api.check.CheckSpec;
import org.vigil.api.check.HealthCheck;
import org.vigil.check.support.Datagrams;

/**
 * One prepared DNS_CHECK. Each attempt sends one query with a fresh random id; a datagram that is
 * too short, carries another id or is not a response is ignored and the wait goes on (a stray or
 * late datagram never decides the check); the first real reply decides it on its RCODE alone, as
 * keepalived 2.2.7 does (NOERROR passes, also with no answer records). No reply: the attempt
 * fails just before the checker's connect_timeout with keepalived's "read timeout from socket".
 */
final class DnsCheck implements HealthCheck {
    private final CheckSpec spec;
    private final DnsSettings settings;
    private final Datagrams datagrams;
    private final String prefix;

    DnsCheck(CheckSpec spec, DnsSettings settings, Datagrams datagrams) {
        this.spec = spec;
        this.settings = settings;
        this.datagrams = datagrams;
        // keepalived's per-attempt lines read "DNS_CHECK ([rs]) <what>"
        this.prefix = "DNS_CHECK (" + spec.realServerText() + ") ";
    }

    DnsSettings settings() {
        return settings;
    }

    @Override
    public CompletionStage<CheckResult> attempt(CheckContext context) {
        int id = ThreadLocalRandom.current().nextInt(0x10000);
        byte[] query = DnsMessage.query(id, settings.wireName(), settings.type());
        InetSocketAddress bind = spec.bindTo() == null ? null : new InetSocketAddress(spec.bindTo(), 0);
        CompletableFuture<CheckResult> f = datagrams.exchange(spec.connectTo(), bind, query, new Datagrams.Receiver<CheckResult>() {
            @Override
            public CheckResult datagram(ByteBuffer datagram) {
                DnsMessage.Header h = DnsMessage.Header.of(datagram);
                if (h == null || h.id() != id || !h.response()) {
                    return null;
                }
                if (h.rcode() != 0) {
                    return CheckResult.failure(prefix + "read error occurred. (rcode = " + h.rcode() + ")");
                }
                return CheckResult.success(prefix + settings.typeName() + " " + settings.name() + " answered.");
            }

            @Override
            public CheckResult error(IOException e, boolean sending) {
                if (sending) {
                    return CheckResult.failure(prefix + "failed to write socket.");
                }
                // keepalived prints errno and strerror; Java gives the ICMP port unreachable as its own exception
                return CheckResult.failure(prefix + "failed to read socket; "
                        + (e instanceof PortUnreachableException ? "errno 111 (Connection refused)" : e.getMessage()));
            }
        });
        if (!f.isDone()) {
            ScheduledFuture<?> timeout = context.scheduler().schedule(
                    () -> f.complete(CheckResult.failure(prefix + "read timeout from socket")),
                    deadline(spec.connectTimeout()).toNanos(), TimeUnit.NANOSECONDS);
            f.whenComplete((r, e) -> timeout.cancel(false));
        }
        return f;
    }

    /**
     * When an attempt without a reply gives up on its own: a little before the checker's
     * connect_timeout (less a fifth of it, at most 250 ms less), so that it ends with keepalived's
     * line rather than the checker's generic timeout line.
     */
    static Duration deadline(Duration connectTimeout) {
        Duration fifth = connectTimeout.dividedBy(5);
        Duration margin = Duration.ofMillis(250);
        return connectTimeout.minus(fifth.compareTo(margin) < 0 ? fifth : margin);
    }
}
