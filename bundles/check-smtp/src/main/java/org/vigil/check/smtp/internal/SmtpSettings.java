package org.vigil.check.smtp.internal;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.vigil.api.check.CheckProperties;
import org.vigil.api.check.CheckSpec;

/**
 * An SMTP_CHECK block read once: the HELO name and the servers to talk to. keepalived 2.2.7
 * still takes the deprecated {@code host { connect_ip ... }} sub-blocks and makes one more checker
 * of each beside the block's own connection; Vigil runs them all in the one attempt, which passes
 * only when every one of them does (a real server with several checkers is down while any fails).
 */
record SmtpSettings(String heloName, List<Target> targets, boolean deprecatedHosts) {

    /** keepalived's default HELO name for the checker (its SMTP_DEFAULT_HELO). */
    static final String DEFAULT_HELO = "smtpchecker.keepalived.org";

    /**
     * One server to hold the dialogue with.
     *
     * @param timeout a host block's own connect_timeout, or null: the checker's applies
     */
    record Target(InetSocketAddress connectTo, InetSocketAddress bindTo, Duration timeout) {
        /** keepalived names the server in its per-attempt lines as address and port. */
        String text() {
            return "[" + connectTo.getAddress().getHostAddress() + "]:" + connectTo.getPort();
        }
    }

    /** A host sub-block's connection keywords (the others, retry and friends, are taken and unused there, as keepalived does). */
    @interface HostKeys {
        String connect_ip() default "";

        int connect_port() default -1;

        String bindto() default "";

        int bind_port() default 0;

        double connect_timeout() default -1;
    }

    static SmtpSettings parse(CheckSpec spec) {
        CheckProperties p = spec.properties();
        // CheckProperties maps helo_name to helo.name; read it straight to keep the name's spaces
        String helo = p.get("helo.name").orElse("").trim();
        if (p.tokens("helo.name").map(List::isEmpty).orElse(false)) {
            throw new IllegalArgumentException("SMTP_CHECK helo name missing");
        }
        if (helo.isEmpty()) {
            helo = DEFAULT_HELO;
        }
        if (helo.indexOf('\r') >= 0 || helo.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("SMTP_CHECK helo_name must be one line");
        }
        InetSocketAddress bind = spec.bindTo() == null ? null : new InetSocketAddress(spec.bindTo(), 0);
        List<Target> targets = new ArrayList<>();
        targets.add(new Target(spec.connectTo(), bind, null));
        List<CheckProperties> hosts = p.blocks("host");
        for (CheckProperties h : hosts) {
            HostKeys k = h.as(HostKeys.class);
            InetAddress ip = k.connect_ip().isEmpty() ? spec.connectTo().getAddress() : literal(k.connect_ip());
            int port = k.connect_port() >= 0 ? k.connect_port() : spec.connectTo().getPort();
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("SMTP_CHECK host connect_port " + port + " is not a port");
            }
            InetSocketAddress hostBind = bind;
            if (!k.bindto().isEmpty() || k.bind_port() > 0) {
                InetAddress from = k.bindto().isEmpty() ? (spec.bindTo() == null ? null : spec.bindTo()) : literal(k.bindto());
                hostBind = from == null ? new InetSocketAddress(k.bind_port()) : new InetSocketAddress(from, k.bind_port());
            }
            Duration timeout = k.connect_timeout() < 0 ? null : Duration.ofMillis(Math.round(k.connect_timeout() * 1000));
            targets.add(new Target(new InetSocketAddress(ip, port), hostBind, timeout));
        }
        return new SmtpSettings(helo, List.copyOf(targets), !hosts.isEmpty());
    }

    /** An address literal only: a check never waits on a name lookup. */
    static InetAddress literal(String text) {
        String t = text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
        if (!t.matches("[0-9.]+|[0-9A-Fa-f:.]*:[0-9A-Fa-f:.%a-zA-Z0-9]*")) {
            throw new IllegalArgumentException("SMTP_CHECK: '" + text + "' is not an IP address");
        }
        try {
            return InetAddress.getByName(t);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException("SMTP_CHECK: '" + text + "' is not an IP address", e);
        }
    }
}
