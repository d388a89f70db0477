package org.vigil.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class ScriptStateTest {
    private final List<String> log = new ArrayList<>();

    private static ScriptSpec spec(int rise, int fall, boolean initFail) {
        return new ScriptSpec("chk", "/bin/true", 0, 0, 0, false, rise, fall, null, null, false, initFail);
    }

    @Test
    void defaultsAreKeepalivedsAndTimeoutFollowsTheInterval() {
        ScriptSpec s = new ScriptSpec("chk", "/bin/true", 0, 0, 0, false, 0, 0, null, null, false, false);
        assertThat(s.intervalMillis()).isEqualTo(1_000);
        assertThat(s.timeoutMillis()).isEqualTo(1_000);
        assertThat(s.rise()).isEqualTo(1);
        assertThat(s.fall()).isEqualTo(1);
    }

    @Test
    void fallFailuresMakeItBadAndRiseSuccessesGoodAgain() {
        ScriptState s = new ScriptState(spec(2, 3, false));
        assertThat(s.good()).isTrue();
        assertThat(s.apply(ScriptState.Outcome.exited(0), log::add)).isFalse();
        assertThat(s.apply(ScriptState.Outcome.exited(7), log::add)).isFalse();
        assertThat(s.apply(ScriptState.Outcome.exited(7), log::add)).isFalse();
        assertThat(s.apply(ScriptState.Outcome.exited(1), log::add)).isTrue();
        assertThat(s.good()).isFalse();
        assertThat(s.apply(ScriptState.Outcome.exited(0), log::add)).isFalse();
        assertThat(s.apply(ScriptState.Outcome.exited(1), log::add)).as("a failure restarts the rise").isFalse();
        assertThat(s.apply(ScriptState.Outcome.exited(0), log::add)).isFalse();
        assertThat(s.apply(ScriptState.Outcome.exited(0), log::add)).isTrue();
        assertThat(log).containsExactly("Script `chk` now returning 7", "Script `chk` now returning 1",
                "VRRP_Script(chk) failed (exited with status 1)", "Script `chk` now returning 0",
                "Script `chk` now returning 1", "Script `chk` now returning 0", "VRRP_Script(chk) succeeded");
    }

    @Test
    void theFirstFailureCountsAtOnceAndInitFailStartsBad() {
        ScriptState s = new ScriptState(spec(1, 3, false));
        assertThat(s.apply(ScriptState.Outcome.signalled(9), log::add)).isTrue();
        assertThat(log).containsExactly("VRRP_Script(chk) failed (due to signal 9)");

        ScriptState f = new ScriptState(spec(2, 2, true));
        assertThat(f.good()).isFalse();
        assertThat(f.apply(ScriptState.Outcome.exited(0), log::add)).isFalse();
        assertThat(f.apply(ScriptState.Outcome.exited(0), log::add)).isTrue();
    }

    @Test
    void aTimeoutIsAFailure() {
        ScriptState s = new ScriptState(spec(1, 1, false));
        s.apply(ScriptState.Outcome.exited(0), log::add);
        assertThat(s.apply(ScriptState.Outcome.timedOut(), log::add)).isTrue();
        assertThat(log).containsExactly("VRRP_Script(chk) timed_out");
    }
}
