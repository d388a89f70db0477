package org.vigil.check.dns.internal;

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
 * keepalived's DNS_CHECK: one UDP query (type, default SOA, for name, default the root) to the
 * real server; it passes on a reply with the query's id, the response bit and RCODE NOERROR.
 * keepalived's retry default for it (3) and its delay_before_retry (delay_loop) are the
 * checker's. Every check of the daemon shares one selector thread.
 */
@Component(service = CheckType.class)
@CheckTypeName(type = DnsCheckType.TYPE)
public final class DnsCheckType implements CheckType {
    /** Larger than any reply a check reads; DNS over UDP without EDNS is 512 bytes. */
    static final int MAX_DATAGRAM = 4096;
    static final String TYPE = "DNS_CHECK";
    private static final Logger LOG = LoggerFactory.getLogger(DnsCheckType.class);

    private final Datagrams datagrams;

    @Activate
    public DnsCheckType() throws IOException {
        this.datagrams = new Datagrams("vigil-check-dns", MAX_DATAGRAM);
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
        return new DnsCheck(spec, DnsSettings.parse(spec, warning -> LOG.warn("{}: {}", spec.origin(), warning)), datagrams);
    }
}
