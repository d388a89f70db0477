package org.vigil.api.check;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The checker's pools as management sees them (JMX, the status page): read-only snapshots,
 * taken on the checker's loop. The checker registers it; without the checker there is none.
 *
 * @since 0.3.0
 */
@ProviderType
public interface PoolStatus {

    /** Every virtual server, in configuration order. */
    List<VirtualServer> virtualServers();

    /** The check types present ("TCP_CHECK", ...), sorted. */
    List<String> checkTypes();

    /** The load-balancer driver programming the pools ("nft", "ipvs"), empty when none. */
    Optional<String> loadBalancerDriver();

    /**
     * One check on a real server.
     *
     * @param type           the check type ("TCP_CHECK")
     * @param status         active, waiting, missing (its type is gone) or invalid
     * @param up             the check's verdict
     * @param failures       consecutive failed attempts
     * @param lastLine       the last attempt's line in keepalived's words, "" before the first
     * @param latencyMicros  the last attempt's duration, -1 before the first
     */
    record Check(String type, String status, boolean up, int failures, String lastLine, long latencyMicros) {
        public Check {
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(status, "status");
            Objects.requireNonNull(lastLine, "lastLine");
        }
    }

    /**
     * One real server of a virtual server.
     *
     * @param text    keepalived's text, {@code [192.0.2.21]:tcp:80}
     * @param sorry   whether it is the sorry server
     * @param inPool  whether it is in the pool now
     * @param weight  its configured (or set) weight
     * @param checks  its checks
     */
    record RealServer(String text, boolean sorry, boolean inPool, int weight, List<Check> checks) {
        public RealServer {
            Objects.requireNonNull(text, "text");
            checks = List.copyOf(checks);
        }
    }

    /**
     * One virtual server.
     *
     * @param text         keepalived's text, {@code [192.0.2.249]:tcp:80}, {@code FWM 10}
     * @param scheduler    lb_algo
     * @param method       lb_kind
     * @param quorumUp     whether the live weight holds the quorum
     * @param liveWeight   the sum of the weights in the pool
     * @param sorryActive  whether the sorry server replaces the pool
     * @param realServers  the real servers, the sorry server not among them
     * @param sorryServer  the sorry server, or null
     */
    record VirtualServer(String text, String scheduler, String method, int quorum, boolean quorumUp, int liveWeight,
            boolean sorryActive, List<RealServer> realServers, RealServer sorryServer) {
        public VirtualServer {
            Objects.requireNonNull(text, "text");
            realServers = List.copyOf(realServers);
        }
    }
}
