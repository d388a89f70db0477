package org.vigil.checker.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.vigil.api.lb.Destination;

/** One virtual_server and its pool; owned by the engine's loop. */
final class VirtualServer {
    final String pid;
    VsSettings settings;
    final Map<String, RealServer> reals = new LinkedHashMap<>();
    RealServer sorry;
    /** Set once the initial pool and quorum are taken (after the configurations settle). */
    boolean started;
    boolean quorumUp = true;
    boolean sorryActive;
    Loop.Timer settle;
    /** A batch of pool changes is waiting for quorum and the load balancer (CheckEngine.poolSoon). */
    boolean poolPending;
    /** ha_suspend with the address elsewhere: its checks wait (CheckEngine.localAddresses). */
    boolean suspended;
    /** What the load balancer was last given, to send only changes. */
    List<Destination> published;
    boolean publishedSorry;

    VirtualServer(String pid, VsSettings settings) {
        this.pid = pid;
        this.settings = settings;
    }

    String text() {
        return settings.text();
    }

    int liveWeight() {
        int w = 0;
        for (RealServer rs : reals.values()) {
            if (rs.inPool) {
                w += rs.weight();
            }
        }
        return w;
    }

    int aliveCount() {
        int n = 0;
        for (RealServer rs : reals.values()) {
            if (rs.inPool) {
                n++;
            }
        }
        return n;
    }
}
