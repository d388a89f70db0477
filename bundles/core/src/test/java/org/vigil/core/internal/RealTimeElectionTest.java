package org.vigil.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.vigil.api.vrrp.InstanceState;
import org.vigil.api.vrrp.TransitionEvent;
import org.vigil.auth.internal.NoneAuthenticator;

/** Two engines, each on its own real election thread, on the in-memory LAN (VRRPv3, 10 cs). */
class RealTimeElectionTest {
    private final FakeLan lan = new FakeLan(() -> System.nanoTime() / 1_000);
    private final List<Runnable> cleanup = new ArrayList<>();

    private record Node(ElectionEngine engine, List<TransitionEvent> events, List<String> threads) {
        InstanceState state() {
            return engine.instance("VI_1").orElseThrow().state();
        }
    }

    private Node node(String name, String address, int priority) {
        ElectionLoop loop = new ElectionLoop("vigil-election");
        Notifier notifier = new Notifier();
        ElectionEngine engine = new ElectionEngine(loop, (line, detail) -> { }, notifier, 2_000);
        List<TransitionEvent> events = new CopyOnWriteArrayList<>();
        List<String> threads = new CopyOnWriteArrayList<>();
        engine.listenerAdded(e -> {
            threads.add(Thread.currentThread().getName());
            events.add(e);
        });
        engine.driverBound(lan.host(name, address));
        engine.authenticatorAdded(new NoneAuthenticator());
        engine.addInstance(TestConfigs.v3(priority, 10).build());
        cleanup.add(() -> {
            engine.stopAll();
            loop.stop(1_000);
            notifier.close(1_000);
        });
        return new Node(engine, events, threads);
    }

    @AfterEach
    void stop() {
        cleanup.forEach(Runnable::run);
    }

    @Test
    void theHigherPriorityWinsAndTheBackupTakesOverWhenItStops() {
        Node r1 = node("r1", "192.0.2.11", 200);
        Node r2 = node("r2", "192.0.2.12", 100);

        await().atMost(Duration.ofSeconds(5)).until(() -> r1.state() == InstanceState.MASTER);
        // many intervals: r2 must stay backup while r1 advertises
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5))
                .until(() -> r2.state() == InstanceState.BACKUP);
        assertThat(r2.engine.instance("VI_1").orElseThrow().masterAddress()).isEqualTo("192.0.2.11");

        r1.engine.removeInstance("VI_1");
        await().atMost(Duration.ofSeconds(5)).until(() -> r2.state() == InstanceState.MASTER);
        assertThat(r2.engine.instance("VI_1").orElseThrow().counters().priorityZeroReceived()).isEqualTo(1);
        await().atMost(Duration.ofSeconds(5)).until(() -> r2.events.size() == 2);
        assertThat(r2.threads).containsOnly("vigil-notify");
    }
}
