package org.vigil.notify.script.internal;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs notify scripts on its own small pool, so that the caller (the core's notification thread)
 * only queues work. A script that outlives its timeout is killed (TERM, then KILL after a grace
 * period); a full queue drops the newest script with a log line rather than block.
 */
final class ScriptRunner implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ScriptRunner.class);
    private static final long KILL_GRACE_MS = 1000;

    private final ThreadPoolExecutor pool;
    private final long timeoutMs;

    ScriptRunner(int threads, int queueSize, long timeoutMs) {
        this.timeoutMs = timeoutMs;
        AtomicInteger n = new AtomicInteger();
        this.pool = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(queueSize),
                r -> {
                    Thread t = new Thread(r, "vigil-notify-script-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        pool.allowCoreThreadTimeOut(true);
    }

    /**
     * Queues the script; returns at once. {@code argv} is computed on the pool (it may look up
     * users and check files) and returns null when the script must not run.
     */
    void submit(String label, Supplier<List<String>> argv) {
        try {
            pool.execute(() -> {
                List<String> command = argv.get();
                if (command != null) {
                    run(label, command);
                }
            });
        } catch (RejectedExecutionException e) {
            LOG.warn("Notify queue full, not running the {} script", label);
        }
    }

    private void run(String label, List<String> argv) {
        Process p;
        try {
            // keepalived discards notify script output; so do we, so a chatty script never blocks on a pipe.
            p = new ProcessBuilder(argv).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
        } catch (IOException e) {
            LOG.warn("Cannot run {} script {}: {}", label, argv, e.getMessage());
            return;
        }
        try {
            if (!p.waitFor(timeoutMs, TimeUnit.MILLISECONDS)) {
                LOG.warn("{} script {} timed out after {} ms, killing it", label, argv, timeoutMs);
                p.descendants().forEach(ProcessHandle::destroy);
                p.destroy();
                if (!p.waitFor(KILL_GRACE_MS, TimeUnit.MILLISECONDS)) {
                    p.descendants().forEach(ProcessHandle::destroyForcibly);
                    p.destroyForcibly();
                }
                return;
            }
            if (p.exitValue() != 0) {
                LOG.info("{} script {} exited with status {}", label, argv, p.exitValue());
            } else {
                LOG.debug("{} script {} succeeded", label, argv);
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        // Queued and running scripts still run, each bounded by its timeout.
        pool.shutdown();
    }

    /** Closes and waits up to {@code ms} for queued scripts (notify_stop at shutdown), then kills the rest. */
    void drain(long ms) {
        pool.shutdown();
        try {
            if (!pool.awaitTermination(ms, TimeUnit.MILLISECONDS)) {
                LOG.warn("Notify scripts still running at shutdown, killing them");
                pool.shutdownNow();
            }
        } catch (InterruptedException e) {
            pool.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
