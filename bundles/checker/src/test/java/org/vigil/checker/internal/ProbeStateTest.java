package org.vigil.checker.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.vigil.checker.internal.ProbeState.Change;

/** keepalived's verdict rules, without time. */
class ProbeStateTest {
    static final Schedule S = new Schedule(10, 2, 1, 0, 5);

    @Test
    void anUpServerSurvivesRetryFailuresRetriedAtDelayBeforeRetry() {
        ProbeState p = new ProbeState(S, true);
        assertThat(p.record(false)).isEqualTo(Change.NONE);
        assertThat(p.nextDelay()).isEqualTo(1);
        assertThat(p.record(false)).isEqualTo(Change.NONE);
        assertThat(p.nextDelay()).isEqualTo(1);
        assertThat(p.record(false)).isEqualTo(Change.DOWN);
        assertThat(p.nextDelay()).isEqualTo(10);
        assertThat(p.record(false)).isEqualTo(Change.NONE);
        assertThat(p.failures()).isEqualTo(4);
        assertThat(p.record(true)).isEqualTo(Change.UP);
        assertThat(p.failures()).isZero();
        assertThat(p.nextDelay()).isEqualTo(10);
    }

    @Test
    void aSuccessBetweenFailuresStartsTheCountAgain() {
        ProbeState p = new ProbeState(S, true);
        p.record(false);
        p.record(false);
        assertThat(p.record(true)).isEqualTo(Change.NONE);
        p.record(false);
        p.record(false);
        assertThat(p.up()).isTrue();
        assertThat(p.record(false)).isEqualTo(Change.DOWN);
    }

    @Test
    void retryZeroGoesDownAtTheFirstFailure() {
        ProbeState p = new ProbeState(new Schedule(10, 0, 1, 0, 5), true);
        assertThat(p.record(false)).isEqualTo(Change.DOWN);
    }

    @Test
    void anAlphaStartIsRetriedThenConfirmedDownWithoutAPoolChange() {
        ProbeState p = new ProbeState(S, false);
        assertThat(p.record(false)).isEqualTo(Change.NONE);
        assertThat(p.nextDelay()).isEqualTo(1);
        p.record(false);
        assertThat(p.record(false)).isEqualTo(Change.CONFIRMED_DOWN);
        assertThat(p.nextDelay()).isEqualTo(10);
        assertThat(p.record(false)).isEqualTo(Change.NONE);
        assertThat(p.record(true)).isEqualTo(Change.UP);
    }
}
