package org.vigil.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vigil.api.vrrp.InstanceState;
import org.vigil.api.vrrp.InstanceStatus;
import org.vigil.auth.internal.NoneAuthenticator;
import org.vigil.driver.linux.internal.LinuxProcessEvents;
import org.vigil.testing.netns.NetnsLab;

/**
 * track_process with the kernel's proc connector (driver-linux's real ProcessEvents) and the real
 * election thread on the in-memory LAN: a process started and killed moves the priority and the
 * master. Needs root (CAP_NET_ADMIN for the connector).
 */
class RealTimeProcessTrackingTest {
    @TempDir
    Path dir;
    private final FakeLan lan = new FakeLan(() -> System.nanoTime() / 1_000);
    private final List<Runnable> cleanup = new ArrayList<>();
    private final List<String> log = new CopyOnWriteArrayList<>();

    private ElectionEngine engine(String name, String address) {
        ElectionLoop loop = new ElectionLoop("vigil-election");
        Notifier notifier = new Notifier();
        ElectionEngine engine = new ElectionEngine(loop, (line, detail) -> log.add(line), notifier, 2_000);
        engine.driverBound(lan.host(name, address));
        engine.authenticatorAdded(new NoneAuthenticator());
        engine.scriptSecurity(false, null);
        cleanup.add(() -> {
            engine.stopAll();
            loop.stop(1_000);
            notifier.close(1_000);
        });
        return engine;
    }

    @AfterEach
    void stop() {
        cleanup.forEach(Runnable::run);
    }

    private static Map<String, Object> instance(int priority, String... trackProcess) {
        Map<String, Object> p = new HashMap<>();
        p.put("name", "VI_1");
        p.put("interface", "eth0");
        p.put("virtual.router.id", 51);
        p.put("priority", priority);
        p.put("version", 3);
        p.put("advert.int.cs", 10);
        p.put("virtual.ipaddress", new String[] {"192.0.2.249/24"});
        p.put("track.process", trackProcess);
        return p;
    }

    private static InstanceStatus status(ElectionEngine e) {
        return e.instance("VI_1").orElseThrow();
    }

    @Test
    void aTrackedProcessStartingAndDyingMovesThePriorityAndTheMaster() throws Exception {
        NetnsLab.requireRootAndIp("the proc connector for track_process");
        Path sleeper = dir.resolve("vigil-trk-sleep");
        Files.copy(Path.of("/bin/sleep"), sleeper);
        sleeper.toFile().setExecutable(true);

        ElectionEngine r1 = engine("r1", "192.0.2.11");
        ElectionEngine r2 = engine("r2", "192.0.2.12");
        r1.processEvents(new LinuxProcessEvents());
        Map<String, Object> block = new HashMap<>();
        block.put("name", "sleeper");
        block.put("process", new String[] {"vigil-trk-sleep"});
        block.put("weight", -60);
        r1.addTrackedProcess(ProcessSpec.parse(block));
        r1.addInstance(InstanceConfigParser.parse(instance(150, "sleeper")));
        r2.addInstance(InstanceConfigParser.parse(instance(100)));
        // not running: 150 - 60
        await().atMost(Duration.ofSeconds(5)).until(() -> status(r1).effectivePriority() == 90
                && status(r2).state() == InstanceState.MASTER);

        Process p = new ProcessBuilder(sleeper.toString(), "60").start();
        try {
            await().atMost(Duration.ofSeconds(5)).until(() -> status(r1).state() == InstanceState.MASTER);
            assertThat(status(r1).effectivePriority()).isEqualTo(150);
            assertThat(log).contains("Quorum gained for tracked process sleeper (1 running)",
                    "(VI_1) Changing effective priority from 90 to 150");
        } finally {
            p.destroyForcibly();
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> status(r2).state() == InstanceState.MASTER);
        assertThat(status(r1).effectivePriority()).isEqualTo(90);
        assertThat(log).contains("Quorum lost for tracked process sleeper (0 running)");
    }
}
