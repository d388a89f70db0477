package org.vigil.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.AppenderBase;
import ch.qos.logback.core.FileAppender;

class CountingAsyncAppenderTest {
    private static final Duration DEADLINE = Duration.ofSeconds(10);

    @TempDir
    Path dir;
    private final LoggerContext context = new LoggerContext();

    CountingAsyncAppenderTest() {
        context.setMDCAdapter(new LogbackMDCAdapter()); // as logback's SLF4J provider does
    }

    @AfterEach
    void stop() {
        context.stop();
    }

    /** A child appender that blocks in append until opened: a disk that stopped answering. */
    static final class Gate extends AppenderBase<ILoggingEvent> {
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch open = new CountDownLatch(1);
        final List<String> lines = new CopyOnWriteArrayList<>();

        @Override
        protected void append(ILoggingEvent e) {
            entered.countDown();
            try {
                open.await();
            } catch (InterruptedException stopped) {
                Thread.currentThread().interrupt();
            }
            lines.add(e.getFormattedMessage());
        }
    }

    private CountingAsyncAppender async(int queueSize, ch.qos.logback.core.Appender<ILoggingEvent> child) {
        child.setContext(context);
        child.start();
        CountingAsyncAppender a = new CountingAsyncAppender();
        a.setContext(context);
        a.setName("ASYNC");
        a.setQueueSize(queueSize);
        a.addAppender(child);
        a.start();
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.detachAndStopAllAppenders();
        root.addAppender(a);
        return a;
    }

    @Test
    void aStalledConsumerCostsDroppedCountedLinesNeverAWait() throws Exception {
        Gate gate = new Gate();
        CountingAsyncAppender a = async(4, gate);
        long totalBefore = CountingAsyncAppender.droppedTotal();
        Logger log = context.getLogger("org.vigil.core");

        log.info("line 0");
        assertThat(gate.entered.await(10, TimeUnit.SECONDS)).as("the worker holds line 0 in the stalled child").isTrue();
        // the caller never waits for the stalled child: 4 lines fit in the queue, 95 are dropped
        assertTimeoutPreemptively(Duration.ofSeconds(2), () -> {
            for (int i = 1; i < 100; i++) {
                log.info("line {}", i);
            }
        });
        assertThat(a.getDroppedCount()).isEqualTo(95);
        assertThat(CountingAsyncAppender.droppedTotal() - totalBefore).isEqualTo(95);

        gate.open.countDown();
        await().atMost(DEADLINE).until(() -> a.getNumberOfElementsInQueue() == 0 && gate.lines.size() == 5);
        log.info("line 100");
        await().atMost(DEADLINE).until(() -> gate.lines.size() == 7);
        assertThat(gate.lines).containsExactly("line 0", "line 1", "line 2", "line 3", "line 4",
                "95 log lines dropped (queue full)", "line 100");
        assertThat(a.getDroppedCount()).isEqualTo(95);
    }

    @Test
    void infoLinesAreNotDiscardedEarlyWhenTheQueueFillsUp() throws Exception {
        Gate gate = new Gate();
        CountingAsyncAppender a = async(10, gate);
        Logger log = context.getLogger("org.vigil.core");
        log.info("line 0");
        assertThat(gate.entered.await(10, TimeUnit.SECONDS)).isTrue();
        for (int i = 1; i <= 10; i++) {
            log.info("line {}", i); // logback's default threshold would discard INFO past 80 % full
        }
        assertThat(a.getDroppedCount()).isZero();
        gate.open.countDown();
        await().atMost(DEADLINE).until(() -> gate.lines.size() == 11);
    }

    @Test
    void underNormalLoadNothingIsDroppedAndEveryLineReachesTheFile() throws Exception {
        Path file = dir.resolve("vigil.log");
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern("%d{EEE MMM d HH:mm:ss yyyy}: %msg%n");
        encoder.start();
        FileAppender<ILoggingEvent> fileAppender = new FileAppender<>();
        fileAppender.setFile(file.toString());
        fileAppender.setEncoder(encoder);
        CountingAsyncAppender a = async(CountingAsyncAppender.DEFAULT_QUEUE_SIZE, fileAppender);
        Logger log = context.getLogger("org.vigil.core");

        // 20 bursts of 1,000 lines 50 ms apart (a 510-instance takeover logs about 1,500 at once)
        int lines = 0;
        for (int burst = 0; burst < 20; burst++) {
            for (int i = 0; i < 1_000; i++) {
                log.info("(VI_{}) Entering MASTER STATE", lines++);
            }
            Thread.sleep(50); // the pacing of the load itself, not a wait for a result
        }
        int expected = lines;
        await().atMost(DEADLINE).until(() -> lineCount(file) == expected);
        assertThat(a.getDroppedCount()).isZero();
        assertThat(Files.readAllLines(file)).allMatch(l -> l.matches("\\w{3} \\w{3} \\d{1,2} \\d\\d:\\d\\d:\\d\\d \\d{4}: "
                + "\\(VI_\\d+\\) Entering MASTER STATE"));
    }

    private static long lineCount(Path file) throws IOException {
        try (var s = Files.lines(file)) {
            return s.count();
        }
    }

    @Test
    void stoppingFlushesWhatIsQueued() throws Exception {
        Gate gate = new Gate();
        CountingAsyncAppender a = async(16, gate);
        Logger log = context.getLogger("org.vigil.core");
        log.info("line 0");
        assertThat(gate.entered.await(10, TimeUnit.SECONDS)).isTrue();
        for (int i = 1; i <= 5; i++) {
            log.info("line {}", i);
        }
        gate.open.countDown();
        a.stop();
        assertThat(gate.lines).containsExactly("line 0", "line 1", "line 2", "line 3", "line 4", "line 5");
    }
}
