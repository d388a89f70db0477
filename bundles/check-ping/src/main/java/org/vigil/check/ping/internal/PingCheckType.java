package org.vigil.check.ping.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.util.concurrent.atomic.AtomicBoolean;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vigil.api.check.CheckSpec;
import org.vigil.api.check.CheckType;
import org.vigil.api.check.CheckTypeName;
import org.vigil.api.check.HealthCheck;

/**
 * keepalived's PING_CHECK: a real server passes when it answers an ICMP (ICMPv6) echo request
 * sent to it (connect_ip, else the real server) within connect_timeout, which the checker
 * enforces. Every check shares one {@link Pinger}: a socket per family and one receive thread.
 */
@Component(service = CheckType.class)
@CheckTypeName(type = PingCheckType.TYPE)
public final class PingCheckType implements CheckType {
    static final String TYPE = "PING_CHECK";

    private static final Logger LOG = LoggerFactory.getLogger(PingCheckType.class);

    private final Pinger pinger;
    private final AtomicBoolean bindtoLogged = new AtomicBoolean();

    @Activate
    public PingCheckType() throws IOException {
        this(new Pinger("vigil-check-ping"));
    }

    PingCheckType(Pinger pinger) {
        this.pinger = pinger;
    }

    /** Public so that an engine test outside this bundle can stop it as DS does. */
    @Deactivate
    public void deactivate() {
        pinger.close();
    }

    @Override
    public HealthCheck prepare(CheckSpec spec) {
        InetAddress to = spec.connectTo().getAddress();
        String why = pinger.unavailable(to);
        if (why != null) {
            throw new IllegalArgumentException("PING_CHECK of " + spec.realServerText() + ": " + why);
        }
        if (spec.bindTo() != null && bindtoLogged.compareAndSet(false, true)) {
            LOG.warn("PING_CHECK ignores bindto (one shared ICMP socket per family): the kernel picks the source"
                    + " address of {}", spec.realServerText());
        }
        return new PingCheck(spec, pinger);
    }

    /** keepalived's summary line: "ICMP CHECK on service [rs] ... failed after N retries." */
    @Override
    public String logName(CheckSpec spec) {
        return "ICMP CHECK";
    }
}
