package org.vigil.checker.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.vigil.api.check.CheckEvent;
import org.vigil.api.check.CheckListener;
import org.vigil.api.check.CheckProperties;
import org.vigil.api.check.CheckResult;
import org.vigil.api.check.CheckType;
import org.vigil.api.lb.LoadBalancerDriver;
import org.vigil.api.lb.ServiceKey;
import org.vigil.api.lb.VirtualService;

/**
 * The checker's whiteboards with its real threads: listeners hear pool events on the notification
 * thread (a throwing one does not stop the others), a load-balancer driver gets every service
 * when it binds and then the changes, a refused batch goes out again with the next one, and the
 * best ranked check type wins.
 */
class CheckerWhiteboardTest {
    static final String VS = "192.0.2.249:tcp:80";
    final Checker checker = new Checker();
    final LogLines log = new LogLines();

    @AfterEach
    void tearDown() {
        checker.deactivate();
        log.close();
    }

    /** A type whose verdict the test sets; answers at once from the worker. */
    static final class SwitchType implements CheckType {
        volatile boolean pass = true;
        final AtomicInteger attempts = new AtomicInteger();

        @Override
        public org.vigil.api.check.HealthCheck prepare(org.vigil.api.check.CheckSpec spec) {
            return context -> {
                attempts.incrementAndGet();
                return java.util.concurrent.CompletableFuture.completedFuture(pass
                        ? CheckResult.success("switch " + spec.realServerText() + " on.")
                        : CheckResult.failure("switch " + spec.realServerText() + " off."));
            };
        }
    }

    /** A badly written type: attempt() blocks its caller for the real server on port 9000 (until interrupted). */
    static final class BlockingType implements CheckType {
        final AtomicInteger others = new AtomicInteger();
        final AtomicInteger interrupted = new AtomicInteger();

        @Override
        public org.vigil.api.check.HealthCheck prepare(org.vigil.api.check.CheckSpec spec) {
            return context -> {
                if (spec.connectTo().getPort() == 9000) {
                    try {
                        new java.util.concurrent.CountDownLatch(1).await();
                    } catch (InterruptedException e) {
                        interrupted.incrementAndGet();
                        throw new IllegalStateException("interrupted");
                    }
                }
                others.incrementAndGet();
                return java.util.concurrent.CompletableFuture.completedFuture(CheckResult.success("fine."));
            };
        }
    }

    /** Worse: attempt() ignores interrupts for the real server on port 9000, until the test releases it. */
    static final class DeafType implements CheckType {
        final java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        final AtomicInteger others = new AtomicInteger();

        @Override
        public org.vigil.api.check.HealthCheck prepare(org.vigil.api.check.CheckSpec spec) {
            return context -> {
                while (spec.connectTo().getPort() == 9000 && release.getCount() > 0) {
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        // deaf on purpose
                    }
                }
                others.incrementAndGet();
                return java.util.concurrent.CompletableFuture.completedFuture(CheckResult.success("fine."));
            };
        }
    }

    /** A driver that records what it is given; refuses while {@code refuse} is set. */
    static final class RecordingDriver implements LoadBalancerDriver {
        final List<List<VirtualService>> applied = new CopyOnWriteArrayList<>();
        final List<List<ServiceKey>> removed = new CopyOnWriteArrayList<>();
        volatile boolean refuse;
        private final String name;

        RecordingDriver() {
            this("recording");
        }

        RecordingDriver(String name) {
            this.name = name;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public void apply(List<VirtualService> services, List<ServiceKey> gone) throws IOException {
            if (refuse) {
                throw new IOException("refused by the test");
            }
            applied.add(services);
            removed.add(gone);
        }
    }

    private void configure(SwitchType type, int realServers) {
        checker.addType(type, Map.of(CheckType.TYPE_PROPERTY, "SWITCH_CHECK", "service.id", 10L));
        List<RsSettings> reals = new java.util.ArrayList<>();
        for (int i = 0; i < realServers; i++) {
            reals.add(RsSettings.of(VS, new InetSocketAddress(InetAddress.getLoopbackAddress(),
                    9000 + i), 1, List.of(new RsSettings.Block("SWITCH_CHECK", CheckProperties.empty()))));
        }
        checker.putVirtualServer("vs", TestVirtualServers.defaults(VS).withDelayLoop(0.2).withTimers(0, 0.1, 0, 1), reals);
    }

    @Test
    void withNoVirtualServerTheCheckerKeepsNoThreadOnceIdle() {
        Checker idle = new Checker(1);
        try {
            idle.addType(new SwitchType(), Map.of(CheckType.TYPE_PROPERTY, "SWITCH_CHECK", "service.id", 10L));
            RecordingDriver driver = new RecordingDriver();
            idle.addDriver(driver, Map.of("service.id", 20L));
            // the driver is given the (empty) pools once: an earlier run's table can go
            await().atMost(Duration.ofSeconds(5)).until(() -> !driver.applied.isEmpty());
            assertThat(driver.applied.get(0)).isEmpty();
            await().atMost(Duration.ofSeconds(10)).until(() -> checkerThreads().isEmpty());
            // a query starts the loop again and answers
            assertThat(idle.totals().virtualServers()).isZero();
        } finally {
            idle.deactivate();
        }
    }

    private static List<String> checkerThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(n -> n.equals("vigil-checker") || n.equals("vigil-check-lb")).toList();
    }

    @Test
    void listenersHearPoolEventsOnTheNotificationThread() {
        List<String> heard = new CopyOnWriteArrayList<>();
        checker.addListener(e -> {
            throw new IllegalStateException("a broken listener");
        });
        checker.addListener((CheckListener) e -> heard.add(Thread.currentThread().getName() + " " + e.kind() + " " + e.line()));
        SwitchType type = new SwitchType();
        configure(type, 1);
        await().atMost(Duration.ofSeconds(5)).until(() -> type.attempts.get() > 0);
        type.pass = false;
        await().atMost(Duration.ofSeconds(5)).until(() -> heard.size() >= 2);
        assertThat(heard).startsWith(
                "vigil-check-notify " + CheckEvent.Kind.REAL_SERVER_DOWN + " Removing service [127.0.0.1]:tcp:9000 from VS [192.0.2.249]:tcp:80",
                "vigil-check-notify " + CheckEvent.Kind.QUORUM_LOST + " Lost quorum 1-0=1 > 0 for VS [192.0.2.249]:tcp:80");
    }

    @Test
    void aConfiguredDriverNameBeatsRankingAndTheBestRankedTakesOverWhenItLeaves() {
        SwitchType type = new SwitchType();
        configure(type, 1);
        await().atMost(Duration.ofSeconds(5)).until(() -> type.attempts.get() >= 1);
        RecordingDriver nft = new RecordingDriver("nft");
        RecordingDriver ipvs = new RecordingDriver("ipvs");
        checker.addDriver(nft, Map.of("service.id", 21L));
        checker.addDriver(ipvs, Map.of("service.id", 22L, "service.ranking", 100));
        await().atMost(Duration.ofSeconds(5)).until(() -> checker.driverName().equals(java.util.Optional.of("ipvs")));

        CheckCommands commands = new CheckCommands(checker);
        assertThat(commands.driver("nft")).contains("programming the pools: nft", "preferred: nft",
                "(best ranked first): ipvs, nft");
        await().atMost(Duration.ofSeconds(5)).until(() -> !nft.applied.isEmpty());
        assertThat(nft.applied.get(0).get(0).key().text()).isEqualTo("[192.0.2.249]:tcp:80");

        checker.removeDriver(nft, Map.of("service.id", 21L));
        await().atMost(Duration.ofSeconds(5)).until(() -> checker.driverName().equals(java.util.Optional.of("ipvs")));
        assertThat(log.with("Load-balancer driver nft is preferred but not present; using ipvs")).isNotEmpty();
        assertThat(commands.driver("-")).contains("preferred: none (ranking decides)");
    }

    @Test
    void aDriverGetsEveryServiceWhenItBindsThenTheChangesAndARefusedBatchAgain() {
        SwitchType type = new SwitchType();
        configure(type, 2);
        await().atMost(Duration.ofSeconds(5)).until(() -> type.attempts.get() >= 2);
        RecordingDriver driver = new RecordingDriver();
        checker.addDriver(driver, Map.of("service.id", 20L));
        await().atMost(Duration.ofSeconds(5)).until(() -> !driver.applied.isEmpty());
        VirtualService first = driver.applied.get(0).get(0);
        assertThat(first.key().text()).isEqualTo("[192.0.2.249]:tcp:80");
        assertThat(first.destinations()).hasSize(2);

        driver.refuse = true;
        type.pass = false;
        await().atMost(Duration.ofSeconds(5)).until(() -> !log.with("refused 1 changes").isEmpty());
        driver.refuse = false;
        type.pass = true;
        // the refused batch (no servers) is merged into the next one (both back): the kernel ends right
        await().atMost(Duration.ofSeconds(5)).until(() -> {
            List<VirtualService> last = driver.applied.get(driver.applied.size() - 1);
            return !last.isEmpty() && last.get(0).destinations().size() == 2;
        });
        assertThat(log.with("Load-balancer driver recording programs the pools")).hasSize(1);
    }

    @Test
    void anAttemptThatBlocksItsCallerIsTimedOutAndInterruptedAndFailsOnlyItsCheck() {
        BlockingType type = new BlockingType();
        checker.addType(type, Map.of(CheckType.TYPE_PROPERTY, "SWITCH_CHECK", "service.id", 12L));
        List<RsSettings> reals = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {
            reals.add(RsSettings.of(VS, new InetSocketAddress(InetAddress.getLoopbackAddress(),
                    9000 + i), 1, List.of(new RsSettings.Block("SWITCH_CHECK",
                            new CheckProperties(Map.of("connect.timeout", List.of("0.3")))))));
        }
        checker.putVirtualServer("vs", TestVirtualServers.defaults(VS).withDelayLoop(0.2).withTimers(0, 0.1, 0, 1), reals);
        await().atMost(Duration.ofSeconds(8)).until(() -> !log.with("Removing service").isEmpty());
        assertThat(log.with("Removing service")).containsExactly(
                "Removing service [127.0.0.1]:tcp:9000 from VS [192.0.2.249]:tcp:80");
        assertThat(log.with("blocked its caller")).hasSize(1);
        assertThat(type.interrupted.get()).isGreaterThanOrEqualTo(1);
        int before = type.others.get();
        await().atMost(Duration.ofSeconds(5)).until(() -> type.others.get() >= before + 4);
    }

    @Test
    void lvsNotifyFifoGetsKeepalivedsLinesAndIsCreatedWhenMissing(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path path = dir.resolve("lvs.fifo");
        SwitchType type = new SwitchType();
        checker.addType(type, Map.of(CheckType.TYPE_PROPERTY, "SWITCH_CHECK", "service.id", 10L));
        checker.putVirtualServer("vs", TestVirtualServers.defaults(VS).withDelayLoop(0.2).withTimers(0, 0.1, 0, 1)
                .withNotifyFifo(path.toString()), List.of(RsSettings.of(VS, new InetSocketAddress(
                        InetAddress.getLoopbackAddress(), 9000), 1,
                List.of(new RsSettings.Block("SWITCH_CHECK", CheckProperties.empty())))));
        await().atMost(Duration.ofSeconds(5)).until(() -> type.attempts.get() > 0);
        type.pass = false;
        await().atMost(Duration.ofSeconds(5)).until(() -> java.nio.file.Files.exists(path));
        assertThat(java.nio.file.Files.isRegularFile(path)).as("a FIFO, not a file").isFalse();
        List<String> lines = new CopyOnWriteArrayList<>();
        Thread reader = new Thread(() -> {
            try (var in = java.nio.file.Files.newBufferedReader(path)) {
                for (String l = in.readLine(); l != null; l = in.readLine()) {
                    lines.add(l);
                }
            } catch (IOException e) {
                // the test ends
            }
        }, "test-fifo-reader");
        reader.setDaemon(true);
        reader.start();
        await().atMost(Duration.ofSeconds(5)).until(() -> lines.size() >= 2);
        type.pass = true;
        await().atMost(Duration.ofSeconds(5)).until(() -> lines.size() >= 4);
        assertThat(lines).containsExactly(
                "RS [127.0.0.1]:tcp:9000 [192.0.2.249]:tcp:80 DOWN",
                "VS [192.0.2.249]:tcp:80 DOWN",
                "RS [127.0.0.1]:tcp:9000 [192.0.2.249]:tcp:80 UP",
                "VS [192.0.2.249]:tcp:80 UP");
    }

    @Test
    void lvsNotifyFifoScriptReadsTheLinesRunsOnceAcrossReloadsAndEndsWithTheLastVirtualServer(
            @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path path = dir.resolve("lvs.fifo");
        java.nio.file.Path record = dir.resolve("record");
        java.nio.file.Path script = dir.resolve("reader.sh");
        java.nio.file.Files.writeString(script, "#!/bin/sh\necho \"$$\" > " + dir.resolve("pid") + "; echo \"started $*\" >> " + record + "\n"
                + "while read line; do echo \"$line\" >> " + record + "; done < \"$1\"\n");
        java.nio.file.Files.setPosixFilePermissions(script,
                java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        SwitchType type = new SwitchType();
        checker.addType(type, Map.of(CheckType.TYPE_PROPERTY, "SWITCH_CHECK", "service.id", 10L));
        VsSettings vs = TestVirtualServers.defaults(VS).withDelayLoop(0.2).withTimers(0, 0.1, 0, 1)
                .withNotifyFifo(path.toString());
        List<RsSettings> reals = List.of(RsSettings.of(VS, new InetSocketAddress(InetAddress.getLoopbackAddress(), 9000),
                1, List.of(new RsSettings.Block("SWITCH_CHECK", CheckProperties.empty()))));
        LvsFifoScripts.Reader reader = new LvsFifoScripts.Reader(path.toString(), null, script.toString(), null, null, false);
        checker.putVirtualServer("vs", vs, reals);
        checker.fifoScript("vs", reader);
        await().atMost(Duration.ofSeconds(5)).until(() -> type.attempts.get() > 0);
        type.pass = false;
        await().atMost(Duration.ofSeconds(10)).until(() -> java.nio.file.Files.exists(record)
                && java.nio.file.Files.readAllLines(record).contains("RS [127.0.0.1]:tcp:9000 [192.0.2.249]:tcp:80 DOWN"));
        // a reload with the same reader (every virtual server names it) keeps the running script
        checker.putVirtualServer("vs", vs, reals);
        checker.fifoScript("vs", reader);
        checker.fifoScript("vs2", reader);
        type.pass = true;
        await().atMost(Duration.ofSeconds(10)).until(() -> java.nio.file.Files.readAllLines(record)
                .contains("VS [192.0.2.249]:tcp:80 UP"));
        assertThat(java.nio.file.Files.readAllLines(record)).filteredOn(l -> l.startsWith("started"))
                .containsExactly("started " + path);
        assertThat(java.nio.file.Files.isRegularFile(path)).as("a FIFO, not a file").isFalse();
        // no virtual server names it any more: the reader is ended
        checker.fifoScript("vs", null);
        assertThat(checker.fifoReaders()).containsExactly(reader);
        checker.fifoScript("vs2", null);
        assertThat(checker.fifoReaders()).isEmpty();
        java.nio.file.Path proc = java.nio.file.Path.of("/proc",
                java.nio.file.Files.readString(dir.resolve("pid")).strip());
        await().atMost(Duration.ofSeconds(5)).until(() -> !java.nio.file.Files.exists(proc));
    }

    @Test
    void aWorkerLostInAnAttemptThatIgnoresInterruptsIsReplacedUpToALimit() {
        DeafType type = new DeafType();
        try {
            checker.addType(type, Map.of(CheckType.TYPE_PROPERTY, "SWITCH_CHECK", "service.id", 13L));
            List<RsSettings> reals = new java.util.ArrayList<>();
            for (int i = 0; i < 3; i++) {
                reals.add(RsSettings.of(VS, new InetSocketAddress(
                        InetAddress.getLoopbackAddress(), 9000 + i), 1, List.of(new RsSettings.Block("SWITCH_CHECK",
                                new CheckProperties(Map.of("connect.timeout", List.of("0.3")))))));
            }
            checker.putVirtualServer("vs", TestVirtualServers.defaults(VS).withDelayLoop(0.2).withTimers(0, 0.1, 0, 1), reals);
            // each round of the deaf check loses one more worker: replaced until the limit, then an error
            await().atMost(Duration.ofSeconds(10)).until(() -> !log.with("is the limit").isEmpty());
            assertThat(log.with("adding a worker")).hasSize(Checker.MAX_WORKERS - Checker.WORKERS);
            assertThat(checker.workerThreads()).isEqualTo(Checker.MAX_WORKERS);
            assertThat(log.with("Removing service")).containsExactly(
                    "Removing service [127.0.0.1]:tcp:9000 from VS [192.0.2.249]:tcp:80");
        } finally {
            type.release.countDown();
        }
        int before = type.others.get();
        await().atMost(Duration.ofSeconds(5)).until(() -> type.others.get() >= before + 4);
    }

    @Test
    void theBestRankedTypeChecksAndTheOtherTakesOverWhenItLeaves() {
        SwitchType low = new SwitchType();
        SwitchType high = new SwitchType();
        checker.addType(high, Map.of(CheckType.TYPE_PROPERTY, "SWITCH_CHECK", "service.id", 11L, "service.ranking", 5));
        configure(low, 1);
        await().atMost(Duration.ofSeconds(5)).until(() -> high.attempts.get() >= 2);
        assertThat(low.attempts.get()).isZero();
        checker.removeType(high, Map.of(CheckType.TYPE_PROPERTY, "SWITCH_CHECK", "service.id", 11L, "service.ranking", 5));
        await().atMost(Duration.ofSeconds(5)).until(() -> low.attempts.get() >= 2);
        assertThat(log.with("checker missing")).isEmpty();
    }
}
