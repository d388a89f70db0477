package org.vigil.check.dns.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;

import org.vigil.api.check.CheckContext;
import org.vigil.api.check.CheckResult;
import org.vigil.api.check.CheckSpec;
import org.vigil.api.check.HealthCheck;

/**
 * One prepared DNS_CHECK. Each attempt sends one query with a fresh random id; a datagram that is
 * too short, carries another id or is not a response is ignored and the wait goes on (a stray or
 * late datagram never decides the check); the first real reply decides it on its RCODE alone, as
 * keepalived 2.2.7 does (NOERROR passes, also with no answer records). The checker's
 * connect_timeout ends a wait with no reply.
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
        return datagrams.exchange(spec.connectTo(), bind, query, new Datagrams.Receiver<CheckResult>() {
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
    }
}
