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

    /** rt_priority (field 40) and policy (field 41) of /proc/thread-self/stat, for the calling thread. */
    private static int[] schedulingOfThisThread() throws Exception {
        String stat = Files.readString(Path.of("/proc/thread-self/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        // f[0] is field 3 (state)
        return new int[] { Integer.parseInt(f[40 - 3]), Integer.parseInt(f[41 - 3]), Integer.parseInt(f[19 - 3]) };
    }

    @Test
    void realtimeAndNiceApplyToTheCallingThreadOnly() throws Exception {
        NetnsLab.requireRootAndIp("setting realtime scheduling");
        LinuxProcessTuning tuning = new LinuxProcessTuning();
        int[] before = schedulingOfThisThread();
        CompletableFuture<int[]> tuned = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                tuning.realtimeCurrentThread(5);
                int[] rt = schedulingOfThisThread();
                tuning.niceCurrentThread(-5);
                tuned.complete(new int[] { rt[0], rt[1], schedulingOfThisThread()[2] });
            } catch (Exception e) {
                tuned.completeExceptionally(e);
            }
        }, "tuned");
        t.start();
        int[] got = tuned.get(5, TimeUnit.SECONDS);
        assertThat(got[0]).as("rt_priority").isEqualTo(5);
        assertThat(got[1]).as("policy SCHED_RR").isEqualTo(2);
        assertThat(got[2]).as("nice").isEqualTo(-5);
        assertThat(schedulingOfThisThread()).as("the test's own thread is untouched").containsExactly(before);
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
                        String stat = Files.readString(t.resolve("stat"));
                        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                        vmThread = f[41 - 3] + "/" + f[40 - 3];
                    }
                }
            }
            assertThat(vmThread).as("policy/rt_priority of the VM thread, which runs every safepoint").isEqualTo("2/3");
        } finally {
            ReceivePriority.set(0);
        }
    }
}
