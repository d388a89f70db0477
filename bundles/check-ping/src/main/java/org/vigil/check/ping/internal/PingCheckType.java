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
 * enforces. Every check shares one {@link Pinger}: a socket per family and one receive thread,
 * opened at the first PING_CHECK prepared, so that a configuration without one never loads the
 * native binding (jnr-ffi's start costs 0.2 s and a few MB; README, "The appliance image").
 */
@Component(service = CheckType.class)
@CheckTypeName(type = PingCheckType.TYPE)
public final class PingCheckType implements CheckType {
    static final String TYPE = "PING_CHECK";

    private static final Logger LOG = LoggerFactory.getLogger(PingCheckType.class);

    /** Guarded by this; null until the first PING_CHECK. */
    private Pinger pinger;
    private final AtomicBoolean bindtoLogged = new AtomicBoolean();

    @Activate
    public PingCheckType() {
    }

    PingCheckType(Pinger pinger) {
        this.pinger = pinger;
    }

    /** Public so that an engine test outside this bundle can stop it as DS does. */
    @Deactivate
    public synchronized void deactivate() {
        if (pinger != null) {
            pinger.close();
        }
    }

    /** The shared pinger, opened now if this is the first check (in the daemon's network namespace). */
    private synchronized Pinger pinger(CheckSpec spec) {
        if (pinger == null) {
            try {
                pinger = new Pinger("vigil-check-ping");
            } catch (IOException e) {
                throw new IllegalArgumentException("PING_CHECK of " + spec.realServerText() + ": " + e.getMessage(), e);
            }
        }
        return pinger;
    }

    @Override
    public HealthCheck prepare(CheckSpec spec) {
        Pinger pinger = pinger(spec);
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
