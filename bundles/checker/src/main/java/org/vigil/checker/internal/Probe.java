package org.vigil.checker.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Future;

import org.vigil.api.check.CheckResult;
import org.vigil.api.check.CheckSpec;
import org.vigil.api.check.CheckType;
import org.vigil.api.check.HealthCheck;

/** One shared check and its verdict; owned by the engine's loop. */
final class Probe {

    enum Status {
        /** No service of its type is installed yet. */
        WAITING,
        /** The type is preparing it (on a worker). */
        PREPARING,
        /** Scheduled and checking. */
        ACTIVE,
        /** Its type went away: not checked, its verdict kept, the pool untouched. */
        MISSING,
        /** Its type (or the block) refused the configuration. */
        INVALID
    }

    /** One attempt in flight. Fields written by a worker are volatile; the rest belong to the loop. */
    static final class Attempt {
        final long started;
        volatile CompletionStage<CheckResult> stage;
        volatile Future<?> submission;
        volatile boolean abandoned;
        /** Set when a worker took the attempt up: one still queued at its deadline was never run. */
        volatile boolean running;
        /** Set when the type's attempt() returned (or threw): a worker still inside it after an interrupt is lost. */
        volatile boolean returned;
        Loop.Timer timeout;

        Attempt(long started) {
            this.started = started;
        }

        /** Cancels the stage if there is one; a stage set later is cancelled by the worker. */
        void abandon() {
            abandoned = true;
            if (timeout != null) {
                timeout.cancel();
            }
            CompletionStage<CheckResult> s = stage;
            if (s != null) {
                cancel(s);
            }
        }

        static void cancel(CompletionStage<CheckResult> s) {
            try {
                s.toCompletableFuture().cancel(true);
            } catch (RuntimeException e) {
                // a stage without a CompletableFuture view: it ends on its own, its result is ignored
            }
        }
    }

    final ProbeKey key;
    final CheckSpec spec;
    final ProbeState state;
    final List<RealServer> members = new ArrayList<>();

    Status status = Status.WAITING;
    CheckType preparedBy;
    HealthCheck check;
    String logName;
    /** Bumped whenever the probe is stopped or re-prepared: late callbacks of an older round are dropped. */
    long generation;
    Loop.Timer timer;
    Loop.Timer linger;
    Attempt attempt;
    int attemptsSinceVerdict;
    String lastLine = "";
    long lastLatencyNanos = -1;
    long lastResultMillis;

    Probe(ProbeKey key, CheckSpec spec, ProbeState state) {
        this.key = key;
        this.spec = spec;
        this.state = state;
        this.logName = key.type();
    }

    String realServerText() {
        return spec.realServerText();
    }
}
