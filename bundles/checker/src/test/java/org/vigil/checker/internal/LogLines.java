package org.vigil.checker.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;

/** The checker's log lines as logged (logback), collected for word-for-word assertions; thread-safe. */
final class LogLines extends AppenderBase<ILoggingEvent> implements AutoCloseable {
    private final ConcurrentLinkedQueue<String> lines = new ConcurrentLinkedQueue<>();
    private final Logger logger;

    LogLines() {
        logger = (Logger) LoggerFactory.getLogger("org.vigil.checker");
        setName("test-lines");
        setContext(logger.getLoggerContext());
        start();
        logger.addAppender(this);
    }

    @Override
    protected void append(ILoggingEvent e) {
        lines.add(e.getFormattedMessage());
    }

    List<String> all() {
        return new ArrayList<>(lines);
    }

    /** Lines that contain {@code part}, in order. */
    List<String> with(String part) {
        List<String> out = new ArrayList<>();
        for (String l : lines) {
            if (l.contains(part)) {
                out.add(l);
            }
        }
        return out;
    }

    /** Everything logged so far is forgotten. */
    void clear() {
        lines.clear();
    }

    @Override
    public void close() {
        logger.detachAppender(this);
        stop();
    }
}
