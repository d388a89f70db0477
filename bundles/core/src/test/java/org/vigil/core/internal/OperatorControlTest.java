package org.vigil.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.vigil.api.vrrp.InstanceState;
import org.vigil.api.vrrp.SyncGroupStatus;
import org.vigil.api.vrrp.TrackStatus;
import org.vigil.auth.internal.NoneAuthenticator;

/** What management (JMX, vrrp:show, vigil:stats clear) asks of the engine, on virtual time. */
class OperatorControlTest {
    private final ManualLoop loop = new ManualLoop();
    private final FakeLan lan = new FakeLan(loop::nowMicros);
    private final List<String> log = new CopyOnWriteArrayList<>();
    private final Notifier notifier = new Notifier();
    private final ElectionEngine engine = new ElectionEngine(loop, (line, detail) -> log.add(line), notifier, 1_000);

    OperatorControlTest() {
        engine.tracking().setLaunchProcesses(false);
        engine.scriptSecurity(false, null);
        engine.driverBound(lan.host("r1", "192.0.2.11"));
        engine.authenticatorAdded(new NoneAuthenticator());
        loop.runPending();
    }

    @AfterEach
    void close() {
        engine.stopAll();
        notifier.close(1_000);
    }

    private void instance(String name, int vrid, String... trackScripts) {
        Map<String, Object> p = TrackingEngineTest.instance(name, vrid, "eth0", 150);
        if (trackScripts.length > 0) {
            p.put("track.script", trackScripts);
        }
        engine.addInstance(TypedConfigs.instance(p));
    }

    @Test
    void aForcedFaultHoldsTheInstanceUntilTheOperatorClearsIt() {
        instance("VI_1", 51);
        loop.advance(5_000_000);
        assertThat(engine.runtime("VI_1").machine.state()).isEqualTo(InstanceState.MASTER);

        engine.forceFault("VI_1", true);
        assertThat(engine.runtime("VI_1").machine.state()).isEqualTo(InstanceState.FAULT);
        loop.advance(10_000_000);
        assertThat(engine.runtime("VI_1").machine.state()).as("held").isEqualTo(InstanceState.FAULT);
        assertThat(log).contains("(VI_1) fault forced by the operator");

        engine.forceFault("VI_1", false);
        loop.advance(5_000_000);
        assertThat(engine.runtime("VI_1").machine.state()).isEqualTo(InstanceState.MASTER);
        assertThatThrownBy(() -> engine.forceFault("VI_9", true)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("VI_1");
    }

    @Test
    void clearingTheCountersZeroesThemAndCountingGoesOn() {
        instance("VI_1", 51);
        loop.advance(5_000_000);
        assertThat(engine.instance("VI_1").orElseThrow().counters().advertsSent()).isPositive();
        engine.clearCounters();
        assertThat(engine.instance("VI_1").orElseThrow().counters().advertsSent()).isZero();
        assertThat(engine.instance("VI_1").orElseThrow().counters().becameMaster()).isZero();
        loop.advance(3_000_000);
        assertThat(engine.instance("VI_1").orElseThrow().counters().advertsSent()).isBetween(2L, 4L);
    }

    @Test
    void trackingStatusNamesEachTrackerWithItsVerdictAndShare() {
        engine.addScript(new ScriptSpec("chk_web", "/bin/true", 1_000, 1_000, -60, false, 1, 1, null, null, false, false));
        instance("VI_1", 51, "chk_web", "chk_gone weight 10");
        loop.runPending();
        assertThat(engine.tracking("VI_1")).containsExactly(
                new TrackStatus(TrackStatus.Kind.SCRIPT, "chk_web", "good", -60, false, 0, false),
                new TrackStatus(TrackStatus.Kind.SCRIPT, "chk_gone", "not configured", 10, false, 0, false));
        engine.tracking().scriptOutcome("chk_web", engine.tracking().generation("chk_web"),
                ScriptState.Outcome.exited(1));
        loop.runPending();
        assertThat(engine.tracking("VI_1").get(0)).isEqualTo(
                new TrackStatus(TrackStatus.Kind.SCRIPT, "chk_web", "bad", -60, false, -60, false));
        assertThat(engine.runtime("VI_1").machine.effectivePriority()).isEqualTo(90);
        assertThat(engine.tracking("VI_9")).isEmpty();
    }

    @Test
    void syncGroupsAreListedWithTheirPublishedState() {
        instance("VI_1", 51);
        instance("VI_2", 52);
        engine.addSyncGroup("G1", List.of("VI_1", "VI_2"));
        loop.advance(5_000_000);
        assertThat(engine.syncGroups()).containsExactly(
                new SyncGroupStatus("G1", InstanceState.MASTER, List.of("VI_1", "VI_2")));
    }

    @Test
    void announcingIsRefusedUnlessMaster() {
        instance("VI_1", 51);
        assertThat(engine.announce("VI_1")).as("not master yet").isFalse();
    }

    @Test
    void everyAdvertTimerFiringIsInTheLatenessHistogram() {
        instance("VI_1", 51);
        loop.advance(5_000_000);
        long adverts = engine.instance("VI_1").orElseThrow().counters().advertsSent();
        // virtual time runs every timer on its deadline: all in the lowest bucket, one per advert after the first
        assertThat(engine.advertLateness.snapshot().cumulative()[0]).isEqualTo(adverts - 1);
        assertThat(engine.masterDownLateness.snapshot().count()).isEqualTo(1);
    }
}
