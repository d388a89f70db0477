package org.vigil.core.internal;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.vigil.api.vrrp.InstanceState;
import org.vigil.api.vrrp.InstanceStatus;
import org.vigil.auth.internal.NoneAuthenticator;

/** One router on the in-memory LAN: an engine on the shared manual loop, its log, instance VI_1's view. */
class LanRouter {
    final List<String> log = new CopyOnWriteArrayList<>();
    final Notifier notifier = new Notifier();
    final ElectionEngine engine;
    final FakeLan.Host host;

    LanRouter(ManualLoop loop, FakeLan lan, String name, String address) {
        engine = new ElectionEngine(loop, (line, detail) -> log.add(line), notifier, 1_000);
        host = lan.host(name, address);
        engine.driverBound(host);
        engine.authenticatorAdded(new NoneAuthenticator());
    }

    InstanceState state() {
        return engine.runtime("VI_1").machine.state();
    }

    InstanceStatus status() {
        return engine.instance("VI_1").orElseThrow();
    }
}
