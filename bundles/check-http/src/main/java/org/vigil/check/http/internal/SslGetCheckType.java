package org.vigil.check.http.internal;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.vigil.api.check.CheckSpec;
import org.vigil.api.check.CheckType;
import org.vigil.api.check.HealthCheck;

/**
 * SSL_GET: HTTP_GET over TLS (the JDK's SSLEngine), with keepalived's defaults: no certificate
 * verification, and a server name (SNI) only with {@code enable_sni}, taken from the virtualhost.
 */
@Component(property = CheckType.TYPE_PROPERTY + "=" + SslGetCheckType.TYPE)
public final class SslGetCheckType implements CheckType {
    static final String TYPE = "SSL_GET";

    private final IoLoop loop;

    @Activate
    public SslGetCheckType(@Reference IoLoop loop) {
        this.loop = loop;
    }

    @Override
    public HealthCheck prepare(CheckSpec spec) {
        return HttpGetCheckType.prepare(loop, spec, true);
    }

    /** keepalived's summary line says SSL_CHECK. */
    @Override
    public String logName(CheckSpec spec) {
        return "SSL_CHECK";
    }
}
