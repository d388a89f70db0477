package org.vigil.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.vigil.core.internal.TestConfigs.ip;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.vigil.api.vrrp.InstanceState;
import org.vigil.api.vrrp.PriorityEvent;
import org.vigil.api.vrrp.TransitionEvent;
import org.vigil.auth.internal.NoneAuthenticator;
import org.vigil.auth.internal.PassAuthenticator;
import org.vigil.codec.ChecksumForm;
import org.vigil.codec.VrrpCodec;

/**
 * The events behind keepalived's notifications that are not plain transitions: a deletion at
 * reload, a sync group stopping, a master hearing a lower priority, priority changes. Virtual time.
 */
class NotificationEventsTest {
    private final ManualLoop loop = new ManualLoop();
    private final FakeLan lan = new FakeLan(loop::nowMicros);
    private final Notifier notifier = new Notifier();
    private final List<TransitionEvent> events = new CopyOnWriteArrayList<>();
    private final List<PriorityEvent> priorities = new CopyOnWriteArrayList<>();
    private final ElectionEngine engine = new ElectionEngine(loop, (line, detail) -> { }, notifier, 1_000);

    NotificationEventsTest() {
        engine.listenerAdded(events::add);
        engine.priorityListenerAdded(priorities::add);
        engine.driverBound(lan.host("r1", "192.0.2.11"));
        engine.authenticatorAdded(new NoneAuthenticator());
        engine.authenticatorAdded(new PassAuthenticator());
        loop.runPending();
    }

    @AfterEach
    void close() {
        notifier.close(1_000);
    }

    @Test
    void aReloadDeletionIsAFaultMarkedDeletedAndNoStop() {
        engine.addInstance(TestConfigs.v2(150).pass("lab51pw").build());
        loop.advance(5_000_000);
        engine.removeInstance("VI_1", true);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(events)
                .extracting(TransitionEvent::to, TransitionEvent::stopping, TransitionEvent::deleted)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(InstanceState.BACKUP, false, false),
                        org.assertj.core.groups.Tuple.tuple(InstanceState.MASTER, false, false),
                        org.assertj.core.groups.Tuple.tuple(InstanceState.FAULT, false, true)));
        assertThat(lan.framesFrom("r1").get(lan.framesFrom("r1").size() - 1).priority())
                .as("a deleted master still sends priority 0").isZero();
    }

    @Test
    void aSyncGroupReportsItsStopWhenItsLastMemberStops() {
        engine.addInstance(TestConfigs.v2(150).pass("lab51pw").build());
        engine.addInstance(TestConfigs.v2(150).pass("lab51pw").name("VI_2").vrid(52).build());
        engine.addSyncGroup("G1", List.of("VI_1", "VI_2"), false, Tracks.NONE);
        loop.advance(5_000_000);
        engine.removeInstance("VI_1");
        engine.removeInstance("VI_2");
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(events)
                .filteredOn(e -> e.kind() == TransitionEvent.Kind.GROUP)
                .extracting(TransitionEvent::to, TransitionEvent::stopping)
                .endsWith(org.assertj.core.groups.Tuple.tuple(InstanceState.MASTER, false),
                        org.assertj.core.groups.Tuple.tuple(InstanceState.INIT, true)));
    }

    @Test
    void aMasterHearingALowerPriorityAndAPriorityChangeAreReported() {
        engine.addInstance(TestConfigs.v2(150).pass("lab51pw").build());
        loop.advance(5_000_000);
        byte[] out = new byte[VrrpCodec.MAX_LENGTH];
        int len = VrrpCodec.encode(2, 51, 100, 100, 1, java.util.Arrays.copyOf("lab51pw".getBytes(StandardCharsets.UTF_8), 8),
                ip("192.0.2.249").getAddress(), false, ChecksumForm.V2, ip("192.0.2.13").getAddress(),
                VrrpCodec.IPV4_MULTICAST_GROUP.getAddress(), out, 0);
        lan.inject(ip("192.0.2.13"), VrrpCodec.IPV4_MULTICAST_GROUP, java.util.Arrays.copyOf(out, len), 255);
        loop.runPending();
        engine.setPriorityAdjustment("VI_1", -20);
        loop.runPending();
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(priorities)
                .extracting(PriorityEvent::kind, PriorityEvent::effectivePriority)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(PriorityEvent.Kind.MASTER_RX_LOWER_PRI, 150),
                        org.assertj.core.groups.Tuple.tuple(PriorityEvent.Kind.MASTER_PRIORITY, 130)));
    }
}
