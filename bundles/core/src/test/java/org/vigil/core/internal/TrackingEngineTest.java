package org.vigil.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vigil.api.vrrp.InstanceState;
import org.vigil.auth.internal.NoneAuthenticator;

/**
 * track_script, track_interface and track_file on virtual time: script outcomes are fed as the
 * scripts executor would post them, so every timer is exact.
 */
class TrackingEngineTest {
    private final ManualLoop loop = new ManualLoop();
    private final FakeLan lan = new FakeLan(loop::nowMicros);
    private final List<Router> routers = new ArrayList<>();

    final class Router {
        final List<String> log = new CopyOnWriteArrayList<>();
        final Notifier notifier = new Notifier();
        final ElectionEngine engine = new ElectionEngine(loop, (line, detail) -> log.add(line), notifier, 1_000);
        final FakeLan.Host host;

        Router(String name, String address) {
            host = lan.host(name, address);
            engine.tracking().setLaunchProcesses(false);
            engine.scriptSecurity(false, null);
            engine.driverBound(host);
            engine.authenticatorAdded(new NoneAuthenticator());
            loop.runPending();
            routers.add(this);
        }

        void script(String name, int weight, int rise, int fall, boolean initFail) {
            engine.addScript(new ScriptSpec(name, "/bin/true", 1_000, 1_000, weight, false, rise, fall, null, null, false, initFail));
        }

        void run(String script, ScriptState.Outcome outcome) {
            engine.tracking().scriptOutcome(script, engine.tracking().generation(script), outcome);
            loop.runPending();
        }

        VrrpInstance vi(String name) {
            return engine.runtime(name).machine;
        }

        VrrpInstance vi() {
            return vi("VI_1");
        }
    }

    static Map<String, Object> instance(String name, int vrid, String iface, int priority) {
        Map<String, Object> p = new HashMap<>();
        p.put("name", name);
        p.put("interface", iface);
        p.put("virtual.router.id", vrid);
        p.put("priority", priority);
        p.put("virtual.ipaddress", new String[] {"192.0.2.249/24"});
        return p;
    }

    static InstanceConfig tracked(int priority, String key, String... entries) {
        Map<String, Object> p = instance("VI_1", 51, "eth0", priority);
        p.put(key, entries);
        return TypedConfigs.instance(p);
    }

    @AfterEach
    void close() {
        routers.forEach(r -> {
            r.engine.stopAll();
            r.notifier.close(1_000);
        });
    }

    @Test
    void aNegativeWeightHandsOverAfterFallFailuresAndTakesBackAfterRiseSuccesses() {
        Router r1 = new Router("r1", "192.0.2.11");
        Router r2 = new Router("r2", "192.0.2.12");
        r1.script("chk_web", -60, 2, 2, false);
        r1.engine.addInstance(tracked(150, "track.script", "chk_web"));
        r2.engine.addInstance(TypedConfigs.instance(instance("VI_1", 51, "eth0", 100)));
        loop.advance(5_000_000);
        r1.run("chk_web", ScriptState.Outcome.exited(0));
        assertThat(r1.vi().state()).isEqualTo(InstanceState.MASTER);

        r1.run("chk_web", ScriptState.Outcome.exited(7));
        assertThat(r1.vi().effectivePriority()).as("one failure of fall 2").isEqualTo(150);
        loop.advance(1_000_000);
        r1.run("chk_web", ScriptState.Outcome.exited(7));
        assertThat(r1.vi().effectivePriority()).isEqualTo(90);
        assertThat(r1.log).containsSubsequence("VRRP_Script(chk_web) failed (exited with status 7)",
                "(VI_1) Changing effective priority from 150 to 90");
        // r1 keeps advertising 90 as master; r2 discards that and takes over when its timer runs out
        assertThat(r1.vi().state()).isEqualTo(InstanceState.MASTER);
        loop.advance(4_000_000);
        assertThat(r2.vi().state()).isEqualTo(InstanceState.MASTER);
        assertThat(r1.vi().state()).isEqualTo(InstanceState.BACKUP);

        r1.run("chk_web", ScriptState.Outcome.exited(0));
        assertThat(r1.vi().effectivePriority()).as("one success of rise 2").isEqualTo(90);
        loop.advance(1_000_000);
        r1.run("chk_web", ScriptState.Outcome.exited(0));
        assertThat(r1.vi().effectivePriority()).isEqualTo(150);
        assertThat(r1.log).containsSubsequence("VRRP_Script(chk_web) succeeded",
                "(VI_1) Changing effective priority from 90 to 150");
        loop.advance(4_000_000);
        assertThat(r1.vi().state()).isEqualTo(InstanceState.MASTER);
        assertThat(r2.vi().state()).isEqualTo(InstanceState.BACKUP);
    }

    @Test
    void weightZeroMeansFaultWhileTheScriptFails() {
        Router r1 = new Router("r1", "192.0.2.11");
        r1.script("chk", 0, 1, 1, false);
        r1.engine.addInstance(tracked(150, "track.script", "chk"));
        loop.advance(5_000_000);
        assertThat(r1.vi().state()).isEqualTo(InstanceState.MASTER);

        r1.run("chk", ScriptState.Outcome.timedOut());
        assertThat(r1.vi().state()).isEqualTo(InstanceState.FAULT);
        assertThat(r1.vi().effectivePriority()).isEqualTo(150);
        assertThat(r1.log).containsSubsequence("VRRP_Script(chk) timed_out", "(VI_1) Entering FAULT STATE");
        assertThat(lan.framesFrom("r1").get(lan.framesFrom("r1").size() - 1).priority())
                .as("a master going to FAULT says priority 0").isZero();

        r1.run("chk", ScriptState.Outcome.exited(0));
        assertThat(r1.vi().state()).isEqualTo(InstanceState.BACKUP);
    }

    @Test
    void initFailStartsInFaultAndATrackOverridesTheScriptsWeight() {
        Router r1 = new Router("r1", "192.0.2.11");
        r1.script("chk", -50, 1, 1, true);
        r1.engine.addInstance(tracked(150, "track.script", "chk weight 0"));
        assertThat(r1.vi().state()).isEqualTo(InstanceState.FAULT);
        assertThat(r1.log).contains("(VI_1) Entering FAULT STATE (init)");
        r1.run("chk", ScriptState.Outcome.exited(0));
        assertThat(r1.vi().state()).isEqualTo(InstanceState.BACKUP);
    }

    @Test
    void reverseTurnsTheAdjustmentAround() {
        Router r1 = new Router("r1", "192.0.2.11");
        r1.script("maint", 0, 1, 1, false);
        r1.script("busy", 20, 1, 1, false);
        Map<String, Object> p = instance("VI_1", 51, "eth0", 100);
        p.put("track.script", new String[] {"maint reverse", "busy reverse"});
        r1.engine.addInstance(TypedConfigs.instance(p));
        // both good at start: maint (weight 0, reverse) means FAULT, busy (20, reverse) subtracts 20
        assertThat(r1.vi().state()).isEqualTo(InstanceState.FAULT);
        assertThat(r1.vi().effectivePriority()).isEqualTo(80);

        r1.run("maint", ScriptState.Outcome.exited(1));
        r1.run("busy", ScriptState.Outcome.exited(1));
        assertThat(r1.vi().state()).isEqualTo(InstanceState.BACKUP);
        assertThat(r1.vi().effectivePriority()).isEqualTo(100);
    }

    @Test
    void aPositiveWeightIsAddedWhileGoodAndTheOwnerNeverChanges() {
        Router r1 = new Router("r1", "192.0.2.11");
        r1.script("chk", 30, 1, 1, false);
        r1.engine.addInstance(tracked(100, "track.script", "chk"));
        Map<String, Object> owner = instance("VI_2", 52, "eth0", 255);
        owner.put("track.script", new String[] {"chk weight -60"});
        r1.engine.addInstance(TypedConfigs.instance(owner));
        assertThat(r1.vi().effectivePriority()).isEqualTo(130);
        r1.run("chk", ScriptState.Outcome.exited(2));
        assertThat(r1.vi().effectivePriority()).isEqualTo(100);
        assertThat(r1.vi("VI_2").ownPriority()).isEqualTo(255);
        assertThat(r1.vi("VI_2").state()).isEqualTo(InstanceState.MASTER);
    }

    @Test
    void aTrackedInterfaceLowersThePriorityOrFaults() {
        Router r1 = new Router("r1", "192.0.2.11");
        r1.engine.addInstance(tracked(100, "track.interface", "eth1 weight -30"));
        Map<String, Object> second = instance("VI_2", 52, "eth0", 100);
        second.put("track.interface", new String[] {"eth1"});
        r1.engine.addInstance(TypedConfigs.instance(second));
        loop.advance(5_000_000);
        assertThat(r1.vi("VI_2").state()).isEqualTo(InstanceState.MASTER);

        r1.host.setLink("eth1", false);
        loop.runPending();
        assertThat(r1.vi().effectivePriority()).isEqualTo(70);
        assertThat(r1.vi("VI_2").state()).isEqualTo(InstanceState.FAULT);
        assertThat(r1.log).containsSubsequence("Netlink reports eth1 down", "(VI_1) Changing effective priority from 100 to 70");

        r1.host.setLink("eth1", true);
        loop.runPending();
        assertThat(r1.vi().effectivePriority()).isEqualTo(100);
        assertThat(r1.vi("VI_2").state()).isEqualTo(InstanceState.BACKUP);
    }

    @Test
    void aTrackedFileMultipliesItsValueByTheWeight(@TempDir Path dir) throws IOException {
        Path flag = dir.resolve("prio");
        Files.writeString(flag, "-15\n");
        Path fault = dir.resolve("fault");
        Files.writeString(fault, "1\n");
        Router r1 = new Router("r1", "192.0.2.11");
        r1.engine.addInstance(tracked(100, "track.file", flag + " weight 2"));
        Map<String, Object> second = instance("VI_2", 52, "eth0", 100);
        second.put("track.file", new String[] {fault + " weight 0"});
        r1.engine.addInstance(TypedConfigs.instance(second));
        assertThat(r1.vi().effectivePriority()).isEqualTo(70);
        assertThat(r1.vi("VI_2").state()).isEqualTo(InstanceState.FAULT);

        r1.engine.tracking().fileValue(flag.toString(), -200);
        loop.runPending();
        assertThat(r1.vi().state()).as("-400 is below -253").isEqualTo(InstanceState.FAULT);
        r1.engine.tracking().fileValue(fault.toString(), 0);
        r1.engine.tracking().fileValue(flag.toString(), 10);
        loop.runPending();
        assertThat(r1.vi().state()).isEqualTo(InstanceState.BACKUP);
        assertThat(r1.vi().effectivePriority()).isEqualTo(120);
        assertThat(r1.vi("VI_2").state()).isEqualTo(InstanceState.BACKUP);
    }

    @Test
    void aTrackingFaultOfOneSyncGroupMemberTakesTheGroupToFault() {
        Router r1 = new Router("r1", "192.0.2.11");
        r1.script("chk", 0, 1, 1, false);
        r1.engine.addSyncGroup("G1", List.of("VI_1", "VI_2"));
        r1.engine.addInstance(tracked(200, "track.script", "chk"));
        r1.engine.addInstance(TypedConfigs.instance(instance("VI_2", 52, "eth1", 200)));
        loop.advance(5_000_000);
        assertThat(r1.vi("VI_2").state()).isEqualTo(InstanceState.MASTER);

        r1.run("chk", ScriptState.Outcome.exited(1));
        assertThat(r1.vi().state()).isEqualTo(InstanceState.FAULT);
        assertThat(r1.vi("VI_2").state()).isEqualTo(InstanceState.FAULT);
        r1.run("chk", ScriptState.Outcome.exited(0));
        assertThat(r1.vi().state()).isEqualTo(InstanceState.BACKUP);
        assertThat(r1.vi("VI_2").state()).isEqualTo(InstanceState.BACKUP);
    }

    @Test
    void inASyncGroupWeightsAreIgnoredUnlessTheGroupKeepsThem() {
        Router r1 = new Router("r1", "192.0.2.11");
        r1.script("chk", -60, 1, 1, false);
        r1.engine.addSyncGroup("G1", List.of("VI_1", "VI_2"));
        r1.engine.addInstance(tracked(150, "track.script", "chk"));
        Map<String, Object> second = instance("VI_2", 52, "eth1", 150);
        second.put("track.interface", new String[] {"eth2 weight -20"});
        r1.host.setLink("eth2", true);
        r1.engine.addInstance(TypedConfigs.instance(second));
        r1.run("chk", ScriptState.Outcome.exited(1));
        assertThat(r1.vi().effectivePriority()).isEqualTo(150);
        assertThat(r1.log).contains("(VI_1) ignoring tracked script chk with weights due to SYNC group");
        // the interface's weight becomes 0: down means FAULT for the whole group
        loop.advance(5_000_000);
        r1.host.setLink("eth2", false);
        loop.runPending();
        assertThat(r1.vi("VI_2").state()).isEqualTo(InstanceState.FAULT);
        assertThat(r1.vi().state()).isEqualTo(InstanceState.FAULT);
        assertThat(r1.vi("VI_2").effectivePriority()).isEqualTo(150);
        r1.host.setLink("eth2", true);
        loop.runPending();

        r1.engine.removeSyncGroup("G1");
        r1.engine.addSyncGroup("G1", List.of("VI_1", "VI_2"), true);
        assertThat(r1.vi().effectivePriority()).as("sync_group_tracking_weight").isEqualTo(90);
    }

    @Test
    void aSyncGroupsOwnTrackerTakesEveryMemberToFault() {
        Router r1 = new Router("r1", "192.0.2.11");
        r1.script("chk", 0, 1, 1, false);
        Map<String, Object> group = new HashMap<>();
        group.put("name", "G1");
        group.put("group", new String[] {"VI_1", "VI_2"});
        group.put("track.script", new String[] {"chk"});
        new SyncGroupComponent(r1.engine, TypedConfigs.syncGroup(group), group);
        r1.engine.addInstance(TypedConfigs.instance(instance("VI_1", 51, "eth0", 200)));
        r1.engine.addInstance(TypedConfigs.instance(instance("VI_2", 52, "eth1", 200)));
        loop.advance(5_000_000);
        assertThat(r1.vi("VI_2").state()).isEqualTo(InstanceState.MASTER);

        r1.run("chk", ScriptState.Outcome.exited(3));
        assertThat(r1.vi().state()).isEqualTo(InstanceState.FAULT);
        assertThat(r1.vi("VI_2").state()).isEqualTo(InstanceState.FAULT);
        r1.run("chk", ScriptState.Outcome.exited(0));
        assertThat(r1.vi("VI_2").state()).isEqualTo(InstanceState.BACKUP);
    }

    @Test
    void noScriptRunsBeforeTheScriptSecuritySettingsAreKnown() {
        Router r1 = new Router("r1", "192.0.2.11");
        ElectionEngine fresh = new ElectionEngine(loop, (line, detail) -> r1.log.add(line), r1.notifier, 1_000);
        fresh.tracking().setLaunchProcesses(false);
        fresh.driverBound(r1.host);
        fresh.authenticatorAdded(new NoneAuthenticator());
        loop.runPending();
        fresh.addScript(new ScriptSpec("chk", "/bin/true", 1_000, 1_000, -60, false, 1, 1, null, null, false, true));
        fresh.addInstance(TypedConfigs.instance(instance("VI_9", 59, "eth0", 150)));
        Map<String, Object> p = instance("VI_9", 59, "eth0", 150);
        p.put("track.script", new String[] {"chk"});
        fresh.updateInstance("VI_9", TypedConfigs.instance(p));
        assertThat(fresh.runtime("VI_9").machine.effectivePriority()).as("not yet enabled").isEqualTo(150);
        fresh.scriptSecurity(false, null);
        assertThat(fresh.runtime("VI_9").machine.effectivePriority()).isEqualTo(90);
        fresh.stopAll();
    }

    @Test
    void aScriptConfiguredAfterTheInstanceTakesEffectThen() {
        Router r1 = new Router("r1", "192.0.2.11");
        r1.engine.addInstance(tracked(150, "track.script", "chk weight -60"));
        assertThat(r1.vi().effectivePriority()).isEqualTo(150);
        r1.script("chk", 0, 1, 1, true);
        assertThat(r1.vi().effectivePriority()).isEqualTo(90);
        r1.engine.removeScript("chk");
        assertThat(r1.vi().effectivePriority()).isEqualTo(150);
    }
}
