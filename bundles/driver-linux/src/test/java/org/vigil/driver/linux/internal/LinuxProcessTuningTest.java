package org.vigil.driver.linux.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.vigil.testing.netns.NetnsLab;

/** keepalived's vrrp_rt_priority and vrrp_priority as the kernel reports them for the thread. Needs root. */
class LinuxProcessTuningTest {

    /** policy/rt_priority and nice of the calling thread. */
    private static String schedulingOfThisThread() throws Exception {
        Path self = Path.of("/proc/thread-self");
        return ThreadScheduling.of(self) + " nice " + ThreadScheduling.nice(self);
    }

    @Test
    void realtimeAndNiceApplyToTheCallingThreadOnly() throws Exception {
        NetnsLab.requireRootAndIp("setting realtime scheduling");
        LinuxProcessTuning tuning = new LinuxProcessTuning();
        String before = schedulingOfThisThread();
        CompletableFuture<String> tuned = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                tuning.realtimeCurrentThread(5);
                tuning.niceCurrentThread(-5);
                tuned.complete(schedulingOfThisThread());
            } catch (Exception e) {
                tuned.completeExceptionally(e);
            }
        }, "tuned");
        t.start();
        assertThat(tuned.get(5, TimeUnit.SECONDS)).as("SCHED_RR (2) at 5, nice -5").isEqualTo("2/5 nice -5");
        assertThat(schedulingOfThisThread()).as("the test's own thread is untouched").isEqualTo(before);
    }

    @Test
    void theJvmsVmThreadGoesRealtimeWithTheIoThreads() throws Exception {
        NetnsLab.requireRootAndIp("setting realtime scheduling");
        try {
            new LinuxProcessTuning().realtimeIoThreads(3);
            String vmThread = null;
            try (var tasks = Files.list(Path.of("/proc/self/task"))) {
                for (Path t : tasks.toList()) {
                    if (Files.readString(t.resolve("comm")).trim().equals("VM Thread")) {
                        vmThread = ThreadScheduling.of(t);
                    }
                }
            }
            assertThat(vmThread).as("policy/rt_priority of the VM thread, which runs every safepoint").isEqualTo("2/3");
        } finally {
            ReceivePriority.set(0);
        }
    }
}
