package org.vigil.lb.nft.internal;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * keepalived's lvs_sched names mapped onto what nftables can express. A new connection picks its
 * real server from a number: {@code numgen inc} (a counter: round robin), or a {@code jhash} of
 * the source or destination (hashing). Weights become ranges of that number. Schedulers that count
 * a server's active connections (lc, wlc, sed, nq, ovf, twos) cannot be expressed: nftables keeps
 * no per-backend connection count a rule can compare; they are mapped, and said so once.
 */
record Scheduling(Kind kind, boolean sourcePort, Optional<String> note) {

    enum Kind {
        /** numgen inc, every live server once per cycle (IPVS rr ignores weights). */
        ROUND_ROBIN,
        /** numgen inc, each live server weight times per cycle. */
        WEIGHTED_ROUND_ROBIN,
        /** jhash of the client address (and port with sh-port), weighted. */
        SOURCE_HASH,
        /** jhash of the destination address, weighted. */
        DESTINATION_HASH,
        /** the live server with the highest weight takes everything. */
        FAILOVER
    }

    static Scheduling of(String scheduler, List<String> flags) {
        String s = scheduler == null || scheduler.isBlank() ? "wlc" : scheduler.toLowerCase(Locale.ROOT);
        boolean port = flags.contains("sh-port") || flags.contains("mh-port");
        switch (s) {
            case "rr":
                return new Scheduling(Kind.ROUND_ROBIN, false, Optional.empty());
            case "wrr":
                return new Scheduling(Kind.WEIGHTED_ROUND_ROBIN, false, Optional.empty());
            case "sh":
                return new Scheduling(Kind.SOURCE_HASH, port, Optional.empty());
            case "dh":
                return new Scheduling(Kind.DESTINATION_HASH, false, Optional.empty());
            case "fo":
                return new Scheduling(Kind.FAILOVER, false, Optional.empty());
            case "mh":
                return new Scheduling(Kind.SOURCE_HASH, port, Optional.of("mh mapped to sh: a weighted jhash of the"
                        + " source; Maglev's small remapping on pool changes is not reproduced"));
            case "lc":
                return mapped(s, Kind.ROUND_ROBIN, "rr");
            case "wlc":
            case "sed":
            case "nq":
            case "twos":
                return mapped(s, Kind.WEIGHTED_ROUND_ROBIN, "wrr");
            case "ovf":
                return mapped(s, Kind.FAILOVER, "fo");
            case "lblc":
            case "lblcr":
                return new Scheduling(Kind.DESTINATION_HASH, false, Optional.of(s
                        + " mapped to dh: nftables keeps no per-server load to move a destination away from"));
            default:
                return new Scheduling(Kind.WEIGHTED_ROUND_ROBIN, false,
                        Optional.of("unknown scheduler '" + s + "' mapped to wrr"));
        }
    }

    private static Scheduling mapped(String s, Kind kind, String to) {
        return new Scheduling(kind, false, Optional.of(s + " mapped to " + to
                + ": nftables cannot count a real server's active connections"));
    }
}
