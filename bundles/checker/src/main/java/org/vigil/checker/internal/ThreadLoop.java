package org.vigil.checker.internal;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's thread: one scheduler thread, tasks guarded so a bug costs a log line, not the loop.
 * The thread runs while something is scheduled (every check re-arms a timer), so a checker with no
 * virtual server has none.
 */
final class ThreadLoop implements Loop {
    private static final Logger LOG = LoggerFactory.getLogger(ThreadLoop.class);

    private final ScheduledThreadPoolExecutor executor;

    ThreadLoop(String name, long idleSeconds) {
        executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
        // 10,000 checks re-arm a timer each round: cancelled timers must not pile up in the queue
        executor.setRemoveOnCancelPolicy(true);
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        // with no virtual server nothing is scheduled and the thread ends; the next task starts it again
        executor.setKeepAliveTime(idleSeconds, TimeUnit.SECONDS);
        executor.allowCoreThreadTimeOut(true);
    }

    @Override
    public long nanoTime() {
        return System.nanoTime();
    }

    @Override
    public Timer schedule(long delayNanos, Runnable task) {
        if (executor.isShutdown()) {
            return () -> { };
        }
        ScheduledFuture<?> f = executor.schedule(guarded(task), Math.max(0, delayNanos), TimeUnit.NANOSECONDS);
        return () -> f.cancel(false);
    }

    @Override
    public void execute(Runnable task) {
        if (!executor.isShutdown()) {
            executor.execute(guarded(task));
        }
    }


    void shutdown(long waitMs) {
        executor.shutdown();
        try {
            executor.awaitTermination(waitMs, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        executor.shutdownNow();
    }

    private static Runnable guarded(Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (RuntimeException | Error e) {
                LOG.error("Health checker task failed (checks go on)", e);
            }
        };
    }
}
