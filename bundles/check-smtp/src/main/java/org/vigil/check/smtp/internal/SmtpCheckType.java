package org.vigil.check.smtp.internal;

import java.io.IOException;
import java.nio.channels.AsynchronousChannelGroup;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vigil.api.check.CheckSpec;
import org.vigil.api.check.CheckType;
import org.vigil.api.check.CheckTypeName;
import org.vigil.api.check.HealthCheck;

/**
 * keepalived's SMTP_CHECK: connect, read the 220 banner, HELO, expect 250, QUIT. Every check of
 * the daemon shares one asynchronous channel group of one thread; a socket exists only while its
 * dialogue runs. The checker enforces connect_timeout and cancels the attempt, which closes it.
 */
@Component(service = CheckType.class)
@CheckTypeName(type = SmtpCheckType.TYPE)
public final class SmtpCheckType implements CheckType {
    static final String TYPE = "SMTP_CHECK";
    private static final Logger LOG = LoggerFactory.getLogger(SmtpCheckType.class);

    /** Made for the first SMTP_CHECK: a daemon without one has no thread for it. Guarded by this. */
    private AsynchronousChannelGroup group;
    private boolean stopped;

    private synchronized AsynchronousChannelGroup group() throws IOException {
        if (stopped) {
            throw new IOException("SMTP_CHECK is stopping");
        }
        if (group == null) {
            AtomicInteger n = new AtomicInteger();
            // one thread: the callbacks only parse a line and start the next read or write
            group = AsynchronousChannelGroup.withFixedThreadPool(1, r -> {
                Thread t = new Thread(r, "vigil-check-smtp" + (n.incrementAndGet() == 1 ? "" : "-" + n.get()));
                t.setDaemon(true);
                return t;
            });
        }
        return group;
    }

    @Deactivate
    public void deactivate() {
        AsynchronousChannelGroup g;
        synchronized (this) {
            stopped = true;
            g = group;
        }
        if (g == null) {
            return;
        }
        g.shutdown();
        try {
            if (!g.awaitTermination(1, TimeUnit.SECONDS)) {
                g.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            LOG.debug("closing the SMTP_CHECK channels", e);
        }
    }

    @Override
    public HealthCheck prepare(CheckSpec spec) {
        SmtpSettings settings = SmtpSettings.parse(spec);
        if (settings.deprecatedHosts()) {
            // keepalived's own words at configuration time
            LOG.info("The SMTP_CHECK host block is deprecated. Please define additional checkers.");
        }
        try {
            return new SmtpCheck(spec, settings, group());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("SMTP_CHECK cannot start its I/O thread: " + e.getMessage(), e);
        }
    }
}
