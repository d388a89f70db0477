package org.vigil.check.udp.internal;

import java.io.IOException;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vigil.api.check.CheckSpec;
import org.vigil.api.check.CheckType;
import org.vigil.api.check.CheckTypeName;
import org.vigil.api.check.HealthCheck;
import org.vigil.check.support.Datagrams;

/**
 * keepalived's UDP_CHECK: a datagram (payload, else random bytes) to the real server; it fails on
 * an ICMP unreachable and, with require_reply, without a (matching) reply. Every check of the
 * daemon shares one selector thread.
 */
@Component(service = CheckType.class)
@CheckTypeName(type = UdpCheckType.TYPE)
public final class UdpCheckType implements CheckType {
    static final String TYPE = "UDP_CHECK";
    private static final Logger LOG = LoggerFactory.getLogger(UdpCheckType.class);

    private final Datagrams datagrams;

    @Activate
    public UdpCheckType() throws IOException {
        // a reply longer than the longest max_reply_length is cut there, and then fails as too long
        this.datagrams = new Datagrams("vigil-check-udp", UdpSettings.LONGEST);
    }

    @Deactivate
    public void deactivate() {
        datagrams.close();
    }

    Datagrams datagrams() {
        return datagrams;
    }

    @Override
    public HealthCheck prepare(CheckSpec spec) {
        UdpSettings s = UdpSettings.parse(spec.properties(), warning -> LOG.warn("{}: {}", spec.origin(), warning));
        return new UdpCheck(spec, s, datagrams);
    }
}
