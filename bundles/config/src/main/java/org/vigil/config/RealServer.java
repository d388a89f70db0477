package org.vigil.config;

import java.math.BigDecimal;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A real_server (or the sorry_server) of a virtual server, as written: null when a keyword was
 * absent. The effective values, with the virtual server's settings as defaults, are computed by
 * {@link Configurations}. Built by the parser; read-only to everybody else.
 */
public final class RealServer {

    /** keepalived's weight without a weight keyword. */
    public static final int DEFAULT_WEIGHT = 1;

    final InetAddress address;
    /** The port as written, null when none was. */
    final Integer writtenPort;
    final boolean sorry;
    final Origin origin;
    /** After the virtual server's fix-ups (a missing port takes the virtual server's). */
    int port;
    Integer weight;
    LvsMethod method;
    NotifyScript notifyUp;
    NotifyScript notifyDown;
    Long uthreshold;
    Long lthreshold;
    Boolean smtpAlert;
    String virtualhost;
    Boolean alpha;
    Boolean inhibitOnFailure;
    BigDecimal delayLoop;
    BigDecimal connectTimeout;
    BigDecimal delayBeforeRetry;
    BigDecimal warmup;
    Integer retry;
    String snmpName;
    final List<CheckBlock> checks = new ArrayList<>();

    RealServer(InetAddress address, Integer writtenPort, boolean sorry, Origin origin) {
        this.address = address;
        this.writtenPort = writtenPort;
        this.port = writtenPort == null ? 0 : writtenPort;
        this.sorry = sorry;
        this.origin = origin;
    }

    public InetAddress address() { return address; }
    public int port() { return port; }
    public boolean sorry() { return sorry; }
    public Origin origin() { return origin; }
    public Integer weight() { return weight; }
    public int effectiveWeight() { return weight == null ? DEFAULT_WEIGHT : weight; }
    public LvsMethod method() { return method; }
    public NotifyScript notifyUp() { return notifyUp; }
    public NotifyScript notifyDown() { return notifyDown; }
    public Long uthreshold() { return uthreshold; }
    public Long lthreshold() { return lthreshold; }
    public Boolean smtpAlert() { return smtpAlert; }
    public String virtualhost() { return virtualhost; }
    public Boolean alpha() { return alpha; }
    public Boolean inhibitOnFailure() { return inhibitOnFailure; }
    /** Seconds, null when absent (as are the other times). */
    public BigDecimal delayLoop() { return delayLoop; }
    public BigDecimal connectTimeout() { return connectTimeout; }
    public BigDecimal delayBeforeRetry() { return delayBeforeRetry; }
    public BigDecimal warmup() { return warmup; }
    public Integer retry() { return retry; }
    public List<CheckBlock> checks() { return Collections.unmodifiableList(checks); }

    /** keepalived's form in log lines: {@code [192.0.2.21]:tcp:80}. */
    public String text(String protocol) {
        return "[" + IpLiterals.text(address) + "]:" + protocol + ":" + port;
    }

    /** address:port, IPv6 in brackets: the real server's identity within its virtual server. */
    public String identity() {
        String a = IpLiterals.text(address);
        return (address instanceof Inet6Address ? "[" + a + "]" : a) + ":" + port;
    }

    @Override
    public String toString() {
        return (sorry ? "sorry_server " : "real_server ") + identity() + " (" + origin + ")";
    }
}
