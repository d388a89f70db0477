package org.vigil.driver.linux.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vigil.api.system.ProcessListener;
import org.vigil.testing.netns.NetnsLab;

/** The real proc connector sees a process start and end. Needs root (CAP_NET_ADMIN). */
class LinuxProcessEventsTest {

    @TempDir
    Path dir;

    @Test
    void aRenamedSleepIsSeenExecutingAndExiting() throws Exception {
        NetnsLab.requireRootAndIp("the proc connector");
        Path sleeper = dir.resolve("vigil-sleeper");
        Files.copy(Path.of("/bin/sleep"), sleeper);
        sleeper.toFile().setExecutable(true);
        BlockingQueue<String> events = new LinkedBlockingQueue<>();
        try (AutoCloseable watch = new LinuxProcessEvents().watch(new ProcessListener() {
            @Override
            public void executed(int pid) {
                events.add("exec " + pid);
            }

            @Override
            public void renamed(int pid) {
            }

            @Override
            public void exited(int pid) {
                events.add("exit " + pid);
            }

            @Override
            public void lost() {
                events.add("lost");
            }
        })) {
            long t0 = System.nanoTime();
            Process p = new ProcessBuilder(sleeper.toString(), "30").start();
            long t1;
            try {
                awaitEvent(events, "exec " + p.pid());
                t1 = System.nanoTime();
            } finally {
                p.destroy();
            }
            long t2 = System.nanoTime();
            awaitEvent(events, "exit " + p.pid());
            long t3 = System.nanoTime();
            System.out.printf("proc connector: start() to exec event %.1f ms, destroy() to exit event %.1f ms%n",
                    (t1 - t0) / 1e6, (t3 - t2) / 1e6);
        }
    }

    private static void awaitEvent(BlockingQueue<String> events, String wanted) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline) {
            String e = events.poll(5, TimeUnit.MILLISECONDS);
            if (wanted.equals(e)) {
                return;
            }
        }
        assertThat(events).as("no '" + wanted + "' within 5 s").contains(wanted);
    }
}
