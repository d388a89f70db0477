package org.vigil.checker.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.vigil.api.check.CheckEvent;
import org.vigil.api.check.CheckProperties;
import org.vigil.api.lb.ServiceKey;
import org.vigil.api.lb.VirtualService;

/**
 * The engine's scheduling, verdicts, pools and quorum on virtual time (checker.md sections 1-3),
 * with keepalived's log lines word for word.
 */
class CheckEngineTest {
    static final String TYPE = "SCRIPTED_CHECK";
    static final String VS_A = "192.0.2.249:tcp:80";
    static final String VS_A_TEXT = "[192.0.2.249]:tcp:80";
    static final String VS_B = "192.0.2.250:tcp:80";
    static final InetSocketAddress RS1 = address("192.0.2.21", 80);
    static final InetSocketAddress RS2 = address("192.0.2.22", 80);
    static final InetSocketAddress RS3 = address("192.0.2.23", 80);
    static final InetSocketAddress RS4 = address("192.0.2.24", 80);
    static final String RS1_TEXT = "[192.0.2.21]:tcp:80";

    VirtualLoop loop;
    ScriptedType type;
    CheckEngine engine;
    LogLines log;
    final List<CheckEvent> events = new ArrayList<>();
    final List<List<VirtualService>> pools = new ArrayList<>();
    final List<String> scripts = new ArrayList<>();

    @BeforeEach
    void setUp() {
        loop = new VirtualLoop();
        type = new ScriptedType(loop);
        log = new LogLines();
        engine = new CheckEngine(loop, Runnable::run, null, new EngineOutput() {
            @Override
            public void event(CheckEvent event) {
                events.add(event);
            }

            @Override
            public void pool(String vsKey, List<VirtualService> services) {
                pools.add(services);
            }

            @Override
            public void removed(String vsKey, List<ServiceKey> keys) {
            }

            @Override
            public void script(String what, String commandLine, org.vigil.script.RunAs user,
                    org.vigil.script.RunAs scriptUser, boolean security) {
                scripts.add(what + " " + commandLine);
            }
        }, () -> 0.5);
    }

    @AfterEach
    void tearDown() {
        log.close();
    }

    static InetSocketAddress address(String ip, int port) {
        try {
            return new InetSocketAddress(InetAddress.getByName(ip), port);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    static RsSettings.Block block(Map<String, List<String>> keys) {
        return new RsSettings.Block(TYPE, new CheckProperties(keys));
    }

    static RsSettings rs(String vs, InetSocketAddress a, Map<String, List<String>> keys) {
        return RsSettings.of(vs, a, 1, List.of(block(keys)));
    }

    /** delay_loop 10, warmup 0 (first check 1 s after start), keepalived's other defaults. */
    static VsSettings vs(String key) {
        return TestVirtualServers.defaults(key).withDelayLoop(10).withTimers(-1, -1, 0, -1);
    }

    @Test
    void upServerIsRetriedEveryDelayBeforeRetryAndGoesDownAfterRetryPlusOneFailures() {
        engine.setType(TYPE, type);
        engine.putVirtualServer("vs", vs(VS_A));
        engine.putRealServer("rs1", rs(VS_A, RS1, Map.of()));
        loop.advance(1.0);
        assertThat(type.attempts(RS1)).containsExactly(1.0);
        assertThat(log.all()).containsExactly("Activating healthchecker for service " + RS1_TEXT + " for VS " + VS_A_TEXT);

        type.set(RS1, ScriptedType.Mode.FAIL);
        log.clear();
        loop.advance(11.5);
        // 11: first failure, 12: the retry (delay_before_retry 1 s) fails too: DOWN (retry 1)
        assertThat(type.attempts(RS1)).containsExactly(1.0, 11.0, 12.0);
        assertThat(log.all()).containsExactly(
                "SCRIPTED_CHECK on service " + RS1_TEXT + " failed after 1 retries.",
                "Removing service " + RS1_TEXT + " from VS " + VS_A_TEXT,
                "Lost quorum 1-0=1 > 0 for VS " + VS_A_TEXT);
        assertThat(events).extracting(CheckEvent::kind)
                .containsExactly(CheckEvent.Kind.REAL_SERVER_DOWN, CheckEvent.Kind.QUORUM_LOST);

        // DOWN: checked every delay_loop; one success brings it UP
        loop.advance(10);
        assertThat(type.attempts(RS1)).containsExactly(1.0, 11.0, 12.0, 22.0);
        type.set(RS1, ScriptedType.Mode.PASS);
        log.clear();
        loop.advance(10);
        assertThat(type.attempts(RS1)).containsExactly(1.0, 11.0, 12.0, 22.0, 32.0);
        assertThat(log.all()).containsExactly(
                "Scripted check of " + RS1_TEXT + " passed.",
                "Adding service " + RS1_TEXT + " to VS " + VS_A_TEXT,
                "Gained quorum 1+0=1 <= 1 for VS " + VS_A_TEXT);
        assertThat(pools.get(pools.size() - 1).get(0).destinations()).hasSize(1);
    }

    @Test
    void nextCheckIsScheduledWhenTheCurrentEndsAndWarmupSpreadsTheFirst() {
        engine.setType(TYPE, type);
        // warmup 4 s with random 0.5: first check at 1 + 2 = 3 s
        engine.putVirtualServer("vs", TestVirtualServers.defaults(VS_A).withDelayLoop(10).withTimers(-1, -1, 4, -1));
        engine.putRealServer("rs1", rs(VS_A, RS1, Map.of()));
        type.latency = 0.25;
        loop.advance(30);
        assertThat(type.attempts(RS1)).containsExactly(3.0, 13.25, 23.5);
    }

    @Test
    void retryAndDelayBeforeRetryComeFromTheBlockThenTheRealServerThenTheVirtualServer() {
        engine.setType(TYPE, type);
        engine.putVirtualServer("vs", vs(VS_A).withTimers(5, 3, 0, -1));
        engine.putRealServer("rs1", rs(VS_A, RS1, Map.of("retry", List.of("2"), "delay.before.retry", List.of("0.5"))));
        type.set(RS1, ScriptedType.Mode.FAIL);
        loop.advance(2.5);
        // block: retry 2, delay_before_retry 0.5: attempts at 1, 1.5, 2 -> DOWN at the third failure
        assertThat(type.attempts(RS1)).containsExactly(1.0, 1.5, 2.0);
        assertThat(log.with("failed after")).containsExactly("SCRIPTED_CHECK on service " + RS1_TEXT + " failed after 2 retries.");
    }

    @Test
    void httpGetRetriesAfterTheLongerOfDelayBeforeRetryAndDelayLoop() {
        engine.setType("HTTP_GET", type);
        engine.putVirtualServer("vs", vs(VS_A));
        engine.putRealServer("rs1", RsSettings.of(VS_A, RS1, 1,
                List.of(new RsSettings.Block("HTTP_GET", new CheckProperties(Map.of())))));
        type.set(RS1, ScriptedType.Mode.FAIL);
        loop.advance(22);
        // delay_loop 10, HTTP's delay_before_retry 3: the retry waits 10; DOWN at the second failure
        assertThat(type.attempts(RS1)).containsExactly(1.0, 11.0, 21.0);
        assertThat(log.with("failed after")).containsExactly("HTTP_GET on service " + RS1_TEXT + " failed after 1 retries.");
    }

    @Test
    void miscCheckIsBoundByMiscTimeoutOrTheDelayLoopNotConnectTimeout() {
        engine.setType("MISC_CHECK", type);
        engine.putVirtualServer("vs", vs(VS_A));
        engine.putRealServer("rs1", RsSettings.of(VS_A, RS1, 1, List.of(new RsSettings.Block("MISC_CHECK",
                new CheckProperties(Map.of("misc.path", List.of("/bin/true")))))));
        engine.putRealServer("rs2", RsSettings.of(VS_A, RS2, 1, List.of(new RsSettings.Block("MISC_CHECK",
                new CheckProperties(Map.of("misc.path", List.of("/bin/true"), "misc.timeout", List.of("3")))))));
        type.set(RS1, ScriptedType.Mode.HANG);
        type.set(RS2, ScriptedType.Mode.HANG);
        loop.advance(5.5);
        // misc_timeout 3 + 2 s for the runner's own kill: cancelled at 6 s; MISC's retry 0: down at once
        assertThat(type.hung.get(1).isCancelled()).isFalse();
        loop.advance(0.5);
        assertThat(type.hung.get(1).isCancelled()).isTrue();
        assertThat(log.with("Removing service")).containsExactly("Removing service [192.0.2.22]:tcp:80 from VS " + VS_A_TEXT);
        // no misc_timeout: the delay_loop (10 s) + 2 s, from its start at 1 s
        loop.advance(6.5);
        assertThat(type.hung.get(0).isCancelled()).isFalse();
        loop.advance(0.5);
        assertThat(type.hung.get(0).isCancelled()).isTrue();
        assertThat(type.specs).extracting(s -> s.connectTimeout().toSeconds()).containsExactly(10L, 3L);
    }

    @Test
    void aHungAttemptTimesOutAtConnectTimeoutAndIsCancelled() {
        engine.setType(TYPE, type);
        engine.putVirtualServer("vs", vs(VS_A));
        engine.putRealServer("rs1", rs(VS_A, RS1, Map.of("connect.timeout", List.of("2"), "log.all.failures", List.of())));
        type.set(RS1, ScriptedType.Mode.HANG);
        loop.advance(6.5);
        // 1 -> timeout at 3, retry at 4 -> timeout at 6: DOWN
        assertThat(type.attempts(RS1)).containsExactly(1.0, 4.0);
        assertThat(type.hung).hasSize(2).allMatch(f -> f.isCancelled());
        assertThat(log.all()).containsSubsequence(
                "SCRIPTED_CHECK on service " + RS1_TEXT + " timed out.",
                "SCRIPTED_CHECK on service " + RS1_TEXT + " timed out.",
                "SCRIPTED_CHECK on service " + RS1_TEXT + " failed after 1 retries.",
                "Removing service " + RS1_TEXT + " from VS " + VS_A_TEXT);
    }

    @Test
    void aThrowingOrExceptionalCheckFailsOnlyItself() {
        engine.setType(TYPE, type);
        engine.putVirtualServer("vs", vs(VS_A));
        engine.putRealServer("rs1", rs(VS_A, RS1, Map.of()));
        engine.putRealServer("rs2", rs(VS_A, RS2, Map.of()));
        engine.putRealServer("rs3", rs(VS_A, RS3, Map.of()));
        type.set(RS1, ScriptedType.Mode.THROW);
        type.set(RS2, ScriptedType.Mode.EXCEPTION);
        loop.advance(2.5);
        assertThat(log.with("Removing service")).containsExactly(
                "Removing service " + RS1_TEXT + " from VS " + VS_A_TEXT,
                "Removing service [192.0.2.22]:tcp:80 from VS " + VS_A_TEXT);
        Status.Virtual v = engine.snapshot().get(0);
        assertThat(v.reals()).extracting(Status.Real::inPool).containsExactly(false, false, true);
        assertThat(v.reals().get(0).checks().get(0).lastLine()).contains("IllegalStateException: scripted throw");
        assertThat(v.reals().get(1).checks().get(0).lastLine()).contains("IOException: scripted");
        loop.advance(30);
        assertThat(type.attempts(RS3)).hasSize(4);
    }

    @Test
    void severalChecksOnOneRealServerItIsDownWhileAnyHasFailed() {
        engine.setType(TYPE, type);
        engine.putVirtualServer("vs", vs(VS_A));
        InetSocketAddress other = address("192.0.2.21", 8080);
        engine.putRealServer("rs1", RsSettings.of(VS_A, RS1, 1,
                List.of(block(Map.of()), block(Map.of("connect.port", List.of("8080"))))));
        loop.advance(1);
        assertThat(type.attempts(other)).containsExactly(1.0);
        assertThat(type.attempts(RS1)).containsExactly(1.0);
        type.set(other, ScriptedType.Mode.FAIL);
        loop.advance(11);
        assertThat(log.with("Removing service")).hasSize(1);
        // the port 80 check fails too, then the 8080 one recovers: still down while one has failed
        type.set(RS1, ScriptedType.Mode.FAIL);
        loop.advance(11);
        type.set(other, ScriptedType.Mode.PASS);
        loop.advance(10);
        assertThat(engine.snapshot().get(0).reals().get(0).checks()).extracting(Status.Check::up)
                .containsExactly(false, true);
        assertThat(log.with("Adding service")).isEmpty();
        type.set(RS1, ScriptedType.Mode.PASS);
        loop.advance(10);
        assertThat(log.with("Adding service")).containsExactly("Adding service " + RS1_TEXT + " to VS " + VS_A_TEXT);
        assertThat(log.with("Removing service")).hasSize(1);
    }

    @Test
    void alphaStartsServersDownUntilAFirstSuccess() {
        engine.setType(TYPE, type);
        engine.putVirtualServer("vs", vs(VS_A).withFlags(false, true));
        engine.putRealServer("rs1", rs(VS_A, RS1, Map.of()));
        loop.advance(0.6);
        assertThat(log.all()).containsExactly(
                "Activating healthchecker for service " + RS1_TEXT + " for VS " + VS_A_TEXT,
                "Starting with quorum down for VS " + VS_A_TEXT);
        assertThat(engine.snapshot().get(0).reals().get(0).inPool()).isFalse();
        loop.advance(0.5);
        assertThat(log.all()).endsWith(
                "Scripted check of " + RS1_TEXT + " passed.",
                "Adding service " + RS1_TEXT + " to VS " + VS_A_TEXT,
                "Gained quorum 1+0=1 <= 1 for VS " + VS_A_TEXT);
    }

    @Test
    void inhibitOnFailureKeepsTheServerWithWeightZero() {
        engine.setType(TYPE, type);
        engine.putVirtualServer("vs", vs(VS_A).withFlags(true, false));
        engine.putRealServer("rs1", rs(VS_A, RS1, Map.of()));
        engine.putRealServer("rs2", rs(VS_A, RS2, Map.of()));
        type.set(RS1, ScriptedType.Mode.FAIL);
        loop.advance(2.5);
        assertThat(log.with("service " + RS1_TEXT)).containsExactly(
                "Activating healthchecker for service " + RS1_TEXT + " for VS " + VS_A_TEXT,
                "SCRIPTED_CHECK on service " + RS1_TEXT + " failed after 1 retries.",
                "Disabling service " + RS1_TEXT + " from VS " + VS_A_TEXT);
        VirtualService last = pools.get(pools.size() - 1).get(0);
        assertThat(last.destinations()).extracting(d -> d.address().getAddress().getHostAddress() + "/" + d.weight())
                .containsExactly("192.0.2.21/0", "192.0.2.22/1");
        type.set(RS1, ScriptedType.Mode.PASS);
        loop.advance(10);
        assertThat(log.with("Enabling")).containsExactly("Enabling service " + RS1_TEXT + " to VS " + VS_A_TEXT);
        assertThat(events).extracting(CheckEvent::weight).containsExactly(0, 1);
    }

    @Test
    void quorumWithHysteresisIsLostBelowQMinusHAndGainedAtQPlusH() {
        engine.setType(TYPE, type);
        engine.putVirtualServer("vs", vs(VS_A).withQuorum(3, 1));
        for (InetSocketAddress a : List.of(RS1, RS2, RS3, RS4)) {
            engine.putRealServer(a.toString(), rs(VS_A, a, Map.of()));
        }
        loop.advance(1);
        type.set(RS1, ScriptedType.Mode.FAIL);
        type.set(RS2, ScriptedType.Mode.FAIL);
        loop.advance(11.5);
        assertThat(log.with("quorum")).isEmpty(); // W = 2, not below Q - H = 2
        type.set(RS3, ScriptedType.Mode.FAIL);
        loop.advance(10);
        assertThat(log.with("quorum")).containsExactly("Lost quorum 3-1=2 > 1 for VS " + VS_A_TEXT);
        type.set(RS1, ScriptedType.Mode.PASS);
        loop.advance(10);
        assertThat(log.with("Gained")).isEmpty(); // W = 2 < Q + H = 4
        type.set(RS2, ScriptedType.Mode.PASS);
        type.set(RS3, ScriptedType.Mode.PASS);
        loop.advance(10);
        assertThat(log.with("Gained")).containsExactly("Gained quorum 3+1=4 <= 4 for VS " + VS_A_TEXT);
    }

    @Test
    void haSuspendHoldsTheChecksWhileTheVirtualAddressIsElsewhere() throws Exception {
        engine.setType(TYPE, type);
        VsSettings v = vs(VS_B);
        engine.putVirtualServer("vs", new VsSettings(v.key(), v.service(), v.text(), v.protocol(), v.delayLoop(), v.scheduler(),
                v.schedulerFlags(), v.method(), v.persistenceTimeout(), v.persistenceGranularity(), v.quorum(),
                v.hysteresis(), "", "", v.sorryInhibit(), v.sorryMethod(), v.inhibitOnFailure(), v.alpha(), v.omega(),
                true, v.retry(), v.delayBeforeRetry(), v.warmup(), v.connectTimeout(), v.virtualhost(), v.notifyFifo(),
                v.origin(), v.smtpAlert(), null, null, null, false), List.of(rs(VS_B, RS1, Map.of())));
        assertThat(engine.wantsLocalAddresses()).isTrue();
        // the backup router: 192.0.2.250 is not here
        engine.localAddresses(java.util.Set.of(InetAddress.getByName("192.0.2.11")));
        loop.advance(35);
        assertThat(type.attempts(RS1)).isEmpty();
        assertThat(log.with("Suspending")).containsExactly(
                "Suspending healthcheckers of VS [192.0.2.250]:tcp:80: 192.0.2.250 is not on this machine (ha_suspend)");
        // VRRP brings the VIP: checks resume within a delay_loop
        engine.localAddresses(java.util.Set.of(InetAddress.getByName("192.0.2.11"), InetAddress.getByName("192.0.2.250")));
        loop.advance(10);
        assertThat(type.attempts(RS1)).hasSize(1);
        assertThat(log.with("Resuming")).hasSize(1);
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(booleans = { false, true })
    void omegaRunsTheDownNotifiersAtShutdownAndWithoutItNothingRuns(boolean omega) {
        engine.setType(TYPE, type);
        VsSettings v = vs(VS_B);
        engine.putVirtualServer("vs", new VsSettings(v.key(), v.service(), v.text(), v.protocol(), v.delayLoop(), v.scheduler(),
                v.schedulerFlags(), v.method(), v.persistenceTimeout(), v.persistenceGranularity(), v.quorum(),
                v.hysteresis(), "/q up", "/q down", v.sorryInhibit(), v.sorryMethod(), v.inhibitOnFailure(),
                v.alpha(), omega, v.haSuspend(), v.retry(), v.delayBeforeRetry(), v.warmup(), v.connectTimeout(),
                v.virtualhost(), v.notifyFifo(), v.origin(), v.smtpAlert(), v.quorumUpUser(), v.quorumDownUser(), v.scriptUser(), v.scriptSecurity()), List.of(
                        new RsSettings(VS_B, RS1, false, 1, null, null, "", -1, -1, -1, -1, -1, "/n up", "/n down",
                                List.of(block(Map.of())), "", true, null, null)));
        loop.advance(2);
        assertThat(scripts).isEmpty();
        engine.shutdown();
        if (omega) {
            assertThat(scripts).containsExactly("notify_down /n down", "quorum_down /q down");
        } else {
            assertThat(scripts).isEmpty();
        }
    }

    @Test
    void transitionsRunNotifyUpAndDownAndQuorumUpAndDown() {
        engine.setType(TYPE, type);
        VsSettings v = vs(VS_A).withQuorum(2, 0);
        engine.putVirtualServer("vs", new VsSettings(v.key(), v.service(), v.text(), v.protocol(), v.delayLoop(), v.scheduler(),
                v.schedulerFlags(), v.method(), v.persistenceTimeout(), v.persistenceGranularity(), v.quorum(),
                v.hysteresis(), "/q up", "/q down", v.sorryInhibit(), v.sorryMethod(), v.inhibitOnFailure(), v.alpha(),
                v.omega(), v.haSuspend(), v.retry(), v.delayBeforeRetry(), v.warmup(), v.connectTimeout(),
                v.virtualhost(), v.notifyFifo(), v.origin(), v.smtpAlert(), v.quorumUpUser(), v.quorumDownUser(), v.scriptUser(), v.scriptSecurity()));
        for (InetSocketAddress a : List.of(RS1, RS2)) {
            RsSettings r = rs(VS_A, a, Map.of());
            engine.putRealServer(a.toString(), new RsSettings(r.vsKey(), r.address(), false, 1, null, null, "", -1, -1,
                    -1, -1, -1, "/n up " + a.getPort(), a.equals(RS1) ? "/n down 'rs 1'" : "", r.checks(), "", r.smtpAlert(), null, null));
        }
        loop.advance(1);
        assertThat(scripts).as("servers up from the start run nothing").isEmpty();
        type.set(RS1, ScriptedType.Mode.FAIL);
        loop.advance(11.5);
        assertThat(scripts).containsExactly("notify_down /n down 'rs 1'", "quorum_down /q down");
        type.set(RS1, ScriptedType.Mode.PASS);
        loop.advance(10);
        assertThat(scripts).containsExactly("notify_down /n down 'rs 1'", "quorum_down /q down", "notify_up /n up 80",
                "quorum_up /q up");
        // RS2 has no notify_down: its fall runs only quorum_down
        type.set(RS2, ScriptedType.Mode.FAIL);
        loop.advance(11.5);
        assertThat(scripts).endsWith("notify_up /n up 80", "quorum_up /q up", "quorum_down /q down");
    }

    @Test
    void theSorryServerReplacesThePoolWhileQuorumIsLost() {
        engine.setType(TYPE, type);
        engine.putVirtualServer("vs", vs(VS_A));
        engine.putRealServer("rs1", rs(VS_A, RS1, Map.of()));
        engine.putRealServer("sorry", RsSettings.sorry(VS_A, address("192.0.2.99", 80)));
        type.set(RS1, ScriptedType.Mode.FAIL);
        loop.advance(2.5);
        assertThat(log.all()).endsWith(
                "Removing service " + RS1_TEXT + " from VS " + VS_A_TEXT,
                "Lost quorum 1-0=1 > 0 for VS " + VS_A_TEXT,
                "Adding sorry server [192.0.2.99]:tcp:80 to VS " + VS_A_TEXT,
                "Removing alive servers from the pool for VS " + VS_A_TEXT);
        VirtualService sorry = pools.get(pools.size() - 1).get(0);
        assertThat(sorry.sorry()).isTrue();
        assertThat(sorry.destinations()).extracting(d -> d.address().getAddress().getHostAddress())
                .containsExactly("192.0.2.99");
        type.set(RS1, ScriptedType.Mode.PASS);
        loop.advance(10);
        assertThat(log.all()).endsWith(
                "Adding service " + RS1_TEXT + " to VS " + VS_A_TEXT,
                "Gained quorum 1+0=1 <= 1 for VS " + VS_A_TEXT,
                "Removing sorry server [192.0.2.99]:tcp:80 from VS " + VS_A_TEXT,
                "Adding alive servers to the pool for VS " + VS_A_TEXT);
        assertThat(pools.get(pools.size() - 1).get(0).sorry()).isFalse();
    }

    @Test
    void oneProbeIsSharedByEveryVirtualServerNamingTheSameRealServerAndCheck() {
        engine.setType(TYPE, type);
        engine.putVirtualServer("a", vs(VS_A));
        engine.putVirtualServer("b", vs(VS_B));
        engine.putRealServer("a1", rs(VS_A, RS1, Map.of()));
        engine.putRealServer("b1", rs(VS_B, RS1, Map.of()));
        // a different setting is a different probe
        engine.putRealServer("a2", rs(VS_A, RS2, Map.of()));
        engine.putRealServer("b2", rs(VS_B, RS2, Map.of("connect.timeout", List.of("3"))));
        loop.advance(1);
        assertThat(engine.totals().probes()).isEqualTo(3);
        assertThat(type.attempts(RS1)).containsExactly(1.0);
        assertThat(type.attempts(RS2)).containsExactly(1.0, 1.0);
        type.set(RS1, ScriptedType.Mode.FAIL);
        loop.advance(11);
        assertThat(type.attempts(RS1)).containsExactly(1.0, 11.0, 12.0);
        assertThat(log.with(RS1_TEXT)).containsExactly(
                "Activating healthchecker for service " + RS1_TEXT + " for VS " + VS_A_TEXT,
                "Activating healthchecker for service " + RS1_TEXT + " for VS [192.0.2.250]:tcp:80",
                "SCRIPTED_CHECK on service " + RS1_TEXT + " failed after 1 retries.",
                "Removing service " + RS1_TEXT + " from VS " + VS_A_TEXT,
                "Removing service " + RS1_TEXT + " from VS [192.0.2.250]:tcp:80");
    }

    @Test
    void aTypeLeavingMarksItsChecksCheckerMissingNeverDownAndItsReturnResumesThem() {
        engine.putVirtualServer("vs", vs(VS_A));
        engine.putRealServer("rs1", rs(VS_A, RS1, Map.of()));
        loop.advance(5);
        assertThat(log.all()).containsExactly("No check type SCRIPTED_CHECK is installed yet: its checks wait for it");
        assertThat(engine.snapshot().get(0).reals().get(0).checks().get(0).status()).isEqualTo("waiting");

        engine.setType(TYPE, type);
        loop.advance(1);
        assertThat(type.attempts(RS1)).containsExactly(6.0);
        assertThat(log.with("Activating")).hasSize(1);

        type.set(RS1, ScriptedType.Mode.HANG);
        loop.advance(10);
        assertThat(type.hung).hasSize(1);
        log.clear();
        engine.setType(TYPE, null);
        assertThat(log.all()).containsExactly(
                "Check type SCRIPTED_CHECK is gone: 1 checks are checker missing (not down; pools unchanged) until it returns");
        assertThat(type.hung.get(0).isCancelled()).isTrue();
        loop.advance(60);
        assertThat(type.attempts(RS1)).hasSize(2);
        Status.Real r = engine.snapshot().get(0).reals().get(0);
        assertThat(r.inPool()).isTrue();
        assertThat(r.checks().get(0).status()).isEqualTo("missing");
        assertThat(log.with("Removing")).isEmpty();
        assertThat(type.closed).isEqualTo(1);

        type.set(RS1, ScriptedType.Mode.PASS);
        engine.setType(TYPE, type);
        loop.advance(1);
        assertThat(log.all()).endsWith("Check type SCRIPTED_CHECK present: starting 1 checks",
                "Activating healthchecker for service " + RS1_TEXT + " for VS " + VS_A_TEXT);
        assertThat(type.attempts(RS1)).hasSize(3);
    }

    @Test
    void aBlockTheTypeRefusesIsInvalidAndChangesNoPool() {
        engine.setType(TYPE, type);
        engine.putVirtualServer("vs", vs(VS_A));
        engine.putRealServer("rs1", rs(VS_A, RS1, Map.of("refuse", List.of("yes"))));
        loop.advance(30);
        assertThat(log.all()).contains(RS1_TEXT + ": refuse is set");
        assertThat(engine.snapshot().get(0).reals().get(0).inPool()).isTrue();
        assertThat(engine.totals().invalid()).isEqualTo(1);
    }

    @Test
    void aReloadThatKeepsTheCheckKeepsItsVerdict() {
        engine.setType(TYPE, type);
        engine.putVirtualServer("vs", vs(VS_A));
        engine.putRealServer("rs1", rs(VS_A, RS1, Map.of()));
        engine.putRealServer("rs2", rs(VS_A, RS2, Map.of()));
        engine.putRealServer("rs3", rs(VS_A, RS3, Map.of()));
        type.set(RS1, ScriptedType.Mode.FAIL);
        loop.advance(2.5);
        assertThat(log.with("Removing service")).hasSize(1);
        log.clear();
        // the same configuration again (a reload in place), and one deleted and written anew
        engine.putRealServer("rs1", rs(VS_A, RS1, Map.of()).withWeight(1));
        engine.removeRealServer("rs2", true);
        engine.putRealServer("rs2-new", rs(VS_A, RS2, Map.of()));
        loop.advance(1);
        assertThat(engine.snapshot().get(0).reals()).extracting(Status.Real::inPool).containsExactly(false, true, true);
        assertThat(log.all()).containsExactly("service [192.0.2.22]:tcp:80 no longer exist",
                "Activating healthchecker for service [192.0.2.22]:tcp:80 for VS " + VS_A_TEXT);
        assertThat(type.prepared).isEqualTo(3);
    }

    @Test
    void aVirtualServersConfigurationIsDiffedByRealServerIdentity() {
        engine.setType(TYPE, type);
        engine.putVirtualServer("vs", vs(VS_A), List.of(rs(VS_A, RS1, Map.of()), rs(VS_A, RS2, Map.of())));
        type.set(RS1, ScriptedType.Mode.FAIL);
        loop.advance(2.5);
        assertThat(log.with("Removing service")).hasSize(1);
        log.clear();
        // the reload: RS1 unchanged (stays down, not restarted), RS2 gone, RS3 new
        engine.putVirtualServer("vs", vs(VS_A), List.of(rs(VS_A, RS1, Map.of()), rs(VS_A, RS3, Map.of())));
        loop.advance(1);
        assertThat(engine.snapshot().get(0).reals()).extracting(Status.Real::text)
                .containsExactly(RS1_TEXT, "[192.0.2.23]:tcp:80");
        assertThat(engine.snapshot().get(0).reals()).extracting(Status.Real::inPool).containsExactly(false, true);
        assertThat(log.all()).as("no quorum lost and regained on the way").containsExactly(
                "service [192.0.2.22]:tcp:80 no longer exist",
                "Activating healthchecker for service [192.0.2.23]:tcp:80 for VS " + VS_A_TEXT);
        assertThat(type.prepared).isEqualTo(3);
        // the virtual server deleted: its real servers go with it and do not wait for a new one
        engine.removeVirtualServer("vs", true);
        engine.putVirtualServer("vs2", vs(VS_A));
        loop.advance(5);
        assertThat(engine.snapshot().get(0).reals()).isEmpty();
    }

    @Test
    void aReloadThatChangesACheckKeepsTheServersVerdictUntilTheNewCheckSaysOtherwise() {
        engine.setType(TYPE, type);
        engine.putVirtualServer("vs", vs(VS_A));
        engine.putRealServer("rs1", rs(VS_A, RS1, Map.of()));
        engine.putRealServer("rs2", rs(VS_A, RS2, Map.of()));
        type.set(RS1, ScriptedType.Mode.FAIL);
        loop.advance(2.5);
        log.clear();
        engine.putRealServer("rs1", rs(VS_A, RS1, Map.of("connect.timeout", List.of("2"))));
        loop.advance(0.5);
        // a new check (new settings), the old verdict: still down, no line but the new check's start
        assertThat(engine.snapshot().get(0).reals().get(0).inPool()).isFalse();
        assertThat(log.all()).containsExactly("Activating healthchecker for service " + RS1_TEXT + " for VS " + VS_A_TEXT);
        type.set(RS1, ScriptedType.Mode.PASS);
        loop.advance(1);
        assertThat(log.with("Adding service")).containsExactly("Adding service " + RS1_TEXT + " to VS " + VS_A_TEXT);
    }

    @Test
    void aDynamicWeightChangesTheServersWeight() {
        engine.setType(TYPE, type);
        engine.putVirtualServer("vs", vs(VS_A));
        engine.putRealServer("rs1", rs(VS_A, RS1, Map.of()));
        type.weight = 5;
        loop.advance(1);
        assertThat(log.with("weight")).containsExactly(
                "Changing weight from 1 to 5 for active service " + RS1_TEXT + " of VS " + VS_A_TEXT);
        assertThat(engine.snapshot().get(0).liveWeight()).isEqualTo(5);
    }

    @Test
    void realServersArrivingBeforeTheirVirtualServerWaitForIt() {
        engine.setType(TYPE, type);
        engine.putRealServer("rs1", rs(VS_A, RS1, Map.of()));
        loop.advance(5);
        assertThat(type.attempts(RS1)).isEmpty();
        engine.putVirtualServer("vs", vs(VS_A));
        loop.advance(1);
        assertThat(type.attempts(RS1)).containsExactly(6.0);
        engine.removeVirtualServer("vs", true);
        assertThat(log.all()).endsWith("Removing Virtual Server " + VS_A_TEXT);
        loop.advance(60);
        assertThat(type.attempts(RS1)).hasSize(1);
    }
}
