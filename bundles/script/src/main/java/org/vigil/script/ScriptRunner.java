package org.vigil.script;

import java.io.File;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Runs script processes the way keepalived does, without ever holding up the caller: {@link #run}
 * only queues and returns; the process is started on the runner's thread, its exit is noticed by
 * the JDK's process reaper, and its timeout is a timer. So the election thread, or any caller,
 * never waits for a fork, an exec or a script.
 *
 * <p>Each process: the argument vector is exec'd directly, never through a shell (a program
 * without a {@code #!} line is run by {@code /bin/sh}, as execvp does, where keepalived 2.2.7 runs
 * nothing and reports success); stdin is
 * /dev/null and stdout/stderr are discarded, so a chatty script never blocks on a full pipe
 * (keepalived sends them to /dev/null too). The user and group are part of the argument vector
 * ({@link ScriptSecurity.Decision#argv}). The process never inherits Vigil's capabilities: when the
 * JVM holds ambient ones (Vigil as an unprivileged user with CAP_NET_RAW and CAP_NET_ADMIN), it is
 * started through {@code setpriv --ambient-caps=-all} ({@link InheritedCapabilities}). At its timeout the process and all its descendants get
 * SIGTERM, and SIGKILL after {@link #KILL_GRACE} if still alive; the run then reports
 * {@link ScriptResult.Status#TIMED_OUT}. A process ended by a signal reports the signal (the JDK
 * gives such a process the exit value 128 + N, so a script that itself exits with 129..192 is
 * reported as signalled too).
 *
 * <p>At most {@code maxRunning} processes run at once; further runs wait, at most
 * {@code maxWaiting} of them; beyond that a run is {@link ScriptResult.Status#REJECTED} at once.
 */
public final class ScriptRunner implements AutoCloseable {

    /** Time between SIGTERM and SIGKILL for a process past its timeout or killed. */
    public static final Duration KILL_GRACE = Duration.ofSeconds(1);
    /** The JDK reports a child ended by signal N as exit value 128 + N. */
    private static final int SIGNAL_BASE = 128;
    private static final int MAX_SIGNAL = 64;

    private final ScheduledExecutorService executor;
    private final boolean ownExecutor;
    private final int maxRunning;
    private final int maxWaiting;
    /** Whether children must be started without the capabilities they would inherit. */
    private final boolean clearCapabilities;

    // guarded by this
    private int running;
    private final Deque<Job> waiting = new ArrayDeque<>();
    private final List<Job> active = new ArrayList<>();
    private boolean shutdown;

    /**
     * A runner with its own daemon thread named {@code threadName}.
     *
     * @param maxRunning processes running at once
     * @param maxWaiting runs waiting for a free slot; more are rejected
     */
    public ScriptRunner(String threadName, int maxRunning, int maxWaiting) {
        this(ownExecutor(threadName), true, maxRunning, maxWaiting);
    }

    /**
     * A runner that starts processes and runs timers on {@code executor}, which the caller owns
     * (it is not shut down with the runner) and must not be the caller's own latency-bound thread.
     */
    public ScriptRunner(ScheduledExecutorService executor, int maxRunning, int maxWaiting) {
        this(executor, false, maxRunning, maxWaiting);
    }

    private ScriptRunner(ScheduledExecutorService executor, boolean own, int maxRunning, int maxWaiting) {
        this(executor, own, maxRunning, maxWaiting, InheritedCapabilities.heldByThisProcess());
    }

    /** {@code clearCapabilities}: whether to start children through setpriv without capabilities (tests). */
    ScriptRunner(ScheduledExecutorService executor, boolean own, int maxRunning, int maxWaiting,
            boolean clearCapabilities) {
        if (maxRunning < 1 || maxWaiting < 0) {
            throw new IllegalArgumentException("maxRunning must be >= 1 and maxWaiting >= 0");
        }
        this.executor = executor;
        this.ownExecutor = own;
        this.maxRunning = maxRunning;
        this.maxWaiting = maxWaiting;
        this.clearCapabilities = clearCapabilities;
    }

    static ScheduledExecutorService ownExecutor(String name) {
        AtomicInteger n = new AtomicInteger();
        ScheduledThreadPoolExecutor e = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, n.getAndIncrement() == 0 ? name : name + "-" + n.get());
            t.setDaemon(true);
            return t;
        });
        e.setRemoveOnCancelPolicy(true);
        return e;
    }

    /** Runs {@code argv} (program first) with the given timeout. Returns at once. */
    public ScriptRun run(List<String> argv, Duration timeout) {
        List<String> copy = List.copyOf(argv);
        return run(() -> copy, timeout);
    }

    /**
     * Runs the argument vector that {@code argv} returns; {@code argv} is called on the runner's
     * thread (so it may look up users or check files) and may return null (or an empty list) to
     * not run at all ({@link ScriptResult.Status#NOT_STARTED}). Returns at once.
     */
    public ScriptRun run(Supplier<List<String>> argv, Duration timeout) {
        Job job = new Job(argv, timeout.toMillis());
        boolean start = false;
        synchronized (this) {
            if (shutdown) {
                job.result.complete(ScriptResult.rejected("script runner shut down"));
                return job;
            }
            if (running < maxRunning) {
                running++;
                active.add(job);
                start = true;
            } else if (waiting.size() < maxWaiting) {
                waiting.add(job);
            } else {
                job.result.complete(ScriptResult.rejected("script queue full"));
                return job;
            }
        }
        if (start) {
            dispatch(job);
        }
        return job;
    }

    private void dispatch(Job job) {
        try {
            executor.execute(() -> start(job));
        } catch (RejectedExecutionException e) {
            finish(job, ScriptResult.rejected("script runner shut down"));
        }
    }

    private void start(Job job) {
        if (job.killed) {
            finish(job, ScriptResult.notStarted("cancelled"));
            return;
        }
        List<String> argv;
        try {
            argv = job.argv.get();
        } catch (RuntimeException e) {
            finish(job, ScriptResult.notStarted(String.valueOf(e.getMessage())));
            return;
        }
        if (argv == null || argv.isEmpty()) {
            finish(job, ScriptResult.notStarted("not run"));
            return;
        }
        if (clearCapabilities) {
            argv = InheritedCapabilities.cleared(argv);
        }
        Process process;
        try {
            process = new ProcessBuilder(argv).redirectInput(new File("/dev/null"))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
        } catch (IOException | RuntimeException e) {
            finish(job, ScriptResult.notStarted(String.valueOf(e.getMessage())));
            return;
        }
        job.started = System.nanoTime();
        job.process = process;
        try {
            job.timer = executor.schedule(() -> {
                if (process.isAlive()) {
                    job.timedOut = true;
                    terminate(job);
                }
            }, job.timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // the owner shut the executor down: no timer, the process still ends the run
        }
        if (job.killed) {
            terminate(job);
        }
        process.onExit().whenComplete((p, error) -> exited(job));
    }

    private void exited(Job job) {
        ScheduledFuture<?> timer = job.timer;
        if (timer != null) {
            timer.cancel(false);
        }
        long millis = (System.nanoTime() - job.started) / 1_000_000;
        int value = job.process.exitValue();
        ScriptResult result = job.timedOut ? ScriptResult.timedOut(millis)
                : value > SIGNAL_BASE && value <= SIGNAL_BASE + MAX_SIGNAL
                        ? ScriptResult.signalled(value - SIGNAL_BASE, millis)
                        : ScriptResult.exited(value, millis);
        finish(job, result);
    }

    /** Frees the job's slot, starts the next waiting run, then reports. */
    private void finish(Job job, ScriptResult result) {
        Job next = null;
        boolean idle;
        synchronized (this) {
            if (active.remove(job)) {
                running--;
                next = waiting.poll();
                if (next != null) {
                    running++;
                    active.add(next);
                }
            } else {
                waiting.remove(job);
            }
            idle = running == 0 && waiting.isEmpty();
            if (idle) {
                notifyAll();
            }
        }
        if (next != null) {
            dispatch(next);
        }
        if (idle && shutdownRequested() && ownExecutor) {
            executor.shutdown(); // delayed SIGKILLs still run after shutdown
        }
        job.result.complete(result);
    }

    private synchronized boolean shutdownRequested() {
        return shutdown;
    }

    /** SIGTERM to the process and its descendants now, SIGKILL to whatever is left after the grace. */
    private void terminate(Job job) {
        Process p = job.process;
        if (p == null) {
            return;
        }
        // collected before the parent dies and its children are re-parented
        List<ProcessHandle> tree = new ArrayList<>(p.descendants().toList());
        p.destroy();
        tree.forEach(ProcessHandle::destroy);
        Runnable kill = () -> {
            List<ProcessHandle> all = new ArrayList<>(tree);
            if (p.isAlive()) {
                all.addAll(p.descendants().toList());
                p.destroyForcibly();
            }
            all.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
        };
        try {
            executor.schedule(kill, KILL_GRACE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            kill.run();
        }
    }

    /**
     * Accepts no more runs; queued and running ones go on, each bounded by its timeout. The
     * runner's own thread ends when the last one is done.
     */
    public void shutdown() {
        boolean idle;
        synchronized (this) {
            shutdown = true;
            idle = running == 0 && waiting.isEmpty();
        }
        if (idle && ownExecutor) {
            executor.shutdown();
        }
    }

    /** Waits until no run is queued or running; true if that happened within {@code timeout}. */
    public boolean awaitIdle(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (this) {
            while (running > 0 || !waiting.isEmpty()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
            return true;
        }
    }

    /** {@link #shutdown}, then stops every run: waiting ones never start, running ones are killed. */
    @Override
    public void close() {
        List<Job> all;
        synchronized (this) {
            shutdown = true;
            all = new ArrayList<>(active);
            all.addAll(waiting);
        }
        all.forEach(Job::kill);
        shutdown();
    }

    private final class Job implements ScriptRun {
        final Supplier<List<String>> argv;
        final long timeoutMillis;
        final CompletableFuture<ScriptResult> result = new CompletableFuture<>();
        volatile Process process;
        volatile ScheduledFuture<?> timer;
        volatile boolean timedOut;
        volatile boolean killed;
        long started;

        Job(Supplier<List<String>> argv, long timeoutMillis) {
            this.argv = argv;
            this.timeoutMillis = Math.max(1, timeoutMillis);
        }

        @Override
        public CompletionStage<ScriptResult> result() {
            return result.minimalCompletionStage();
        }

        @Override
        public void kill() {
            killed = true;
            boolean wasWaiting;
            synchronized (ScriptRunner.this) {
                wasWaiting = waiting.remove(this);
            }
            if (wasWaiting) {
                finish(this, ScriptResult.notStarted("cancelled"));
            } else if (process != null && process.isAlive()) {
                terminate(this);
            }
        }
    }
}
