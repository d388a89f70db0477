package org.vigil.core.internal;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import org.vigil.script.ScriptRun;
import org.vigil.script.ScriptRunner;

/**
 * Runs one vrrp_script every interval through the shared {@link ScriptRunner} (org.vigil.script:
 * no shell, the decided user, stdin /dev/null, output discarded, SIGTERM then SIGKILL to the
 * process tree at the timeout), never on the election thread: the tick is a timer on the
 * scripts executor and the runner only queues. A run still going when the next is due is
 * skipped (keepalived: "expect idle - skipping run"). Outcomes go to {@code onOutcome}.
 */
final class ScriptSchedule implements AutoCloseable {
    /** The shell's status for "command not found / cannot execute". */
    static final int EXEC_FAILED = 127;

    private final ScriptSpec spec;
    private final List<String> argv;
    private final ScheduledExecutorService executor;
    private final ScriptRunner runner;
    private final Consumer<ScriptState.Outcome> onOutcome;
    private final Consumer<String> log;
    private final AtomicBoolean running = new AtomicBoolean();
    private volatile boolean closed;
    private volatile ScriptRun current;
    private ScheduledFuture<?> schedule;

    ScriptSchedule(ScriptSpec spec, List<String> argv, ScheduledExecutorService executor, ScriptRunner runner,
            Consumer<ScriptState.Outcome> onOutcome, Consumer<String> log) {
        this.spec = spec;
        this.argv = List.copyOf(argv);
        this.executor = executor;
        this.runner = runner;
        this.onOutcome = onOutcome;
        this.log = log;
    }

    void start() {
        schedule = executor.scheduleAtFixedRate(this::launch, 0, spec.intervalMillis(), TimeUnit.MILLISECONDS);
    }

    private void launch() {
        if (closed) {
            return;
        }
        if (!running.compareAndSet(false, true)) {
            log.accept("Track script " + spec.name() + " is already running, expect idle - skipping run");
            return;
        }
        ScriptRun run = runner.run(argv, Duration.ofMillis(spec.timeoutMillis()));
        current = run;
        run.result().whenComplete((result, error) -> {
            current = null;
            running.set(false);
            if (closed || result == null) {
                return;
            }
            ScriptState.Outcome outcome = switch (result.status()) {
                case EXITED -> ScriptState.Outcome.exited(result.code());
                case SIGNALLED -> ScriptState.Outcome.signalled(result.code());
                case TIMED_OUT -> ScriptState.Outcome.timedOut();
                case NOT_STARTED, REJECTED -> {
                    log.accept("Error exec-ing command '" + argv.get(0) + "': " + result.message());
                    yield ScriptState.Outcome.exited(EXEC_FAILED);
                }
            };
            onOutcome.accept(outcome);
        });
    }

    @Override
    public void close() {
        closed = true;
        if (schedule != null) {
            schedule.cancel(false);
        }
        ScriptRun run = current;
        if (run != null) {
            run.kill();
        }
    }
}
