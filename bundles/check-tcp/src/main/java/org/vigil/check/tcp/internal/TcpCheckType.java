package org.vigil.check.tcp.internal;

import java.io.IOException;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.vigil.api.check.CheckSpec;
import org.vigil.api.check.CheckType;
import org.vigil.api.check.HealthCheck;

/**
 * keepalived's TCP_CHECK: a real server passes when a TCP connection to it (connect_ip /
 * connect_port, from bindto) opens; the connection is closed at once. Every check of the daemon
 * shares one selector thread. The checker enforces connect_timeout and cancels the attempt.
 */
@Component(service = CheckType.class)
@CheckTypeName(type = TcpCheckType.TYPE)
public final class TcpCheckType implements CheckType {
    static final String TYPE = "TCP_CHECK";

    private final Connector connector;

    @Activate
    public TcpCheckType() throws IOException {
        this(new Connector("vigil-check-tcp"));
    }

    TcpCheckType(Connector connector) {
        this.connector = connector;
    }

    /** Public so that an engine test outside this bundle can stop it as DS does. */
    @Deactivate
    public void deactivate() {
        connector.close();
    }

    @Override
    public HealthCheck prepare(CheckSpec spec) {
        // TCP_CHECK has no keywords of its own beyond the common ones the checker resolves
        return new TcpCheck(spec, connector);
    }
}
