package org.vigil.driver.linux.internal;

import java.io.IOException;

import jnr.ffi.Pointer;

import org.osgi.service.component.annotations.Component;
import org.vigil.api.system.ProcessTuning;

/**
 * {@link ProcessTuning} through libc (jnr-ffi): sched_setscheduler, setpriority, mlockall and
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

    private final Native nat = Native.get();

    @Override
    public void realtimeCurrentThread(int priority) throws IOException {
        Pointer param = nat.allocate(4);
        param.putInt(0, priority);
        nat.check(nat.libc.sched_setscheduler(0, SCHED_RR, param), "sched_setscheduler(SCHED_RR, " + priority + ")");
    }

    /** Every receive thread of the Linux driver takes it on at its next wake-up, and new ones at their start. */
    @Override
    public void realtimeIoThreads(int priority) {
        ReceivePriority.set(priority);
    }

    @Override
    public void niceCurrentThread(int niceness) throws IOException {
        nat.check(nat.libc.setpriority(PRIO_PROCESS, 0, niceness), "setpriority(" + niceness + ")");
    }

    @Override
    public void lockMemory() throws IOException {
        nat.check(nat.libc.mlockall(MCL_CURRENT | MCL_FUTURE | MCL_ONFAULT), "mlockall");
    }

    @Override
    public void limitRealtimeMicros(long micros) throws IOException {
        Pointer limit = nat.allocate(16); // struct rlimit { rlim_t cur; rlim_t max; }
        limit.putLong(0, micros);
        limit.putLong(8, micros);
        nat.check(nat.libc.setrlimit(RLIMIT_RTTIME, limit), "setrlimit(RLIMIT_RTTIME, " + micros + ")");
    }
}
