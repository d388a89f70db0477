package org.vigil.driver.linux.internal;

import java.io.IOException;

import org.osgi.service.component.annotations.Component;
import org.vigil.api.system.ProcessTuning;
import org.vigil.libc.Libc;

/**
 * {@link ProcessTuning} through libc (the native bundle's): sched_setscheduler, setpriority, mlockall and
 * setrlimit. On Linux a thread is a task, so pid 0 in sched_setscheduler and setpriority means
 * the calling thread only, not the whole JVM.
 */
@Component(service = ProcessTuning.class)
public final class LinuxProcessTuning implements ProcessTuning {
    private static final int SCHED_RR = 2;
    private static final int PRIO_PROCESS = 0;
    private static final int MCL_CURRENT = 1;
    private static final int MCL_FUTURE = 2;
    /**
     * Lock pages as they are touched instead of faulting in every reservation at once: the JVM
     * reserves far more address space (heap, code cache) than it uses.
     */
    private static final int MCL_ONFAULT = 4;
    private static final int RLIMIT_RTTIME = 15;

    @Override
    public void realtimeCurrentThread(int priority) throws IOException {
        Libc.check(Libc.schedSetScheduler(0, SCHED_RR, priority), "sched_setscheduler(SCHED_RR, " + priority + ")");
    }

    /**
     * Every receive thread of the Linux driver takes it on at its next wake-up, and new ones at
     * their start. The JVM's own threads that can stop the election thread go realtime too: the
     * VM thread (it runs every safepoint, and the serial collector's collections) and the GC
     * worker threads. Left at normal priority beside a CPU hog, they made a realtime election
     * thread wait tens of milliseconds at a safepoint (the soak benchmark's loaded phase).
     */
    @Override
    public void realtimeIoThreads(int priority) {
        ReceivePriority.set(priority);
        forJvmThreadsThatStopTheWorld((comm, tid) -> {
            if (Libc.schedSetScheduler(tid, SCHED_RR, priority) < 0) {
                org.slf4j.LoggerFactory.getLogger(LinuxProcessTuning.class).warn(
                        "cannot set the JVM's {} to realtime priority {}: {}", comm, priority,
                        Libc.failure("sched_setscheduler").getMessage());
            }
        });
    }

    /** The receive threads and the JVM's VM and GC threads, as for {@link #realtimeIoThreads}. */
    @Override
    public void niceIoThreads(int niceness) {
        ReceivePriority.setNice(niceness);
        forJvmThreadsThatStopTheWorld((comm, tid) -> {
            if (Libc.setPriority(PRIO_PROCESS, tid, niceness) < 0) {
                org.slf4j.LoggerFactory.getLogger(LinuxProcessTuning.class).debug(
                        "cannot set the JVM's {} to nice {}: {}", comm, niceness,
                        Libc.failure("setpriority").getMessage());
            }
        });
    }

    /** The VM thread (every safepoint, the serial collector's collections) and the GC workers. */
    private static void forJvmThreadsThatStopTheWorld(java.util.function.ObjIntConsumer<String> byTid) {
        try (var tasks = java.nio.file.Files.list(java.nio.file.Path.of("/proc/self/task"))) {
            for (java.nio.file.Path task : tasks.toList()) {
                String comm;
                try {
                    comm = java.nio.file.Files.readString(task.resolve("comm")).trim();
                } catch (IOException gone) {
                    continue; // the thread ended meanwhile
                }
                if (comm.equals("VM Thread") || comm.startsWith("GC Thread") || comm.startsWith("G1 ")) {
                    byTid.accept(comm, Integer.parseInt(task.getFileName().toString()));
                }
            }
        } catch (IOException | RuntimeException e) {
            org.slf4j.LoggerFactory.getLogger(LinuxProcessTuning.class).warn(
                    "cannot list the JVM's threads to set their priority: {}", e.toString());
        }
    }

    @Override
    public void niceCurrentThread(int niceness) throws IOException {
        Libc.check(Libc.setPriority(PRIO_PROCESS, 0, niceness), "setpriority(" + niceness + ")");
    }

    @Override
    public void lockMemory() throws IOException {
        Libc.check(Libc.mlockall(MCL_CURRENT | MCL_FUTURE | MCL_ONFAULT), "mlockall");
    }

    @Override
    public void limitRealtimeMicros(long micros) throws IOException {
        Libc.check(Libc.setRlimit(RLIMIT_RTTIME, micros, micros), "setrlimit(RLIMIT_RTTIME, " + micros + ")");
    }
}
