package org.vigil.check.http.internal;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vigil.api.check.CheckSpec;
import org.vigil.api.check.CheckType;
import org.vigil.api.check.HealthCheck;

/** HTTP_GET: a GET over plain TCP, its reply tested by status code, MD5 digest and regex. */
@Component(property = CheckType.TYPE_PROPERTY + "=" + HttpGetCheckType.TYPE)
public final class HttpGetCheckType implements CheckType {
    static final String TYPE = "HTTP_GET";
    private static final Logger LOG = LoggerFactory.getLogger(HttpGetCheckType.class);

    private final IoLoop loop;

    @Activate
    public HttpGetCheckType(@Reference IoLoop loop) {
        this.loop = loop;
    }

    @Override
    public HealthCheck prepare(CheckSpec spec) {
        return prepare(loop, spec, false);
    }

    static HealthCheck prepare(IoLoop loop, CheckSpec spec, boolean ssl) {
        WebCheckSettings settings = WebCheckSettings.parse(spec, ssl, warning -> LOG.warn("{}: {}", spec.origin(), warning));
        return new WebCheck(loop, spec, settings);
    }

    /** keepalived's summary line says HTTP_CHECK. */
    @Override
    public String logName(CheckSpec spec) {
        return "HTTP_CHECK";
    }
}
