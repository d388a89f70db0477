package org.vigil.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.vigil.core.internal.TestConfigs.ip;

import java.net.InetAddress;

import org.junit.jupiter.api.Test;
import org.vigil.api.vrrp.InstanceState;

/** Exact timer behaviour of one state machine on virtual time; no codec, no driver. */
class VrrpInstanceTest {
    private static final InetAddress US = ip("192.0.2.11");
    private static final InetAddress LOWER_IP = ip("192.0.2.10");
    private static final InetAddress HIGHER_IP = ip("192.0.2.12");

    private final ManualLoop loop = new ManualLoop();
    private final RecordingActions actions = new RecordingActions(loop, US);

    private VrrpInstance start(TestConfigs config) {
        VrrpInstance instance = new VrrpInstance(config.build(), loop, actions);
        instance.start(true);
        return instance;
    }

    private void advert(VrrpInstance instance, int priority, int intervalCs, InetAddress from) {
        instance.onAdvert(priority, intervalCs, from.getAddress(), loop.nowMicros());
    }

    @Test
    void v2Priority100At1sHasMasterDown3609375Micros() {
        VrrpInstance backup = start(TestConfigs.v2(100));

        assertThat(backup.skewMicros()).isEqualTo(609_375);
        assertThat(backup.masterDownMicros()).isEqualTo(3_609_375);
        assertThat(backup.masterDownDeadline()).isEqualTo(3_609_375);
        assertThat(actions.texts()).containsExactly("(VI_1) removing VIPs.", "(VI_1) Entering BACKUP STATE (init)");

        loop.advance(3_609_374);
        assertThat(backup.state()).isEqualTo(InstanceState.BACKUP);
        assertThat(actions.sent).isEmpty();

        loop.advance(1);
        assertThat(backup.state()).isEqualTo(InstanceState.MASTER);
        assertThat(actions.sent).containsExactly(new RecordingActions.Sent(3_609_375, 100));
        assertThat(actions.lines).contains(new RecordingActions.Line("(VI_1) Receive advertisement timeout", true),
                new RecordingActions.Line("(VI_1) Entering MASTER STATE", false),
                new RecordingActions.Line("(VI_1) setting VIPs.", true));
        assertThat(actions.held).containsExactly(TestConfigs.vip("192.0.2.249", 24));
        assertThat(actions.transitions).containsExactly(
                new RecordingActions.Transition(InstanceState.INIT, InstanceState.BACKUP, false),
                new RecordingActions.Transition(InstanceState.BACKUP, InstanceState.MASTER, false));
    }

    @Test
    void masterDownRunsFromWhenTheDriverReadTheAdvertNotFromWhenTheLoopGotToIt() throws Exception {
        VrrpInstance backup = start(TestConfigs.v2(100));
        loop.advance(1_000_000);

        // read by the driver thread 700 us before the election thread processed it
        backup.onAdvert(150, 100, InetAddress.getByName("192.0.2.1").getAddress(), 1_000_000 - 700);

        assertThat(backup.masterDownDeadline()).isEqualTo(1_000_000 - 700 + 3_609_375);
        loop.advance(3_609_375 - 701);
        assertThat(backup.state()).isEqualTo(InstanceState.BACKUP);
        loop.advance(1);
        assertThat(backup.state()).isEqualTo(InstanceState.MASTER);
        assertThat(actions.sent).containsExactly(new RecordingActions.Sent(1_000_000 - 700 + 3_609_375, 100));
    }

    /** Master_Down of {@link #backupWithTheLoopLate}: its last advert at 1 s. */
    private static final long DEADLINE = 1_000_000 + 3_609_375;

    /**
     * A backup whose Master_Down runs out at {@link #DEADLINE}, and the election thread 90 ms
     * past it, busy with a batch, without having run the timer yet.
     */
    private VrrpInstance backupWithTheLoopLate() {
        VrrpInstance backup = start(TestConfigs.v2(100));
        loop.advance(1_000_000);
        advert(backup, 150, 100, HIGHER_IP);
        assertThat(backup.masterDownDeadline()).isEqualTo(DEADLINE);
        loop.jump(DEADLINE + 90_000 - loop.nowMicros());
        return backup;
    }

    /**
     * RFC 5798 orders events by when they happen: an advert that arrived after Master_Down ran
     * out comes after the timer, however late the election thread got to either. So the backup
     * became master at the deadline, and the advert reaches a master: a higher priority takes
     * the role back (section 6.4.3). Had the advert kept the backup in BACKUP, whether the
     * master was replaced would depend on the election thread's lateness, not on the wire.
     */
    @Test
    void anAdvertThatArrivedAfterMasterDownRanOutReachesAMasterEvenWhenTheLoopIsLate() {
        VrrpInstance backup = backupWithTheLoopLate();

        // the master's next advert was on the wire 40 ms after the deadline
        backup.onAdvert(150, 100, HIGHER_IP.getAddress(), DEADLINE + 40_000);

        assertThat(actions.sent).as("the takeover advert, as at the deadline").hasSize(1);
        assertThat(actions.sent.get(0).priority()).isEqualTo(100);
        assertThat(actions.transitions).containsExactly(
                new RecordingActions.Transition(InstanceState.INIT, InstanceState.BACKUP, false),
                new RecordingActions.Transition(InstanceState.BACKUP, InstanceState.MASTER, false),
                new RecordingActions.Transition(InstanceState.MASTER, InstanceState.BACKUP, false));
        assertThat(backup.state()).as("the higher priority takes it back").isEqualTo(InstanceState.BACKUP);
        assertThat(backup.counters.becameMaster).isOne();
        assertThat(actions.held).isEmpty();
        assertThat(backup.masterDownDeadline()).as("Master_Down runs again").isGreaterThan(loop.nowMicros());
    }

    @Test
    void aLowerPriorityAdvertThatArrivedAfterMasterDownRanOutLeavesTheNewMasterInPlace() {
        VrrpInstance backup = backupWithTheLoopLate();

        // the old master came back at a lower priority, after Master_Down had run out
        backup.onAdvert(50, 100, HIGHER_IP.getAddress(), DEADLINE + 40_000);

        assertThat(backup.state()).isEqualTo(InstanceState.MASTER);
        assertThat(actions.held).containsExactly(TestConfigs.vip("192.0.2.249", 24));
        assertThat(actions.sent).as("the takeover advert, then the answer to the lower priority").hasSize(2);
    }

    @Test
    void anAdvertThatArrivedBeforeMasterDownRanOutKeepsTheBackupEvenWhenTheLoopIsLate() {
        VrrpInstance backup = backupWithTheLoopLate();

        // on the wire 1 ms before the deadline
        backup.onAdvert(150, 100, HIGHER_IP.getAddress(), DEADLINE - 1_000);

        assertThat(backup.state()).isEqualTo(InstanceState.BACKUP);
        assertThat(actions.sent).isEmpty();
        assertThat(backup.masterDownDeadline()).as("from the arrival").isEqualTo(DEADLINE - 1_000 + 3_609_375);
        loop.runPending();
        assertThat(backup.state()).isEqualTo(InstanceState.BACKUP);
    }

    @Test
    void backupsTimingOutTogetherAllSendTheirTakeoverAdvertBeforeAnyOfThemTakesItsVips() {
        // a master carrying 50 instances dies: all 50 master-down timers are due at once
        java.util.List<String> events = new java.util.ArrayList<>();
        java.util.List<VrrpInstance> backups = new java.util.ArrayList<>();
        for (int i = 0; i < 50; i++) {
            String name = "VI_" + i;
            RecordingActions own = new RecordingActions(loop, US);
            InstanceActions shared = new InstanceActions() {
                @Override
                public boolean sendAdvert(int priority) {
                    events.add("advert " + name);
                    return own.sendAdvert(priority);
                }

                @Override
                public void acquire(java.util.Collection<org.vigil.api.vip.VirtualAddress> addresses) {
                    events.add("acquire " + name);
                    own.acquire(addresses);
                }

                @Override
                public void release(java.util.Collection<org.vigil.api.vip.VirtualAddress> addresses) {
                    own.release(addresses);
                }

                @Override
                public java.util.List<org.vigil.api.vip.VirtualAddress> held() {
                    return own.held();
                }

                @Override
                public InetAddress localAddress() {
                    return US;
                }

                @Override
                public void transition(InstanceState from, InstanceState to, boolean stopping) {
                    events.add("transition " + name + " " + to);
                }

                @Override
                public void log(String line, boolean detail) {
                    events.add("log " + name + " " + line);
                }
            };
            VrrpInstance backup = new VrrpInstance(TestConfigs.v2(100).build(), loop, shared);
            backup.start(true);
            backups.add(backup);
        }
        events.clear();

        loop.advance(3_609_375);

        assertThat(backups).allMatch(b -> b.state() == InstanceState.MASTER);
        assertThat(events.subList(0, 50)).allMatch(e -> e.startsWith("advert "));
        assertThat(events.subList(50, events.size())).noneMatch(e -> e.startsWith("advert "))
                .contains("acquire VI_0", "acquire VI_49", "transition VI_49 MASTER",
                        "log VI_0 (VI_1) Receive advertisement timeout", "log VI_0 (VI_1) Entering MASTER STATE");
        // each one keeps its order: the advert, then keepalived's lines (timeout, MASTER), VIPs, the transition
        java.util.List<String> first = events.stream().filter(e -> e.split(" ")[1].equals("VI_0")).toList();
        assertThat(first).containsExactly("advert VI_0", "log VI_0 (VI_1) Receive advertisement timeout",
                "log VI_0 (VI_1) Entering MASTER STATE", "log VI_0 (VI_1) setting VIPs.", "acquire VI_0",
                "transition VI_0 MASTER");
    }

    @Test
    void v2SkewDoesNotDependOnTheInterval() {
        TestConfigs config = TestConfigs.v2(100);
        config.advertCs = 200;
        VrrpInstance backup = start(config);
        assertThat(backup.skewMicros()).isEqualTo(609_375);
        assertThat(backup.masterDownMicros()).isEqualTo(6_609_375);
    }

    @Test
    void v3Priority200At100csHasSkew218750Micros() {
        VrrpInstance backup = start(TestConfigs.v3(200, 100));
        assertThat(backup.skewMicros()).isEqualTo(218_750); // 21.875 cs
        assertThat(backup.masterDownMicros()).isEqualTo(3_218_750);
    }

    @Test
    void ownerBecomesMasterAtOnceAndAdvertisesAtAFixedRate() {
        VrrpInstance owner = start(TestConfigs.v2(255));

        assertThat(owner.state()).isEqualTo(InstanceState.MASTER);
        assertThat(actions.texts()).containsExactly("(VI_1) Entering MASTER STATE", "(VI_1) setting VIPs.");
        assertThat(actions.held).isNotEmpty();

        loop.advance(3_000_000);
        assertThat(actions.sendTimes()).containsExactly(0L, 1_000_000L, 2_000_000L, 3_000_000L);
        assertThat(actions.sent).allMatch(s -> s.priority() == 255);
    }

    @Test
    void stateMasterWithoutOwnershipWaitsOneIntervalPlusSkew() {
        VrrpInstance instance = start(TestConfigs.v2(100).stateMaster());

        assertThat(instance.state()).isEqualTo(InstanceState.BACKUP);
        assertThat(actions.texts()).contains("(VI_1) Entering BACKUP STATE (init)");
        assertThat(instance.masterDownDeadline()).isEqualTo(1_000_000 + 609_375);

        loop.advance(1_609_375);
        assertThat(instance.state()).isEqualTo(InstanceState.MASTER);
    }

    @Test
    void priorityZeroMakesABackupTakeOverAfterTheSkew() {
        VrrpInstance backup = start(TestConfigs.v2(100));
        loop.advance(1_000_000);
        advert(backup, 150, 100, HIGHER_IP);
        loop.advance(500_000);

        advert(backup, 0, 100, HIGHER_IP);
        assertThat(actions.lines).contains(new RecordingActions.Line("(VI_1) Backup received priority 0 advertisement", true));
        assertThat(backup.masterDownDeadline()).isEqualTo(1_500_000 + 609_375);
        assertThat(backup.counters.priorityZeroReceived).isEqualTo(1);

        loop.advance(609_374);
        assertThat(backup.state()).isEqualTo(InstanceState.BACKUP);
        loop.advance(1);
        assertThat(backup.state()).isEqualTo(InstanceState.MASTER);
        assertThat(actions.sent.get(0).atMicros()).isEqualTo(2_109_375);
    }

    @Test
    void backupAcceptingAnAdvertRestartsTheFullMasterDownTimer() {
        VrrpInstance backup = start(TestConfigs.v2(100));
        loop.advance(2_000_000);
        advert(backup, 150, 100, HIGHER_IP);

        assertThat(backup.masterDownDeadline()).isEqualTo(2_000_000 + 3_609_375);
        assertThat(backup.masterAddress()).isEqualTo(HIGHER_IP);
    }

    @Test
    void preemptingBackupDiscardsLowerAdvertsAndTakesOverWhenItsTimerRunsOut() {
        VrrpInstance backup = start(TestConfigs.v2(150));
        long deadline = backup.masterDownDeadline();
        assertThat(deadline).isEqualTo(3_000_000 + 106 * 1_000_000L / 256);

        for (int i = 1; i <= 3; i++) {
            loop.advanceTo(i * 1_000_000L);
            advert(backup, 100, 100, HIGHER_IP);
        }

        assertThat(backup.masterDownDeadline()).isEqualTo(deadline);
        assertThat(actions.texts())
                .containsOnlyOnce("(VI_1) received lower priority (100) advert from 192.0.2.12 - discarding");
        loop.advanceTo(deadline);
        assertThat(backup.state()).isEqualTo(InstanceState.MASTER);
    }

    @Test
    void nopreemptBackupFollowsALowerMaster() {
        VrrpInstance backup = start(TestConfigs.v2(150).nopreempt());
        for (int i = 1; i <= 10; i++) {
            loop.advanceTo(i * 1_000_000L);
            advert(backup, 100, 100, HIGHER_IP);
        }
        assertThat(backup.state()).isEqualTo(InstanceState.BACKUP);
        assertThat(backup.masterDownDeadline()).isEqualTo(10_000_000 + backup.masterDownMicros());
        assertThat(actions.texts()).noneMatch(t -> t.contains("discarding"));
    }

    @Test
    void preemptDelayActsAsNopreemptUntilItHasPassed() {
        VrrpInstance backup = start(TestConfigs.v2(150).preemptDelayMs(5_000));
        for (int i = 1; i <= 4; i++) {
            loop.advanceTo(i * 1_000_000L);
            advert(backup, 100, 100, HIGHER_IP);
        }
        assertThat(backup.masterDownDeadline()).isEqualTo(4_000_000 + backup.masterDownMicros());

        loop.advanceTo(5_000_000);
        advert(backup, 100, 100, HIGHER_IP);
        assertThat(actions.texts()).contains("(VI_1) received lower priority (100) advert from 192.0.2.12 - discarding");
        assertThat(backup.masterDownDeadline()).isEqualTo(4_000_000 + backup.masterDownMicros());

        loop.advanceTo(4_000_000 + backup.masterDownMicros());
        assertThat(backup.state()).isEqualTo(InstanceState.MASTER);
    }

    @Test
    void equalPriorityMasterYieldsToAHigherAddressOnly() {
        VrrpInstance master = start(TestConfigs.v2(255 - 155)); // 100
        loop.advanceTo(master.masterDownDeadline());
        assertThat(master.state()).isEqualTo(InstanceState.MASTER);

        advert(master, 100, 100, LOWER_IP);
        assertThat(master.state()).isEqualTo(InstanceState.MASTER);
        assertThat(actions.texts()).contains(
                "(VI_1) Received advert from 192.0.2.10 with lower priority 100, ours 100, forcing new election");

        advert(master, 100, 100, HIGHER_IP);
        assertThat(master.state()).isEqualTo(InstanceState.BACKUP);
        assertThat(actions.texts()).contains(
                "(VI_1) Master received advert from 192.0.2.12 with same priority 100 but higher IP address than ours",
                "(VI_1) Entering BACKUP STATE", "(VI_1) removing VIPs.");
        assertThat(actions.held).isEmpty();
        assertThat(master.masterAddress()).isEqualTo(HIGHER_IP);
    }

    @Test
    void addressesCompareAsUnsignedBytes() {
        assertThat(VrrpInstance.compareUnsigned(ip("192.0.2.200").getAddress(), ip("192.0.2.100").getAddress()))
                .isPositive();
        assertThat(VrrpInstance.compareUnsigned(ip("10.0.0.1").getAddress(), ip("192.0.2.1").getAddress()))
                .isNegative();
    }

    @Test
    void v3BackupLearnsTheMastersInterval() {
        VrrpInstance backup = start(TestConfigs.v3(100, 100));
        loop.advance(1_000_000);
        advert(backup, 200, 50, HIGHER_IP);

        assertThat(backup.masterAdverIntervalCs()).isEqualTo(50);
        // 3 x 0.5 s + (256 - 100) x 50 cs / 256
        assertThat(backup.masterDownMicros()).isEqualTo(1_500_000 + 156L * 50 * 10_000 / 256);
        assertThat(backup.masterDownDeadline()).isEqualTo(1_000_000 + backup.masterDownMicros());
    }

    @Test
    void v2BackupKeepsItsOwnInterval() {
        VrrpInstance backup = start(TestConfigs.v2(100));
        advert(backup, 200, 200, HIGHER_IP);
        assertThat(backup.masterAdverIntervalCs()).isEqualTo(100);
    }

    @Test
    void masterAnswersALowerPriorityAtOnce() {
        VrrpInstance master = start(TestConfigs.v2(255));
        loop.advance(400_000);
        actions.clear();

        advert(master, 100, 100, HIGHER_IP);
        assertThat(actions.sent).containsExactly(new RecordingActions.Sent(400_000, 255));
        assertThat(actions.texts()).containsExactly(
                "(VI_1) Received advert from 192.0.2.12 with lower priority 100, ours 255, forcing new election");
        // the periodic advert keeps its phase
        loop.advance(600_000);
        assertThat(actions.sendTimes()).containsExactly(400_000L, 1_000_000L);
    }

    @Test
    void anAdvertWithinItsSlackLeavesWithAnotherAndKeepsItsOwnPhase() {
        VrrpInstance a = start(TestConfigs.v3(255, 100).name("A").vrid(1));
        loop.advance(100_000);
        RecordingActions bSent = new RecordingActions(loop, US);
        VrrpInstance b = new VrrpInstance(TestConfigs.v3(255, 100).name("B").vrid(2).build(), loop, bSent);
        b.start(true);
        loop.advance(100_000);
        RecordingActions cSent = new RecordingActions(loop, US);
        VrrpInstance c = new VrrpInstance(TestConfigs.v3(255, 100).name("C").vrid(3).build(), loop, cSent);
        c.start(true);

        loop.advanceSharingWakeUps(2_000_000);
        assertThat(actions.sendTimes()).containsExactly(0L, 1_000_000L, 2_000_000L);
        // woken for A at 1 s, B (due at 1.1 s, slack 125 ms) left with it; its deadlines stay its own
        assertThat(bSent.sendTimes()).containsExactly(100_000L, 1_000_000L, 2_000_000L);
        assertThat(b.adverTimerDeadline()).isEqualTo(3_100_000);
        // C was 200 ms away, beyond its slack: its own phase
        assertThat(cSent.sendTimes()).containsExactly(200_000L, 1_200_000L, 2_200_000L);

        // A goes: B wakes at its own deadlines again
        a.stop();
        loop.advanceSharingWakeUps(2_000_000);
        assertThat(bSent.sendTimes()).containsExactly(100_000L, 1_000_000L, 2_000_000L, 3_100_000L, 4_100_000L);
        // C, due 100 ms after B, now leaves with B's wake-up, and its deadlines stay its own
        assertThat(cSent.sendTimes()).endsWith(3_100_000L, 4_100_000L);
        assertThat(c.adverTimerDeadline()).isEqualTo(5_200_000);
    }

    @Test
    void aLateAdvertKeepsItsPhase() {
        VrrpInstance master = start(TestConfigs.v3(255, 100));
        loop.advance(500_000);
        // the thread stalls 30 ms past the deadline at 1 s
        loop.stall(530_000);
        assertThat(actions.sendTimes()).containsExactly(0L, 1_030_000L);
        assertThat(master.adverTimerDeadline()).isEqualTo(2_000_000);
    }

    @Test
    void aFloodOfLowerPriorityAdvertsGetsOneAnswerPerInterval() {
        VrrpInstance master = start(TestConfigs.v2(255));
        loop.advance(400_000);
        actions.clear();
        for (int i = 0; i < 1_000; i++) {
            advert(master, 100, 100, HIGHER_IP);
        }
        assertThat(actions.sendTimes()).as("one answer, not a thousand").containsExactly(400_000L);
        assertThat(actions.texts()).hasSize(1);
        assertThat(master.counters.lowerPriorityIgnored).isEqualTo(999);
        // a real lower-priority master keeps sending once per interval: each of those is answered
        loop.advance(1_000_000);
        advert(master, 100, 100, HIGHER_IP);
        assertThat(actions.sendTimes()).containsExactly(400_000L, 1_000_000L, 1_400_000L);
        assertThat(master.state()).isEqualTo(InstanceState.MASTER);
    }

    @Test
    void lowerPrioNoAdvertSilencesTheAnswer() {
        VrrpInstance master = start(TestConfigs.v2(255).lowerPrioNoAdvert());
        actions.clear();
        advert(master, 100, 100, HIGHER_IP);
        assertThat(actions.sent).isEmpty();
        assertThat(master.state()).isEqualTo(InstanceState.MASTER);
    }

    @Test
    void masterYieldsToAHigherPriority() {
        VrrpInstance master = start(TestConfigs.v3(100, 100));
        loop.advanceTo(master.masterDownDeadline());
        actions.clear();

        advert(master, 150, 200, HIGHER_IP);
        assertThat(master.state()).isEqualTo(InstanceState.BACKUP);
        assertThat(actions.texts()).containsExactly(
                "(VI_1) Master received advert from 192.0.2.12 with higher priority 150, ours 100",
                "(VI_1) Entering BACKUP STATE", "(VI_1) removing VIPs.");
        assertThat(master.masterAdverIntervalCs()).isEqualTo(200);
        assertThat(master.masterDownDeadline()).isEqualTo(loop.nowMicros() + master.masterDownMicros());
        assertThat(master.adverTimerDeadline()).isEqualTo(-1);
        assertThat(master.counters.releasedMaster).isEqualTo(1);
    }

    @Test
    void masterReceivingPriorityZeroAdvertisesAtOnce() {
        VrrpInstance master = start(TestConfigs.v2(255));
        loop.advance(300_000);
        actions.clear();
        advert(master, 0, 100, HIGHER_IP);
        assertThat(actions.sent).containsExactly(new RecordingActions.Sent(300_000, 255));
        assertThat(master.adverTimerDeadline()).isEqualTo(1_300_000);
    }

    @Test
    void stoppingMasterSendsPriorityZeroAndReleases() {
        VrrpInstance master = start(TestConfigs.v2(255));
        actions.clear();
        master.stop();

        assertThat(actions.sent).containsExactly(new RecordingActions.Sent(0, 0));
        assertThat(actions.lines).containsExactly(new RecordingActions.Line("(VI_1) sent 0 priority", true),
                new RecordingActions.Line("(VI_1) removing VIPs.", true));
        assertThat(actions.held).isEmpty();
        assertThat(actions.transitions).containsExactly(
                new RecordingActions.Transition(InstanceState.MASTER, InstanceState.INIT, true));
        assertThat(master.counters.priorityZeroSent).isEqualTo(1);
        loop.advance(10_000_000);
        assertThat(actions.sent).hasSize(1);
    }

    @Test
    void noLinkStartsInFault() {
        VrrpInstance instance = new VrrpInstance(TestConfigs.v2(100).build(), loop, actions);
        instance.start(false);
        assertThat(instance.state()).isEqualTo(InstanceState.FAULT);
        assertThat(actions.texts()).containsExactly("(VI_1) Entering FAULT STATE (init)");
        loop.advance(10_000_000);
        assertThat(instance.state()).isEqualTo(InstanceState.FAULT);
        assertThat(actions.sent).isEmpty();
    }

    @Test
    void linkDownSendsPriorityZeroThenFaultAndLinkUpReturnsToBackup() {
        VrrpInstance master = start(TestConfigs.v2(100));
        loop.advanceTo(master.masterDownDeadline());
        assertThat(master.state()).isEqualTo(InstanceState.MASTER);
        actions.clear();

        master.setConditions(false, false);
        assertThat(master.state()).isEqualTo(InstanceState.FAULT);
        assertThat(actions.sent).extracting(RecordingActions.Sent::priority).containsExactly(0);
        assertThat(actions.texts()).containsExactly("(VI_1) Entering FAULT STATE", "(VI_1) sent 0 priority",
                "(VI_1) removing VIPs.");
        assertThat(actions.held).isEmpty();

        loop.advance(20_000_000);
        assertThat(master.state()).isEqualTo(InstanceState.FAULT);

        actions.clear();
        master.setConditions(true, false);
        assertThat(master.state()).isEqualTo(InstanceState.BACKUP);
        assertThat(actions.texts()).containsExactly("(VI_1) Entering BACKUP STATE");
        assertThat(master.masterDownDeadline()).isEqualTo(loop.nowMicros() + 3_609_375);
    }

    @Test
    void faultWithADeadChannelStillReleases() {
        VrrpInstance master = start(TestConfigs.v2(255));
        actions.channelWorks = false;
        actions.clear();
        master.setConditions(false, false);
        assertThat(actions.sent).isEmpty();
        assertThat(actions.texts()).doesNotContain("(VI_1) sent 0 priority");
        assertThat(actions.held).isEmpty();
    }

    @Test
    void faultIgnoresAdverts() {
        VrrpInstance instance = new VrrpInstance(TestConfigs.v2(100).build(), loop, actions);
        instance.start(false);
        advert(instance, 0, 100, HIGHER_IP);
        loop.advance(5_000_000);
        assertThat(instance.state()).isEqualTo(InstanceState.FAULT);
    }

    @Test
    void priorityAdjustmentIsClampedAndLogged() {
        VrrpInstance instance = start(TestConfigs.v2(150));
        actions.clear();
        instance.setPriorityAdjustment(-60);
        assertThat(instance.ownPriority()).isEqualTo(90);
        assertThat(actions.texts()).containsExactly("(VI_1) Changing effective priority from 150 to 90");

        instance.setPriorityAdjustment(+200);
        assertThat(instance.ownPriority()).isEqualTo(254);
        instance.setPriorityAdjustment(-500);
        assertThat(instance.ownPriority()).isEqualTo(1);
        assertThat(instance.masterDownMicros()).isEqualTo(3_000_000 + 255L * 1_000_000 / 256);
    }

    @Test
    void ownerPriorityNeverChanges() {
        VrrpInstance owner = start(TestConfigs.v2(255));
        actions.clear();
        owner.setPriorityAdjustment(-100);
        assertThat(owner.ownPriority()).isEqualTo(255);
        assertThat(actions.lines).isEmpty();
    }

    @Test
    void masterAdvertisesItsEffectivePriority() {
        VrrpInstance master = start(TestConfigs.v2(150));
        loop.advanceTo(master.masterDownDeadline());
        master.setPriorityAdjustment(-60);
        actions.clear();
        loop.advance(1_000_000);
        assertThat(actions.sent).extracting(RecordingActions.Sent::priority).containsExactly(90);
    }

    @Test
    void aLateTimerIsCountedAndLoggedAndTheRateKeepsItsPhase() {
        VrrpInstance owner = start(TestConfigs.v2(255));
        actions.clear();
        loop.stall(1_500_000); // the thread was stuck: the 1 s advert fires 0.5 s late

        assertThat(owner.counters.lateTimers).isEqualTo(1);
        assertThat(actions.texts()).containsExactly("A thread timer expired 0.500 seconds ago");
        loop.advanceTo(3_000_000);
        assertThat(actions.sendTimes()).containsExactly(1_500_000L, 2_000_000L, 3_000_000L);
    }

    @Test
    void theDiscardLineIsRateLimited() {
        VrrpInstance backup = start(TestConfigs.v2(150));
        actions.clear();
        for (int i = 0; i < 5; i++) {
            advert(backup, 100, 100, HIGHER_IP);
        }
        assertThat(actions.texts()).containsExactly(
                "(VI_1) received lower priority (100) advert from 192.0.2.12 - discarding");
    }

    @Test
    void theRateLimiterCountsWhatItSwallowed() {
        RateLimiter limiter = new RateLimiter(10_000_000);
        assertThat(limiter.admit("k", 0)).isZero();
        assertThat(limiter.admit("k", 1)).isEqualTo(-1);
        assertThat(limiter.admit("other", 2)).isZero();
        assertThat(limiter.admit("k", 2)).isEqualTo(-1);
        assertThat(limiter.admit("k", 10_000_000)).isEqualTo(2);
        assertThat(limiter.admit("k", 10_000_001)).isEqualTo(-1);
    }

    @Test
    void aReconfiguredPriorityAppliesSilentlyAndKeepsTheState() {
        VrrpInstance master = start(TestConfigs.v2(150));
        loop.advanceTo(master.masterDownDeadline());
        actions.clear();
        master.reconfigure(TestConfigs.v2(120).build());
        assertThat(master.state()).isEqualTo(InstanceState.MASTER);
        assertThat(master.ownPriority()).isEqualTo(120);
        assertThat(actions.lines).isEmpty();
        loop.advance(1_000_000);
        assertThat(actions.sent).extracting(RecordingActions.Sent::priority).containsExactly(120);
    }
}
