package org.vigil.core.internal;

import java.io.File;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Runs one vrrp_script every interval on the scripts executor, never on the election thread:
 * the process is started there, its exit is awaited by the JDK's process reaper, and a timer on
 * the same executor kills the whole process tree when the timeout passes. Output is discarded
 * and stdin is /dev/null, as keepalived does. A run still going when the next is due is
 * skipped (keepalived: "expect idle - skipping run"). Outcomes go to {@code onOutcome}.
 */
final class ScriptRunner implements AutoCloseable {
    /** Java reports a child killed by signal N as exit value 128 + N. */
    private static final int SIGNAL_BASE = 128;
    private static final int MAX_SIGNAL = 64;
    /** The shell's status for "command not found / cannot execute". */
    static final int EXEC_FAILED = 127;

    private final ScriptSpec spec;
    private final List<String> argv;
    private final ScheduledExecutorService executor;
    private final Consumer<ScriptState.Outcome> onOutcome;
    private final Consumer<String> log;
    private final AtomicBoolean running = new AtomicBoolean();
    private volatile boolean closed;
    private volatile Process current;
    private ScheduledFuture<?> schedule;

    ScriptRunner(ScriptSpec spec, List<String> argv, ScheduledExecutorService executor,
            Consumer<ScriptState.Outcome> onOutcome, Consumer<String> log) {
        this.spec = spec;
        this.argv = List.copyOf(argv);
        this.executor = executor;
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
        Process process;
        try {
            process = new ProcessBuilder(argv).redirectInput(new File("/dev/null"))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
        } catch (IOException | RuntimeException e) {
            running.set(false);
            log.accept("Error exec-ing command '" + argv.get(0) + "': " + e.getMessage());
            onOutcome.accept(ScriptState.Outcome.exited(EXEC_FAILED));
            return;
        }
        current = process;
        AtomicBoolean timedOut = new AtomicBoolean();
        ScheduledFuture<?> killer = executor.schedule(() -> {
            if (process.isAlive()) {
                timedOut.set(true);
                killTree(process);
            }
        }, spec.timeoutMillis(), TimeUnit.MILLISECONDS);
        process.onExit().whenComplete((p, error) -> {
            killer.cancel(false);
            current = null;
            running.set(false);
            if (closed) {
                return;
            }
            int value = process.exitValue();
            ScriptState.Outcome outcome = timedOut.get() ? ScriptState.Outcome.timedOut()
                    : value > SIGNAL_BASE && value <= SIGNAL_BASE + MAX_SIGNAL
                            ? ScriptState.Outcome.signalled(value - SIGNAL_BASE)
                            : ScriptState.Outcome.exited(value);
            onOutcome.accept(outcome);
        });
    }

    /** Children first (collected before the parent dies and they are re-parented), then the script. */
    static void killTree(Process process) {
        List<ProcessHandle> descendants = process.descendants().toList();
        process.destroyForcibly();
        descendants.forEach(ProcessHandle::destroyForcibly);
    }

    @Override
    public void close() {
        closed = true;
        if (schedule != null) {
            schedule.cancel(false);
        }
        Process p = current;
        if (p != null) {
            killTree(p);
        }
    }
}
