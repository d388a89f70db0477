package org.vigil.core.internal;

import java.util.ArrayDeque;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The real {@link Loop}: one dedicated thread, a queue of posted tasks, a list of receive queues
 * with work, and the {@link TimerQueue} on {@link System#nanoTime()}. Due timers always run
 * first and are looked at again before each posted task and each receive batch, so a flood of
 * packets or a burst of management calls delays an advert by one batch at most.
 */
public final class ElectionLoop implements Loop {
    private static final Logger LOG = LoggerFactory.getLogger(ElectionLoop.class);
    /** Turns per call of {@link #turns}: enough for the JIT to compile it soon, few enough to return often. */
    static final int TURNS_PER_CALL = 16;

    /** Guards the two hand-over queues; held for a few instructions, never while waiting. */
    private final ReentrantLock lock = new ReentrantLock();
    /**
     * The loop thread parks itself (LockSupport) rather than waiting on a Condition: a Condition
     * wait allocates a node each time and re-takes the lock on wake-up, which at 510 adverts a
     * second was a measurable share of the loop's CPU. Producers unpark it only when it sleeps.
     */
    private volatile boolean sleeping;
    /** Guarded by lock; swapped with {@link #runningTasks} each turn. */
    private ArrayDeque<Runnable> posted = new ArrayDeque<>();
    private ArrayDeque<Runnable> runningTasks = new ArrayDeque<>();
    /** Guarded by lock; swapped with {@link #draining} each turn. */
    private ArrayDeque<ReceiveSource> readyQueues = new ArrayDeque<>();
    private ArrayDeque<ReceiveSource> draining = new ArrayDeque<>();
    /** Loop thread only. */
    private final TimerQueue timers = new TimerQueue();
    /** Loop thread only: {@link #afterDueTimers} work. */
    private final ArrayDeque<Runnable> afterTimers = new ArrayDeque<>();
    private final long originNanos = System.nanoTime();
    private final Thread thread;
    private volatile boolean running = true;

    public ElectionLoop(String threadName) {
        thread = new Thread(this::run, threadName);
        thread.setDaemon(true);
        // adverts must not wait behind checkers or notifiers sharing the JVM
        thread.setPriority(Thread.MAX_PRIORITY);
        thread.start();
    }

    @Override
    public long nowMicros() {
        return (System.nanoTime() - originNanos) / 1_000;
    }

    @Override
    public long receivedMicros(long nanoTime) {
        return Math.min(nowMicros(), (nanoTime - originNanos) / 1_000);
    }

    @Override
    public Timer timer(Runnable task) {
        return new LoopTimer(timers.newTimer(task));
    }

    @Override
    public void execute(Runnable task) {
        lock.lock();
        try {
            posted.add(task);
        } finally {
            lock.unlock();
        }
        wake();
    }

    @Override
    public void afterDueTimers(Runnable task) {
        if (!inLoop()) {
            throw new IllegalStateException("afterDueTimers is for the election thread");
        }
        afterTimers.add(task);
    }

    @Override
    public void ready(ReceiveSource queue) {
        lock.lock();
        try {
            readyQueues.add(queue);
        } finally {
            lock.unlock();
        }
        wake();
    }

    private void wake() {
        if (sleeping) {
            LockSupport.unpark(thread);
        }
    }

    @Override
    public boolean inLoop() {
        return Thread.currentThread() == thread;
    }

    @Override
    public boolean stopped() {
        return !thread.isAlive();
    }

    /** The election thread, for scheduling settings (vrrp_rt_priority). */
    Thread thread() {
        return thread;
    }

    /** Stops the thread after the task it is running; waits at most {@code timeoutMillis} (never on the loop itself). */
    public void stop(long timeoutMillis) {
        running = false;
        LockSupport.unpark(thread);
        if (!inLoop()) {
            try {
                thread.join(timeoutMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * The timer queue belongs to the loop thread; a timer armed or cancelled from elsewhere (a
     * test, a management call) is handed over through {@link #execute} instead of racing it.
     */
    private final class LoopTimer implements Timer {
        private final Timer inner;

        LoopTimer(Timer inner) {
            this.inner = inner;
        }

        @Override
        public void arm(long deadlineMicros) {
            arm(deadlineMicros, 0);
        }

        @Override
        public void arm(long deadlineMicros, long earlyMicros) {
            if (inLoop()) {
                inner.arm(deadlineMicros, earlyMicros);
            } else {
                execute(() -> inner.arm(deadlineMicros, earlyMicros));
            }
        }

        @Override
        public void cancel() {
            if (inLoop()) {
                inner.cancel();
            } else {
                execute(inner::cancel);
            }
        }

        @Override
        public boolean armed() {
            return inner.armed();
        }

        @Override
        public long deadlineMicros() {
            return inner.deadlineMicros();
        }
    }

    private void run() {
        while (running) {
            turns();
        }
    }

    /**
     * Up to {@link #TURNS_PER_CALL} turns. The loop in {@link #run} is entered once and runs in
     * the interpreter until on-stack replacement, which with C1 alone waits for 60,000 turns
     * (ten minutes at 0.01 s adverts); every turn it makes there costs interpreted bytecodes and
     * a call from the interpreter into compiled code (measured: a twelfth of the election
     * thread's CPU at 0.01 s, master or backup). This method returns now and then, so the JIT
     * compiles it after a couple of thousand turns, and the interpreter then runs one turn in 16.
     */
    private void turns() {
        for (int i = 0; i < TURNS_PER_CALL && running; i++) {
            turn();
        }
    }

    /** One turn of the loop: waits for work, then runs due timers, posted tasks and receive batches. */
    private void turn() {
        awaitWork();
        timers.wokeUp();
        runDueTimers();
        while (!runningTasks.isEmpty()) {
            runSafely(runningTasks.poll());
            runDueTimers();
        }
        ReceiveSource source;
        while ((source = draining.poll()) != null) {
            boolean more;
            try {
                more = source.drain(RECEIVE_BATCH);
            } catch (RuntimeException | Error e) {
                LOG.error("Election loop receive queue failed", e);
                more = false;
            }
            if (more) {
                ready(source);
            }
            runDueTimers();
        }
    }

    private void runDueTimers() {
        long now = nowMicros();
        Runnable task;
        while ((task = timers.pollDue(now)) != null) {
            runSafely(task);
            now = nowMicros();
        }
        while ((task = afterTimers.poll()) != null) {
            runSafely(task);
            // a timer that fell due meanwhile still goes before the rest of this work
            now = nowMicros();
            while ((task = timers.pollDue(now)) != null) {
                runSafely(task);
                now = nowMicros();
            }
        }
    }

    private static void runSafely(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException | Error e) {
            // one broken task must not stop every instance
            LOG.error("Election loop task failed", e);
        }
    }

    /** Sleeps until a task is posted, a queue has work or the first timer is due; then takes the work. */
    private void awaitWork() {
        while (running && !hasWork()) {
            long wait = timers.nextDeadline() - nowMicros();
            if (wait <= 0) {
                break;
            }
            sleeping = true;
            // re-check after announcing the sleep: a producer that added work before it saw the
            // flag has not unparked us, and its work must not wait for the next timer
            if (!hasWork()) {
                if (timers.isEmpty()) {
                    LockSupport.park(this);
                } else {
                    LockSupport.parkNanos(this, wait * 1_000);
                }
            }
            sleeping = false;
            if (Thread.interrupted()) {
                running = false;
            }
        }
        lock.lock();
        try {
            ArrayDeque<Runnable> tasks = posted;
            posted = runningTasks;
            runningTasks = tasks;
            ArrayDeque<ReceiveSource> queues = readyQueues;
            readyQueues = draining;
            draining = queues;
        } finally {
            lock.unlock();
        }
    }

    private boolean hasWork() {
        lock.lock();
        try {
            return !posted.isEmpty() || !readyQueues.isEmpty();
        } finally {
            lock.unlock();
        }
    }
}
