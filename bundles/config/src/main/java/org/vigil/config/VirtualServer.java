package org.vigil.config;

import java.math.BigDecimal;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A virtual_server: its identity ({@code ip port}, {@code fwmark N} or {@code group NAME}) and
 * keywords, with keepalived's defaults and fix-ups applied where keepalived applies them at
 * parse time (scheduler wlc, NAT, protocol TCP, persistence for port 0, quorum 1). Times are
 * seconds. Built by the parser; read-only to everybody else.
 */
public final class VirtualServer {

    public enum Kind {
        ADDRESS,
        FWMARK,
        GROUP
    }

    /** keepalived's delay_loop without the keyword, seconds. */
    public static final BigDecimal DEFAULT_DELAY_LOOP = BigDecimal.valueOf(60);
    /** keepalived's connect_timeout without the keyword, seconds. */
    public static final BigDecimal DEFAULT_CONNECT_TIMEOUT = BigDecimal.valueOf(5);
    /** keepalived's scheduler without lvs_sched. */
    public static final String DEFAULT_SCHEDULER = "wlc";
    /** persistence_timeout without a value, seconds (6 minutes). */
    public static final long DEFAULT_PERSISTENCE_TIMEOUT = 360;

    final Kind kind;
    final InetAddress address;
    final int port;
    final long fwmark;
    final String group;
    final Origin origin;
    /** "inet" or "inet6": ip_family, else the address's (or for a fwmark/group the real servers'). */
    String family;
    boolean familyWritten;
    String protocol = "tcp";
    boolean protocolWritten;
    BigDecimal delayLoop = DEFAULT_DELAY_LOOP;
    String scheduler;
    final List<String> schedulerFlags = new ArrayList<>();
    boolean ops;
    LvsMethod method;
    String persistenceEngine;
    long persistenceTimeout;
    String persistenceGranularity;
    long quorum = 1;
    long hysteresis;
    NotifyScript quorumUp;
    NotifyScript quorumDown;
    boolean alpha;
    boolean omega;
    boolean haSuspend;
    Boolean inhibitOnFailure;
    Integer retry;
    BigDecimal delayBeforeRetry;
    BigDecimal warmup;
    BigDecimal connectTimeout;
    Boolean smtpAlert;
    String virtualhost;
    String snmpName;
    final List<RealServer> realServers = new ArrayList<>();
    RealServer sorryServer;
    boolean sorryServerInhibit;
    LvsMethod sorryServerMethod;

    VirtualServer(Kind kind, InetAddress address, int port, long fwmark, String group, Origin origin) {
        this.kind = kind;
        this.address = address;
        this.port = port;
        this.fwmark = fwmark;
        this.group = group;
        this.origin = origin;
        this.family = address instanceof Inet6Address ? "inet6" : "inet";
    }

    public Kind kind() { return kind; }
    /** The virtual address; null for a fwmark or group service. */
    public InetAddress address() { return address; }
    /** 0 for a fwmark or group service, or an address service written without a port. */
    public int port() { return port; }
    public long fwmark() { return fwmark; }
    /** The virtual_server_group name, or null. */
    public String group() { return group; }
    public Origin origin() { return origin; }
    public String family() { return family; }
    /** "tcp", "udp" or "sctp". */
    public String protocol() { return protocol; }
    public BigDecimal delayLoop() { return delayLoop; }
    /** lvs_sched after keepalived's default ("wlc"). */
    public String scheduler() { return scheduler == null ? DEFAULT_SCHEDULER : scheduler; }
    public List<String> schedulerFlags() { return Collections.unmodifiableList(schedulerFlags); }
    public boolean ops() { return ops; }
    public LvsMethod method() { return method == null ? LvsMethod.NAT : method; }
    public String persistenceEngine() { return persistenceEngine; }
    /** Seconds, 0 for a service without persistence. */
    public long persistenceTimeout() { return persistenceTimeout; }
    public String persistenceGranularity() { return persistenceGranularity; }
    public long quorum() { return quorum; }
    public long hysteresis() { return hysteresis; }
    public NotifyScript quorumUp() { return quorumUp; }
    public NotifyScript quorumDown() { return quorumDown; }
    public boolean alpha() { return alpha; }
    public boolean omega() { return omega; }
    public boolean haSuspend() { return haSuspend; }
    public Boolean inhibitOnFailure() { return inhibitOnFailure; }
    public Integer retry() { return retry; }
    public BigDecimal delayBeforeRetry() { return delayBeforeRetry; }
    public BigDecimal warmup() { return warmup; }
    public BigDecimal connectTimeout() { return connectTimeout; }
    public Boolean smtpAlert() { return smtpAlert; }
    public String virtualhost() { return virtualhost; }
    public List<RealServer> realServers() { return Collections.unmodifiableList(realServers); }
    /** The sorry_server, or null. */
    public RealServer sorryServer() { return sorryServer; }
    public boolean sorryServerInhibit() { return sorryServerInhibit; }
    public LvsMethod sorryServerMethod() { return sorryServerMethod; }

    /**
     * The identity the checker and a reload diff go by ({@code org.vigil.api.check.CheckerPids}):
     * "192.0.2.249:tcp:80" (IPv6 in brackets), "fwmark:10:inet", "group:NAME:tcp" (a group's
     * services have no port of their own, so the protocol tells a TCP and a UDP service on one
     * group apart).
     */
    public String key() {
        return switch (kind) {
            case ADDRESS -> {
                String a = IpLiterals.text(address);
                yield (address instanceof Inet6Address ? "[" + a + "]" : a) + ":" + protocol + ":" + port;
            }
            case FWMARK -> "fwmark:" + fwmark + ":" + family;
            case GROUP -> "group:" + group + ":" + protocol;
        };
    }

    /** keepalived's form in log lines: {@code [192.0.2.249]:tcp:80}, {@code FWM 10}, {@code [NAME]:tcp:0}. */
    public String text() {
        return switch (kind) {
            case ADDRESS -> "[" + IpLiterals.text(address) + "]:" + protocol + ":" + port;
            case FWMARK -> "FWM " + fwmark;
            case GROUP -> "[" + group + "]:" + protocol + ":0";
        };
    }

    /** The virtual_server line's words as written, for messages. */
    String written() {
        return switch (kind) {
            case ADDRESS -> IpLiterals.text(address) + (port > 0 ? " " + port : "");
            case FWMARK -> "fwmark " + fwmark;
            case GROUP -> "group " + group;
        };
    }

    @Override
    public String toString() {
        return "virtual_server " + written() + " (" + origin + ")";
    }
}
