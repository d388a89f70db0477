package org.vigil.logging;

import java.util.concurrent.atomic.AtomicLong;

import ch.qos.logback.classic.AsyncAppender;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;

/**
 * logback's {@link AsyncAppender} made safe for the election thread, and honest about what it
 * loses. A caller never waits: a line goes into a bounded queue that the appender's own worker
 * drains into the attached appenders (the log file, the console), and when the queue is full the
 * line is dropped and counted; no line is discarded while there is room (INFO included). The next
 * line that finds room is preceded by one line "N log lines dropped (queue full)" in the same
 * format, and {@link #droppedTotal()} reads the count at any time.
 *
 * <p>logback's own {@code neverBlock} drops without a trace, so the offer is decided here: under
 * a short producer lock (the queue's own lock is taken for the offer anyway), a line is handed to
 * logback's queue only when it has room, which no other producer can take away meanwhile, and
 * only the consumer changes the queue otherwise. So every refused line is counted exactly once.
 *
 * <p>In OSGi this class is a fragment of {@code ch.qos.logback.classic} (logback loads the
 * classes named in logback.xml through its own class loader); it stops itself, flushing the queue
 * for up to {@link #getMaxFlushTime()} ms, when its host bundle stops (the last bundles to stop).
 */
public class CountingAsyncAppender extends AsyncAppender {
    /** Queue size when logback.xml sets none: a takeover of 510 instances logs about 1,500 lines. */
    public static final int DEFAULT_QUEUE_SIZE = 8192;
    /** Logger name of the drop report line. */
    public static final String REPORT_LOGGER = "org.vigil.logging";
    /** The drop report line, after the count. */
    public static final String REPORT_TEXT = " log lines dropped (queue full)";

    private static final AtomicLong DROPPED_TOTAL = new AtomicLong();

    private final AtomicLong dropped = new AtomicLong();
    private final Object offerLock = new Object();
    /** Dropped and not yet reported in the log; guarded by offerLock. */
    private long unreported;
    private volatile AutoCloseable hostStop;

    public CountingAsyncAppender() {
        setQueueSize(DEFAULT_QUEUE_SIZE);
        setNeverBlock(true);
        setDiscardingThreshold(0);
        setIncludeCallerData(false);
    }

    /**
     * Lines dropped because the queue was full, by every instance of this appender in this class
     * loader (in Felix: in the ch.qos.logback.classic bundle, i.e. the whole appliance) since it
     * was loaded; configuration reloads do not reset it.
     */
    public static long droppedTotal() {
        return DROPPED_TOTAL.get();
    }

    /** Lines this appender dropped because its queue was full. */
    public long getDroppedCount() {
        return dropped.get();
    }

    /** Never discard a line while the queue has room, whatever discardingThreshold says. */
    @Override
    protected boolean isDiscardable(ILoggingEvent event) {
        return false;
    }

    @Override
    protected void append(ILoggingEvent event) {
        // format the message and copy the MDC before taking the lock (super.append repeats this cheaply)
        preprocess(event);
        synchronized (offerLock) {
            if (unreported > 0 && getRemainingCapacity() >= 2) {
                super.append(report(unreported));
                unreported = 0;
            }
            if (getRemainingCapacity() > 0) {
                super.append(event);
                return;
            }
            unreported++;
        }
        dropped.incrementAndGet();
        DROPPED_TOTAL.incrementAndGet();
    }

    private ILoggingEvent report(long count) {
        LoggerContext lc = (LoggerContext) getContext();
        return new LoggingEvent(CountingAsyncAppender.class.getName(), lc.getLogger(REPORT_LOGGER), Level.WARN,
                count + REPORT_TEXT, null, null);
    }

    @Override
    public void start() {
        super.start();
        if (isStarted()) {
            hostStop = HostBundle.onStop(this::stop);
        }
    }

    @Override
    public void stop() {
        AutoCloseable h = hostStop;
        hostStop = null;
        if (h != null) {
            try {
                h.close();
            } catch (Exception e) {
                addWarn("removing the bundle listener failed", e);
            }
        }
        super.stop();
        long lost;
        synchronized (offerLock) {
            lost = unreported;
            unreported = 0;
        }
        if (lost > 0) {
            addWarn(lost + REPORT_TEXT + ", not reported in the log before it stopped");
        }
    }
}
