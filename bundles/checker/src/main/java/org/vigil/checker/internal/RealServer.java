package org.vigil.checker.internal;

import java.util.ArrayList;
import java.util.List;

/** One real_server (or the sorry_server) in one virtual server; owned by the engine's loop. */
final class RealServer {
    final String pid;
    RsSettings settings;
    String text;
    VirtualServer vs;
    List<Probe> probes = new ArrayList<>();
    /** Whether the pool holds it as alive (weight given, or enabled with inhibit_on_failure). */
    boolean inPool;
    /** A weight a check set (MISC_CHECK misc_dynamic), or -1. */
    int dynamicWeight = -1;

    RealServer(String pid, RsSettings settings) {
        this.pid = pid;
        this.settings = settings;
    }

    /** Down while any of its checks has failed; with no check, always alive (as keepalived). */
    boolean alive() {
        for (Probe p : probes) {
            if (!p.state.up()) {
                return false;
            }
        }
        return true;
    }

    int weight() {
        return dynamicWeight >= 0 ? dynamicWeight : settings.weight();
    }

    boolean inhibit() {
        return settings.inhibitOnFailure() != null ? settings.inhibitOnFailure()
                : vs != null && vs.settings.inhibitOnFailure();
    }

    String method(VsSettings v) {
        if (settings.sorry() && !v.sorryMethod().isEmpty()) {
            return v.sorryMethod();
        }
        return settings.method().isEmpty() ? v.method() : settings.method();
    }
}
