package org.vigil.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vigil.api.system.ProcessEvents;
import org.vigil.api.system.ProcessListener;

/** Counting and delays over a /proc of the test's making, events fed by hand. */
class ProcessTrackerTest {
    @TempDir
    Path proc;
    private final List<String> verdicts = new CopyOnWriteArrayList<>();
    private final List<String> log = new CopyOnWriteArrayList<>();
    private ProcessListener listener;
    private final ProcessEvents events = l -> {
        listener = l;
        return () -> listener = null;
    };
    private ProcessTracker tracker;

    @org.junit.jupiter.api.BeforeEach
    void open() {
        tracker = new ProcessTracker((n, up) -> verdicts.add(n + (up ? " up" : " down")), log::add, proc);
    }

    @AfterEach
    void close() {
        tracker.close();
    }

    private void process(int pid, String comm, String state, String... argv) throws IOException {
        Path d = Files.createDirectories(proc.resolve(Integer.toString(pid)));
        Files.writeString(d.resolve("comm"), comm + "\n");
        Files.writeString(d.resolve("stat"), pid + " (" + comm + ") " + state + " 1 1 1");
        Files.write(d.resolve("cmdline"), (String.join("\0", argv) + "\0").getBytes(StandardCharsets.UTF_8));
    }

    private void exit(int pid) throws IOException {
        Path d = proc.resolve(Integer.toString(pid));
        for (String f : new String[] {"comm", "stat", "cmdline"}) {
            Files.deleteIfExists(d.resolve(f));
        }
        Files.delete(d);
        listener.exited(pid);
    }

    private static ProcessSpec spec(String name, String process, int quorum, long forkDelay, long terminateDelay) {
        Map<String, Object> p = new HashMap<>();
        p.put("name", name);
        p.put("process", new String[] {process});
        p.put("quorum", quorum);
        p.put("fork.delay.ms", forkDelay);
        p.put("terminate.delay.ms", terminateDelay);
        return TypedConfigs.process(p);
    }

    @Test
    void theStartScanCountsRunningProcessesButNotZombiesThenEventsKeepTheCount() throws Exception {
        process(100, "nginx", "S", "nginx");
        process(101, "nginx", "Z", "nginx");
        tracker.source(events);
        tracker.configure(spec("web", "nginx", 2, 0, 0));
        tracker.await();
        assertThat(verdicts).containsExactly("web down");

        process(102, "nginx", "S", "nginx");
        listener.executed(102);
        tracker.await();
        assertThat(verdicts).containsExactly("web down", "web up");

        exit(100);
        tracker.await();
        assertThat(verdicts).containsExactly("web down", "web up", "web down");
        assertThat(log).contains("Quorum lost for tracked process web (1 running)");
    }

    @Test
    void aRenamedProcessCountsUnderItsNewName() throws Exception {
        process(200, "worker", "S", "worker");
        tracker.source(events);
        tracker.configure(spec("w", "Web Content", 1, 0, 0));
        tracker.await();
        process(200, "Web Content", "S", "worker");
        listener.renamed(200);
        tracker.await();
        assertThat(verdicts).containsExactly("w down", "w up");
    }

    @Test
    void terminateDelayHidesARestartAndForkDelayHoldsBackTheGain() throws Exception {
        process(300, "haproxy", "S", "haproxy");
        tracker.source(events);
        tracker.configure(spec("hap", "haproxy", 1, 300, 300));
        tracker.await();
        assertThat(verdicts).containsExactly("hap up");

        // a reload: the old process ends and a new one starts within terminate_delay
        exit(300);
        process(301, "haproxy", "S", "haproxy");
        listener.executed(301);
        tracker.await();
        Thread.sleep(500); // past the delay: nothing must have been reported
        tracker.await();
        assertThat(verdicts).containsExactly("hap up");

        exit(301);
        await().atMost(Duration.ofSeconds(2)).until(() -> verdicts.size() == 2);
        assertThat(verdicts).containsExactly("hap up", "hap down");

        long start = System.nanoTime();
        process(302, "haproxy", "S", "haproxy");
        listener.executed(302);
        await().atMost(Duration.ofSeconds(2)).until(() -> verdicts.size() == 3);
        assertThat((System.nanoTime() - start) / 1_000_000).as("fork_delay, ms").isGreaterThanOrEqualTo(250);
        assertThat(verdicts).containsExactly("hap up", "hap down", "hap up");
    }

    @Test
    void withoutAnEventSourceTheProcessesAreCountedOnceAndThatIsSaid() throws Exception {
        process(400, "sshd", "S", "sshd");
        tracker.configure(spec("ssh", "sshd", 1, 0, 0));
        tracker.await();
        assertThat(verdicts).containsExactly("ssh up");
        assertThat(log).anyMatch(l -> l.startsWith("track_process: no process event source"));
    }
}
